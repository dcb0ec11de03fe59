package ada.carbon.app.cli;

import ada.carbon.app.ConfigFiles;
import ada.carbon.ingest.IngestCounts;
import ada.carbon.ingest.JsonLinesIngest;
import ada.carbon.kafka.DeadLetters;
import ada.carbon.schemas.Topics;
import ada.carbon.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "load",
        mixinStandardHelpOptions = true,
        description = "Publish JSON Lines event files, run aggregator and sink until the database reflects every"
                + " event, print a one-line summary. Run again on the same data directory to add to the same state.")
public final class LoadCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Mixin
    KafkaConfigOption kafka;

    @Mixin
    ParallelismOptions parallel;

    @Option(
            names = "--timeout",
            description = "Longest wait for the pipeline to catch up (e.g. 45m, 2h or PT30M; default 30m).")
    Duration timeout = Duration.ofMinutes(30);

    @Parameters(
            arity = "0..*",
            paramLabel = "EVENTS.jsonl",
            description = "Files of SPEC section 1 events (.gz too). None: only catch up with what is already published"
                    + " (e.g. by the ingest sources).")
    List<Path> files = List.of();

    @Override
    public Integer call() throws Exception {
        for (Path f : files) {
            if (!Files.isReadable(f)) {
                throw new IllegalArgumentException("cannot read " + f);
            }
        }
        try (LocalStack s = LocalStack.start(
                stack.dataDir(),
                stack.bootstrapServers,
                kafka.properties(),
                parallel.parallelism(),
                ConfigFiles.load(stack.config),
                stack.db)) {
            var dlqBefore = DeadLetters.ends(s.admin());
            IngestCounts counts = new JsonLinesIngest(s.publisher()).ingest(files);
            s.awaitCaughtUp(timeout);
            var rejected = DeadLetters.read(s.bootstrapServers(), s.client(), s.admin(), dlqBefore, 0);
            System.out.println(summary(counts.read(), rejected));
        }
        return 0;
    }

    static String summary(long read, DeadLetters.Report rejected) {
        StringBuilder line = new StringBuilder(String.format(
                Locale.ROOT,
                "read %,d events: %,d applied, %,d rejected to %s",
                read,
                read - rejected.total(),
                rejected.total(),
                Topics.DEAD_LETTER));
        if (!rejected.byReason().isEmpty()) {
            line.append(" (");
            rejected.byReason()
                    .forEach((reason, n) ->
                            line.append(reason).append(' ').append(n).append(", "));
            line.setLength(line.length() - 2);
            line.append(')');
        }
        return line.toString();
    }
}
