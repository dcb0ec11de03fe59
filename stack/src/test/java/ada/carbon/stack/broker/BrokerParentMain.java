package ada.carbon.stack.broker;

import java.nio.file.Path;

/**
 * A stand-in for another ada-carbon process, run in its own JVM by {@link EmbeddedBrokerTest}: starts the broker of
 * a data directory, creates the test topic and produces the test records, prints {@code READY <broker pid>} and then
 * waits to be killed. Usage: {@code BrokerParentMain <dataDir>}.
 */
public final class BrokerParentMain {

    private BrokerParentMain() {}

    public static void main(String[] args) throws Exception {
        EmbeddedBroker broker = EmbeddedBroker.start(Path.of(args[0]));
        EmbeddedBrokerTest.createTopic(broker);
        EmbeddedBrokerTest.produce(broker, 0);
        System.out.println("READY " + broker.pid().orElseThrow());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
