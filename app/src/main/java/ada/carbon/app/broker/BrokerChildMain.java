package ada.carbon.app.broker;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Entry point of the embedded broker's child JVM: a thin wrapper around {@code kafka.Kafka.main}.
 *
 * <p>Usage: {@code BrokerChildMain [--exit-on-stdin-eof] server.properties}.
 *
 * <p>With {@code --exit-on-stdin-eof} the child watches its standard input, which is a pipe held by the
 * parent JVM: when the parent goes away for any reason (including {@code kill -9}, where its shutdown
 * hooks do not run) the pipe reaches end of file and the child calls {@code System.exit(0)}, which runs
 * Kafka's own shutdown hook and so stops the broker cleanly. That is how the broker never outlives the
 * process that started it. Everything else is the unmodified Kafka server.
 */
public final class BrokerChildMain {

  static final String EXIT_ON_STDIN_EOF = "--exit-on-stdin-eof";

  private BrokerChildMain() {}

  public static void main(String[] args) {
    String[] kafkaArgs = args;
    if (args.length > 0 && EXIT_ON_STDIN_EOF.equals(args[0])) {
      kafkaArgs = Arrays.copyOfRange(args, 1, args.length);
      Thread watchdog = new Thread(BrokerChildMain::exitWhenStdinCloses, "ada-carbon-parent-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
    }
    kafka.Kafka.main(kafkaArgs);
  }

  private static void exitWhenStdinCloses() {
    InputStream in = System.in;
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) >= 0) {
        // The parent never writes; anything read is ignored.
      }
    } catch (IOException e) {
      // A broken pipe means the same as end of file: the parent is gone.
    }
    System.err.println("ada-carbon embedded broker: parent process is gone, shutting down");
    System.exit(0);
  }
}
