package ada.carbon.app.cli;

import ada.carbon.ingest.source.common.SourceTimes;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Every command's durations ({@code --timeout}, {@code --interval}, {@code --step}, …): Prometheus style
 * ({@code 30s}, {@code 5m}, {@code 1h30m}, {@code 14d}) or ISO-8601 ({@code PT5M}), read by
 * {@link SourceTimes#duration}. Registered for {@link Duration} on the whole command line by {@code Main}.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return SourceTimes.duration(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
