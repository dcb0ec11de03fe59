package ada.carbon.kafka.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %printableMsg} of {@code logback.xml}: the formatted message, through {@link Printable}. A message
 * carries input (a record's fields, a header, a line of a file), so a CR or LF in it must not start a line of
 * its own and an ESC must not reach the terminal.
 */
public final class PrintableMessageConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Printable.of(event.getFormattedMessage());
    }
}
