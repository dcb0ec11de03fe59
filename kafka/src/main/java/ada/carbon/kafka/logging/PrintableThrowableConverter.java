package ada.carbon.kafka.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * {@code %printableEx} of {@code logback.xml}: the stack trace as {@code %ex} writes it, one frame a line, with
 * the message of each throwable (and of its causes and suppressed ones) through {@link Printable}: an
 * exception's message often quotes the input that caused it.
 */
public final class PrintableThrowableConverter extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
        return super.throwableProxyToString(PrintableThrowable.of(tp));
    }

    /** A throwable as logback sees it, its messages printable; the rest as it is. */
    private record PrintableThrowable(IThrowableProxy tp) implements IThrowableProxy {
        static IThrowableProxy of(IThrowableProxy tp) {
            return tp == null ? null : new PrintableThrowable(tp);
        }

        @Override
        public String getOverridingMessage() {
            return Printable.of(tp.getOverridingMessage());
        }

        @Override
        public String getMessage() {
            return Printable.of(tp.getMessage());
        }

        @Override
        public String getClassName() {
            return tp.getClassName();
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return tp.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return tp.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return of(tp.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = tp.getSuppressed();
            if (suppressed == null) {
                return null;
            }
            IThrowableProxy[] printable = new IThrowableProxy[suppressed.length];
            for (int i = 0; i < suppressed.length; i++) {
                printable[i] = of(suppressed[i]);
            }
            return printable;
        }

        @Override
        public boolean isCyclic() {
            return tp.isCyclic();
        }
    }
}
