package ada.carbon.bench;

import ada.carbon.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;

/**
 * The aggregator's consumer group as the broker describes it: its instances, how many stream threads each
 * runs (each thread's consumer is a member) and how many host tasks each holds (partitions of the raw cpu
 * topic). The bench reports what ran, not what it asked for.
 */
record AggregatorGroup(List<Instance> instances) {
    /** A stream thread's consumer is {@code <application.id>-<process id>-StreamThread-<n>-consumer}. */
    private static final String STREAM_THREAD = "-StreamThread-";

    record Instance(String clientId, int threads, int hostTasks) {}

    /** The group once it is stable (a rebalance in progress shows no assignment), most host tasks first. */
    static AggregatorGroup describe(Admin admin, String applicationId, Duration timeout)
            throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ConsumerGroupDescription group;
        while ((group = admin.describeConsumerGroups(List.of(applicationId))
                                .all()
                                .get()
                                .get(applicationId))
                        .groupState()
                != GroupState.STABLE) {
            if (System.nanoTime() > deadline) {
                throw new PhaseTimeoutException(
                        "describe the aggregator's group",
                        timeout,
                        "group " + applicationId + " is " + group.groupState());
            }
            Thread.sleep(200);
        }
        Map<String, int[]> threadsAndTasks = new TreeMap<>();
        for (MemberDescription m : group.members()) {
            int at = m.clientId().indexOf(STREAM_THREAD);
            int[] counts = threadsAndTasks.computeIfAbsent(
                    at < 0 ? m.clientId() : m.clientId().substring(0, at), k -> new int[2]);
            counts[0]++;
            counts[1] += (int) m.assignment().topicPartitions().stream()
                    .filter(tp -> tp.topic().equals(Topics.RAW_CPU))
                    .count();
        }
        List<Instance> instances = new ArrayList<>();
        threadsAndTasks.forEach((id, counts) -> instances.add(new Instance(id, counts[0], counts[1])));
        instances.sort(Comparator.comparingInt(Instance::hostTasks).reversed());
        return new AggregatorGroup(List.copyOf(instances));
    }

    /** Each instance's stream threads, e.g. {@code 2}, or {@code 1 + 1} for two instances of one thread. */
    String threads() {
        return instances.stream().map(i -> Integer.toString(i.threads())).collect(Collectors.joining(" + "));
    }

    /** Each instance's host tasks, e.g. {@code 4}, or {@code 2 + 2}. */
    String hostTasks() {
        return instances.stream().map(i -> Integer.toString(i.hostTasks())).collect(Collectors.joining(" + "));
    }
}
