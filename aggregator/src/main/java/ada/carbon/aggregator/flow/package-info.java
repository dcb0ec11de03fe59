/**
 * What flows between the aggregator's processors, typed: a raw record read and checked ({@link ReadResult}),
 * what the host stage sends on ({@link HostOutput}, its {@link BucketChange}s through the one internal topic
 * to the bucket stage), what the bucket stage writes ({@link BucketOutput}), and a record any of them
 * dead-letters ({@link Rejected}).
 */
package ada.carbon.aggregator.flow;
