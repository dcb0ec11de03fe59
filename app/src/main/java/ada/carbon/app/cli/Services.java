package ada.carbon.app.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the long-running services end: SIGTERM or Ctrl-C closes the service and the process exits 0; a service
 * whose work ends by itself (its worker died for good, its stream threads failed beyond replacing) is closed
 * and the process exits 1, so that whoever runs it (Compose, systemd, Kubernetes) sees the failure and
 * restarts it, rather than it living on with nothing working behind a port.
 */
final class Services {
    private static final Logger log = LoggerFactory.getLogger(Services.class);

    /** Starts a service's work. */
    interface Start {
        void run() throws Exception;
    }

    /** Blocks until the work has ended, by itself or because the service was closed. */
    interface AwaitEnd {
        void run() throws InterruptedException;
    }

    private Services() {}

    /** @return the exit code: 0 after a signal, 1 when the work ended by itself */
    static int runUntilSignalled(String name, AutoCloseable service, Start start, AwaitEnd awaitEnd) throws Exception {
        CountDownLatch signalled = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    signalled.countDown();
                    log.info("{}: stopping", name);
                    close(name, service);
                },
                name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        start.run();
        awaitEnd.run();
        if (signalled.getCount() == 0) {
            return 0;
        }
        log.error("{}: stopped by itself, not by a signal; exiting with status 1", name);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return 0; // a signal came after all: the hook is closing the service
        }
        close(name, service);
        return 1;
    }

    private static void close(String name, AutoCloseable service) {
        try {
            service.close();
        } catch (Exception e) {
            log.warn("{}: while stopping: {}", name, e.toString());
        }
    }
}
