package ada.carbon.report.serve;

import ada.carbon.report.HtmlPage;

/**
 * The live dashboard: the report's page ({@link HtmlPage}, the same template, styles and drawing script) with
 * pickers in its header and dashboard.js, which fetches the API's objects instead of reading embedded ones. The
 * page holds no data, so it is the same for every caller; its policy allows its inline scripts by hash and
 * fetches from its own origin only.
 */
final class Dashboard {
    private Dashboard() {}

    static String page() {
        return HtmlPage.render("dashboard", "ada-carbon dashboard", CONTROLS, "null", "dashboard.js", true);
    }

    static String policy(String page) {
        return HtmlPage.policy(page, true);
    }

    private static final String CONTROLS = """
            <form class="pickers" id="pickers" autocomplete="off">
              <label id="token-field">Token <input type="password" id="token" size="24" placeholder="bearer token" autocomplete="off"></label>
              <label>Scope <select id="scope"></select></label>
              <label>Period <select id="period-preset">
                <option value="all">all facts</option><option value="1">last day</option>
                <option value="7">last 7 days</option><option value="30">last 30 days</option>
                <option value="365">last 365 days</option><option value="custom">from … to …</option>
              </select></label>
              <label>from <input type="date" id="from"></label><label>to <input type="date" id="to"></label>
              <button type="submit" id="apply">Show</button>
            </form>
            <p class="meta">Live from <code id="database"></code> · period: <span id="period">all facts</span>
              · <span id="caller"></span> · <span id="status">loading…</span></p>""";
}
