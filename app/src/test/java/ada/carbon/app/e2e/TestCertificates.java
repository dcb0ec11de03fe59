package ada.carbon.app.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority and a broker certificate it signed for 127.0.0.1, made with the JDK's own
 * {@code keytool}: the broker's keystore (PKCS12, key and chain) and the CA certificate the clients trust
 * (PEM, Kafka's {@code ssl.truststore.type=PEM}).
 */
record TestCertificates(Path brokerKeystore, Path caCertificate, String password) {

    static TestCertificates make(Path dir) throws IOException, InterruptedException {
        String password = "test-store-password";
        Path ca = dir.resolve("ca.p12");
        Path broker = dir.resolve("broker.p12");
        Path caPem = dir.resolve("ca.pem");
        Path request = dir.resolve("broker.csr");
        Path signed = dir.resolve("broker.pem");
        keytool(
                dir,
                "-genkeypair",
                "-alias",
                "ca",
                "-dname",
                "CN=ada-carbon test CA",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-ext",
                "bc:c",
                "-keystore",
                ca,
                "-storetype",
                "PKCS12",
                "-storepass",
                password);
        keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", password, "-file", caPem);
        keytool(
                dir,
                "-genkeypair",
                "-alias",
                "broker",
                "-dname",
                "CN=localhost",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-keystore",
                broker,
                "-storetype",
                "PKCS12",
                "-storepass",
                password);
        keytool(dir, "-certreq", "-alias", "broker", "-keystore", broker, "-storepass", password, "-file", request);
        // Clients check the broker's name against the address they connect to
        // (ssl.endpoint.identification.algorithm=https).
        keytool(
                dir,
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                ca,
                "-storepass",
                password,
                "-infile",
                request,
                "-outfile",
                signed,
                "-validity",
                "2",
                "-ext",
                "SAN=IP:127.0.0.1,DNS:localhost");
        keytool(
                dir,
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                caPem,
                "-keystore",
                broker,
                "-storepass",
                password);
        keytool(dir, "-importcert", "-alias", "broker", "-file", signed, "-keystore", broker, "-storepass", password);
        return new TestCertificates(broker, caPem, password);
    }

    private static void keytool(Path dir, Object... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        for (Object a : args) {
            command.add(a.toString());
        }
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(
                    "keytool " + String.join(" ", command.subList(1, command.size())) + " failed:\n" + output);
        }
    }
}
