package ada.carbon.stack.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import kafka.tools.StorageTool;

/**
 * The embedded broker's JVM ({@link EmbeddedBroker}): {@code BrokerChildMain server.properties clusterId
 * [credential]...} formats the storage with Kafka's {@code StorageTool} unless it is formatted already, adding each
 * SCRAM credential as its {@code --add-scram} takes it, then runs Kafka's own {@code kafka.Kafka}. Its stdin is a
 * pipe from the parent JVM: when the parent goes away, even killed, the pipe ends and this JVM exits, which runs
 * Kafka's shutdown hook and so stops the broker cleanly. That is how the broker never outlives its parent.
 */
public final class BrokerChildMain {

    private BrokerChildMain() {}

    public static void main(String[] args) {
        Thread watchdog = new Thread(BrokerChildMain::exitWhenStdinEnds, "ada-carbon-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        List<String> format =
                new ArrayList<>(List.of("format", "--config", args[0], "--cluster-id", args[1], "--ignore-formatted"));
        for (int i = 2; i < args.length; i++) {
            format.addAll(List.of("--add-scram", args[i]));
        }
        try {
            if (StorageTool.execute(format.toArray(String[]::new), System.out) != 0) {
                System.exit(1); // StorageTool said why
            }
        } catch (RuntimeException e) {
            System.err.println("Cannot format the Kafka storage with " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
        kafka.Kafka.main(new String[] {args[0]});
    }

    private static void exitWhenStdinEnds() {
        try {
            System.in.transferTo(OutputStream.nullOutputStream()); // the parent never writes
        } catch (IOException brokenPipe) {
            // the parent is gone all the same
        }
        System.err.println("ada-carbon embedded broker: the parent process is gone, stopping");
        System.exit(0);
    }
}
