package ada.carbon.app.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How the long-running services stop: SIGTERM or Ctrl-C closes the service, then the process exits. */
final class Services {
    private static final Logger log = LoggerFactory.getLogger(Services.class);

    private Services() {}

    static void runUntilSignalled(String name, AutoCloseable service, Runnable body) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("{}: stopping", name);
            try {
                service.close();
            } catch (Exception e) {
                log.warn("{}: while stopping: {}", name, e.toString());
            }
            closed.countDown();
        }, name + "-shutdown"));
        body.run();
        closed.await();
    }
}
