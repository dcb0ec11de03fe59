package ada.carbon.app.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child's classpath: absolute entries, manifest-only launcher jars expanded. No broker here. */
class ChildClasspathTest {

  @TempDir Path dir;

  @Test
  void expandsTheClassPathOfAManifestOnlyJar() throws Exception {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Path kafka = Files.createFile(lib.resolve("kafka.jar"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Path booter = dir.resolve("booter.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib/kafka.jar " + classes.toUri() + " lib/missing.jar");
    try (OutputStream out = Files.newOutputStream(booter); JarOutputStream jar = new JarOutputStream(out, manifest)) {
      // a manifest and nothing else, like Surefire's booter jar
    }

    List<String> entries = List.of(EmbeddedBroker.expandClasspath(booter.toString()).split(File.pathSeparator));

    assertThat(entries).containsExactly(booter.toString(), kafka.toString(), classes.toString());
  }

  @Test
  void makesRelativeEntriesAbsolute() {
    String expanded = EmbeddedBroker.expandClasspath("target/classes" + File.pathSeparator + "lib/*");
    assertThat(expanded.split(File.pathSeparator))
        .containsExactly(Path.of("target/classes").toAbsolutePath().toString(),
            Path.of("lib").toAbsolutePath() + File.separator + "*");
  }

  @Test
  void theCurrentClasspathHoldsTheBroker() {
    assertThat(EmbeddedBroker.childClasspath()).contains("kafka_2.13");
  }
}
