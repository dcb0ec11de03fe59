package ada.carbon.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page both the static report and serve's dashboard are: one template ({@code report.html}) with its CSS,
 * Chart.js, the shared drawing script ({@code carbon.js}) and the page's own script inline, and a
 * Content-Security-Policy that allows exactly those inline scripts and styles by their SHA-256 hashes, and
 * nothing else: no 'unsafe-inline', no other origin.
 */
public final class HtmlPage {
    private static final String RESOURCES = "/ada/carbon/report/";
    private static final String CHARTJS_POM = "/META-INF/maven/org.webjars.npm/chart.js/pom.properties";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");
    /** Executable inline scripts: a script element without attributes (the data block has a type, and never runs). */
    private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

    private static final Pattern STYLE = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);
    private static final Pattern POLICY =
            Pattern.compile("(<meta http-equiv=\"Content-Security-Policy\" content=\")[^\"]*(\">)");

    private HtmlPage() {}

    /**
     * @param kind "report" or "dashboard"
     * @param title the page's title, as text
     * @param header markup under the page's heading (escaped by the caller)
     * @param dataJson the page's data ({@link Html#json}), or {@code null}
     * @param script the page's own script (a resource name), run after carbon.js
     * @param connectSelf whether the page may fetch from its own origin (the dashboard's API calls)
     */
    public static String render(
            String kind, String title, String header, String dataJson, String script, boolean connectSelf) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("csp", "");
        values.put("kind", kind);
        values.put("title", Html.escape(title));
        values.put("header", header);
        values.put("css", resource("report.css"));
        values.put("chartjsVersion", Html.escape(chartJsVersion()));
        values.put("chartjs", script(chartJs()));
        values.put("js", script(resource("carbon.js") + "\n" + resource(script)));
        values.put("data", dataJson);
        return withPolicy(fill(resource("report.html"), values::get), connectSelf);
    }

    /**
     * The page with its policy rewritten for the inline scripts and styles it holds now: each allowed by its hash.
     * A script added to the page without calling this again is blocked, and the page reports the violation.
     */
    public static String withPolicy(String page, boolean connectSelf) {
        Matcher m = POLICY.matcher(page);
        if (!m.find()) {
            throw new IllegalStateException("the page has no Content-Security-Policy element");
        }
        String policy = policy(page, connectSelf);
        return page.substring(0, m.start()) + m.group(1) + policy + m.group(2) + page.substring(m.end());
    }

    /** The policy for a page's inline scripts and styles. */
    public static String policy(String page, boolean connectSelf) {
        return "default-src 'none'; script-src " + hashes(SCRIPT, page) + "; style-src " + hashes(STYLE, page)
                + "; img-src data:; " + (connectSelf ? "connect-src 'self'; " : "")
                + "base-uri 'none'; form-action 'none'";
    }

    private static String hashes(Pattern element, String page) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = element.matcher(page);
        while (m.find()) {
            out.add("'sha256-" + sha256(m.group(1)) + "'");
        }
        return out.isEmpty() ? "'none'" : String.join(" ", out);
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces each {{name}} of the template once, in one pass: a value is never scanned for placeholders. */
    static String fill(String template, Function<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() * 2);
        int last = 0;
        while (m.find()) {
            String value = values.apply(m.group(1));
            if (value == null) {
                throw new IllegalStateException("page template: no value for {{" + m.group(1) + "}}");
            }
            out.append(template, last, m.start()).append(value);
            last = m.end();
        }
        return out.append(template, last, template.length()).toString();
    }

    static String resource(String name) {
        return read(RESOURCES + name);
    }

    /** Chart.js's UMD build from its webjar, without the source-map comment (there is no map beside the file). */
    public static String chartJs() {
        String js = read("/META-INF/resources/webjars/chart.js/" + chartJsVersion() + "/dist/chart.umd.min.js");
        return js.replaceAll("(?m)^//# sourceMappingURL=.*$", "");
    }

    static String chartJsVersion() {
        try (InputStream in = HtmlPage.class.getResourceAsStream(CHARTJS_POM)) {
            if (in == null) {
                throw new IllegalStateException("Chart.js's webjar is not on the classpath (" + CHARTJS_POM + ")");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A script's text for an inline element: refused if it could end the element early. */
    private static String script(String js) {
        if (js.toLowerCase(Locale.ROOT).contains("</script")) {
            throw new IllegalStateException("a script to inline contains '</script'");
        }
        return js;
    }

    private static String read(String path) {
        try (InputStream in = HtmlPage.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
