package ada.carbon.app.cli;

import ada.carbon.app.stack.LocalStack;
import ada.carbon.sink.SinkService;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Run the sink service: the aggregator's output into the SQLite database, until stopped.")
public final class SinkCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT")
    String bootstrapServers;

    @Option(names = "--db", required = true, paramLabel = "FILE")
    Path db;

    @Override
    public Integer call() throws Exception {
        LocalStack.ensureTopics(bootstrapServers);
        SinkService sink = new SinkService(bootstrapServers, db);
        Thread loop = new Thread(sink::runUntilStopped, "ada-carbon-sink");
        Services.runUntilSignalled("sink", sink, loop::start);
        return 0;
    }
}
