package ada.carbon.app.broker;

import java.nio.file.Path;

/**
 * A stand-in for another ada-carbon process, run in its own JVM by {@link EmbeddedBrokerTest}: starts
 * the broker of a data directory, produces the test records, prints {@code READY <broker pid> <bootstrap>}
 * and then waits to be killed. Usage: {@code BrokerParentMain <dataDir> <exitWithParent>}.
 */
public final class BrokerParentMain {

  private BrokerParentMain() {}

  public static void main(String[] args) throws Exception {
    EmbeddedBroker broker = EmbeddedBroker.builder(Path.of(args[0]))
        .exitWithParent(Boolean.parseBoolean(args[1]))
        .start();
    EmbeddedBrokerTest.produce(broker, 0);
    System.out.println("READY " + broker.pid() + " " + broker.bootstrapServers());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
