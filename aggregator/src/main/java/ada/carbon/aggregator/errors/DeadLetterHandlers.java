package ada.carbon.aggregator.errors;

import ada.carbon.schemas.DeadLetter;
import ada.carbon.schemas.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' three exception handlers, all dead-lettering and going on, so that no record can stop
 * or loop the aggregator (SPEC 2.7). The processors dead-letter what they foresee themselves; these are
 * the net under them:
 * <ul>
 *   <li>processing: a record a processor failed on is dead-lettered with reason {@code error}, unless it
 *       is a {@link PoisonRecordException}, which fails the thread on purpose ({@link PoisonRecords});
 *   <li>deserialization: the raw topics are read as bytes, so only a record of an internal topic can get
 *       here; it is dead-lettered as {@code malformed};
 *   <li>serialization of an output: the input record that caused it is dead-lettered with {@code error};
 *       one written by a punctuation (no input record) is dropped and logged.
 * </ul>
 * A failure to send (an unreachable or refusing broker) is not a record's fault and still fails the thread.
 */
public final class DeadLetterHandlers
        implements ProcessingExceptionHandler, DeserializationExceptionHandler, ProductionExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterHandlers.class);

    @Override
    public void configure(Map<String, ?> configs) {
        // Nothing to configure: the dead-letter topic is ada-carbon's own.
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(
            ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (PoisonRecordException.isIn(exception)) {
            return ProcessingExceptionHandler.Response.fail();
        }
        log.error(
                "processing {} in {} failed; dead-lettering it", where(context), context.processorNodeId(), exception);
        return ProcessingExceptionHandler.Response.resume(deadLetter(context, DeadLetter.ERROR, exception));
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        log.warn("cannot read {}; dead-lettering it: {}", where(context), exception.getMessage());
        return DeserializationExceptionHandler.Response.resume(deadLetter(context, DeadLetter.MALFORMED, exception));
    }

    @Override
    public ProductionExceptionHandler.Response handleSerializationError(
            ErrorHandlerContext context,
            ProducerRecord record,
            Exception exception,
            SerializationExceptionOrigin origin) {
        log.error(
                "cannot write a record to {} while processing {}; dead-lettering the input",
                record.topic(),
                where(context),
                exception);
        return ProductionExceptionHandler.Response.resume(deadLetter(context, DeadLetter.ERROR, exception));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        return ProductionExceptionHandler.Response.fail();
    }

    /** The input record that failed, with the reason in its headers; none when there is no input record. */
    private static List<ProducerRecord<byte[], byte[]>> deadLetter(
            ErrorHandlerContext context, String reason, Exception exception) {
        if (context == null || context.sourceRawValue() == null && context.sourceRawKey() == null) {
            return List.of();
        }
        var headers = DeadLetter.headers(
                reason,
                exception.getClass().getSimpleName() + ": " + exception.getMessage(),
                context.topic(),
                context.partition(),
                context.offset());
        return List.of(new ProducerRecord<>(
                Topics.DEAD_LETTER,
                null,
                System.currentTimeMillis(),
                context.sourceRawKey(),
                context.sourceRawValue(),
                headers));
    }

    private static String where(ErrorHandlerContext context) {
        return context == null ? "a punctuation" : context.topic() + "-" + context.partition() + "@" + context.offset();
    }
}
