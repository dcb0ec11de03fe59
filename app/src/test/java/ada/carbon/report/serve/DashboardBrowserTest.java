package ada.carbon.report.serve;

import static ada.carbon.report.serve.ServedDatabase.OPERATOR;
import static ada.carbon.report.serve.ServedDatabase.USER_AA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live dashboard in headless Chromium, kept open over its DevTools protocol, against a real server over a
 * database built by the pipeline: it asks nothing of any other origin, breaks no rule of its policy, draws the
 * views' figures for an operator and only the caller's own for a user (screenshots in target/), and draws the new
 * figures after another {@code load} while it stays open.
 */
class DashboardBrowserTest {
    private static final String READY = "document.documentElement.dataset.ready === 'true'";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    static ServedDatabase served;
    static DevTools chromium;

    @BeforeAll
    static void start() throws Exception {
        served = new ServedDatabase(dir);
        chromium = DevTools.launch();
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (served != null) {
            served.close();
        }
    }

    private static double totalKwh(String view, String where) throws Exception {
        Map<String, Object> r = served.row("SELECT busy_kwh + idle_kwh AS kwh FROM " + view + where);
        return ((Number) r.get("kwh")).doubleValue();
    }

    private static void assertClean(DevTools.Tab tab) throws Exception {
        // data: URLs are no request to anyone (Chromium's own icon of a date field is one).
        assertThat(tab.requests())
                .as("every request the page made")
                .isNotEmpty()
                .allMatch(url -> url.startsWith(served.base + "/") || url.startsWith("data:"))
                .anyMatch(url -> url.startsWith(served.base + "/carbon/usage"));
        assertThat(tab.console())
                .as("console messages, exceptions and policy violations")
                .isEmpty();
        assertThat(tab.eval("document.documentElement.getAttribute('data-errors')")
                        .isNull())
                .as("errors the page noted")
                .isTrue();
        assertThat(tab.eval("location.href").asText())
                .as("the token is not left in the address")
                .doesNotContain("token");
    }

