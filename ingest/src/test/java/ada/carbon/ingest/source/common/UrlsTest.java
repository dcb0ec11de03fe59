package ada.carbon.ingest.source.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How URLs are shown and stored: secrets masked, and jobs that differ only in a secret kept apart. */
class UrlsTest {
    @TempDir
    Path dir;

    @Test
    void userinfoAndSecretLookingParametersAreMasked() {
        assertThat(Urls.masked(URI.create("https://ada:pa55w0rd@registry.example:8443/workspaces?max_results=500")))
                .isEqualTo("https://***@registry.example:8443/workspaces?max_results=500");
        assertThat(
                        Urls.masked(
                                URI.create(
                                        "https://registry.example/w?token=t1&max_results=500&api_key=k1&Password=p1"
                                                + "&secret=s1&access_token=a1&sig=g1&X-Amz-Signature=z1&X-Amz-Credential=c1&session_id=i1&page=2")))
                .isEqualTo("https://registry.example/w?token=***&max_results=500&api_key=***&Password=***&secret=***"
                        + "&access_token=***&sig=***&X-Amz-Signature=***&X-Amz-Credential=***&session_id=***&page=2");
        // An encoded name is read as the server reads it; the fragment too (#access_token=… as OAuth writes it).
        assertThat(Urls.masked(URI.create("http://h/x?api%5Fkey=k1&q=a%20b#access_token=f1&state=s")))
                .isEqualTo("http://h/x?api%5Fkey=***&q=a%20b#access_token=***&state=s");
        // A token as the whole userinfo; a host name with '_' (no standard host part)
        assertThat(Urls.masked(URI.create("https://ghp_abc123@my_registry:5000/users")))
                .isEqualTo("https://***@my_registry:5000/users");
        assertThat(Urls.masked(URI.create("http://prometheus:9090"))).isEqualTo("http://prometheus:9090");
        // text that is not a URL stays as it is
        assertThat(Urls.masked("file /var/lib/ada/out.jsonl")).isEqualTo("file /var/lib/ada/out.jsonl");
        assertThat(Urls.masked("http://u:p@h/x")).isEqualTo("http://***@h/x");
    }

    @Test
    void aJobKeepsTheMaskedUrlAndADigestThatTellsSecretsApart() throws Exception {
        ObjectNode a = job("https://registry.example/w?token=tenant-A-secret&max_results=500");
        ObjectNode again = job("https://registry.example/w?token=tenant-A-secret&max_results=500");
        ObjectNode b = job("https://registry.example/w?token=tenant-B-secret&max_results=500");
        assertThat(a.get("url").asText()).isEqualTo("https://registry.example/w?token=***&max_results=500");
        assertThat(a.get("url_secret").asText()).startsWith("pbkdf2-sha256:").doesNotContain("tenant");
        assertThat(a).isEqualTo(again);
        assertThat(a).isNotEqualTo(b); // another tenant's token: another job, which never resumes from A's progress
        // Without a secret the job is what it always was, so existing checkpoints still resume.
        assertThat(job("http://prometheus:9090").toString()).isEqualTo("{\"url\":\"http://prometheus:9090\"}");

        Path file = dir.resolve("cp.json");
        new Checkpoint(file, "registry", a)
                .save(JsonNodeFactory.instance.objectNode().put("done_until", "x"));
        assertThat(new Checkpoint(file, "registry", again).resumable()).isPresent();
        assertThat(new Checkpoint(file, "registry", b).resumable()).isEmpty();
        assertThat(Files.readString(file)).contains("token=***").doesNotContain("tenant-A-secret");
    }

    private static ObjectNode job(String url) {
        ObjectNode job = JsonNodeFactory.instance.objectNode();
        Urls.putIdentity(job, "url", URI.create(url));
        return job;
    }
}
