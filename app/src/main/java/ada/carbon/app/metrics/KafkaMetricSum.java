package ada.carbon.app.metrics;

import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/** The sum of the Kafka client metrics of one group and name whose tags match, e.g. per topic over all tasks. */
final class KafkaMetricSum {
    private KafkaMetricSum() {}

    static double of(
            Supplier<? extends Map<MetricName, ? extends Metric>> metrics,
            String group,
            String name,
            Predicate<Map<String, String>> tags) {
        double sum = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.get().entrySet()) {
            MetricName n = e.getKey();
            if (n.group().equals(group) && n.name().equals(name) && tags.test(n.tags())) {
                Object value = e.getValue().metricValue();
                if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
                    sum += number.doubleValue();
                }
            }
        }
        return sum;
    }
}