    private static List<String> texts(DevTools.Tab tab, String selector) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode n : tab.eval("Array.from(document.querySelectorAll(\"" + selector + "\")).map(e => e.value"
                + " !== undefined && e.tagName === 'OPTION' ? e.value : e.textContent)")) {
            out.add(n.asText());
        }
        return out;
    }

    @Test
    void anOperatorSeesThePlatformAndEveryTable() throws Exception {
        DevTools.Tab tab = chromium.open(served.base + "/#token=" + OPERATOR, 1400, 2600);
        tab.await(READY, WAIT);
        assertClean(tab);
        assertThat(tab.eval("+document.getElementById('sum-energy').dataset.v").asDouble())
                .isEqualTo(totalKwh("v_ada_totals", ""));
        JsonNode usage = tab.eval("Object.assign({}, document.getElementById('usage-chart').dataset)");
        assertThat(usage.get("bars").asInt())
                .isEqualTo(served.rows("SELECT * FROM v_ada_timeseries").size());
        assertThat(usage.get("painted").asInt())
                .as("pixels the bar chart painted")
                .isGreaterThan(1000);
        JsonNode intensity = tab.eval("Object.assign({}, document.getElementById('intensity-chart').dataset)");
        assertThat(intensity.get("slots").asInt())
                .isEqualTo(served.rows("SELECT * FROM fact_intensity").size());
        assertThat(tab.eval("document.querySelectorAll('#heatmap rect[data-g]').length")
                        .asInt())
                .isEqualTo(1);
        for (String[] t : new String[][] {
            {"project", "v_project_totals"},
            {"machine", "v_machine_totals"},
            {"group", "v_group_totals"},
            {"user", "v_user_totals"}
        }) {
            assertThat(tab.eval("document.querySelectorAll('#t-" + t[0] + " tbody tr').length")
                            .asInt())
                    .as(t[0])
                    .isEqualTo(served.rows("SELECT * FROM " + t[1]).size());
        }
        // The picker offers the entities of the tables: those with facts.
        int entities = 0;
        for (String view : List.of("v_project_totals", "v_machine_totals", "v_group_totals", "v_user_totals")) {
            entities += served.rows("SELECT * FROM " + view).size();
        }
        assertThat(texts(tab, "#scope option"))
                .hasSize(1 + entities)
                .contains("ada", "project:IDAaaS", "user:aa111111", "group:RB1");
        assertThat(tab.eval("document.querySelectorAll('#t-equivalencies tbody tr').length")
                        .asInt())
                .isEqualTo(4);
        // The footprint as the views have it: a figure, or (facts computed before it was) not known and why.
        Map<String, Object> fp = served.row("SELECT * FROM v_footprint_totals WHERE scope = 'ada'");
        String embodied =
                tab.eval("document.getElementById('sum-embodied').dataset.v").asText();
        String note = tab.eval("document.getElementById('footprint-note').hidden ? null"
                        + " : document.getElementById('footprint-note').textContent")
                .asText("");
        if (fp.get("embodied_gCo2eq") == null) {
            assertThat(embodied).isEmpty();
            assertThat(tab.eval("document.querySelector('#sum-embodied .value').textContent")
                            .asText())
                    .isEqualTo("not known");
            assertThat(note).contains("reprocess");
        } else {
            assertThat(Double.parseDouble(embodied)).isEqualTo(((Number) fp.get("embodied_gCo2eq")).doubleValue());
        }
        tab.screenshot(Path.of("target/dashboard-operator.png"));
        assertThat(Files.size(Path.of("target/dashboard-operator.png"))).isGreaterThan(50_000);

        // The page's policy, as the server sends it: no inline script or style but by hash, fetches to itself only.
        String policy =
                served.get(null, "/").headers().get("content-security-policy").get(0);
        assertThat(policy)
                .startsWith("default-src 'none'")
                .contains("connect-src 'self'")
                .contains("script-src 'sha256-")
                .doesNotContain("unsafe-inline")
                .contains("frame-ancestors 'none'");
    }

    @Test
    void aUserSeesOnlyTheirOwnData() throws Exception {
        DevTools.Tab tab = chromium.open(served.base + "/#token=" + USER_AA + "&scope=user&id=aa111111", 1400, 2000);
        tab.await(READY, WAIT);
        assertClean(tab);
        assertThat(texts(tab, "#scope option")).containsExactly("ada", "user:aa111111");
        assertThat(tab.eval("+document.getElementById('sum-energy').dataset.v").asDouble())
                .isEqualTo(totalKwh("v_user_totals", " WHERE user_id = 'aa111111'"));
        assertThat(tab.eval("document.getElementById('selection').textContent").asText())
                .isEqualTo("(user aa111111)");
        assertThat(texts(tab, "table.sortable")).hasSize(1);
        assertThat(texts(tab, "#t-user tbody tr td:first-child")).containsExactly("aa111111");
        String page = tab.eval("document.body.innerText").asText();
        for (String other : List.of("bb222222", "cc333333", "ee555555", "RB2", "CDAaaS")) {
            assertThat(page).as("the page shows nothing of %s", other).doesNotContain(other);
        }
        tab.screenshot(Path.of("target/dashboard-user.png"));
        // Every API call it made was one this token may make.
        assertThat(tab.requests()).noneMatch(u -> u.contains("/projects") || u.contains("bb222222"));
    }

    @Test
    void itDrawsTheNewFiguresAfterAnotherLoad() throws Exception {
        DevTools.Tab tab = chromium.open(served.base + "/#token=" + OPERATOR + "&refresh=300", 1400, 1600);
        tab.await(READY, WAIT);
        int loads = tab.eval("+document.documentElement.dataset.loads").asInt();
        double before =
                tab.eval("+document.getElementById('sum-energy').dataset.v").asDouble();

        served.load(served.moreEvents());

        double after = totalKwh("v_ada_totals", "");
        assertThat(after).isGreaterThan(before);
        tab.await(
                "+document.documentElement.dataset.loads > " + loads + " && " + READY
                        + " && +document.getElementById('sum-energy').dataset.v === " + after,
                WAIT);
        assertThat(tab.eval("+document.getElementById('usage-chart').dataset.bars")
                        .asInt())
                .isEqualTo(served.rows("SELECT * FROM v_ada_timeseries").size())
                .isEqualTo(4);
        assertClean(tab);
    }
}
