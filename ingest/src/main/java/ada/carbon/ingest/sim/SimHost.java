package ada.carbon.ingest.sim;

/**
 * One simulated host.
 *
 * @param instance         its Prometheus {@code instance} label, as {@code cpu} events carry it
 * @param registryInstance the label the workspace registry uses for it: usually the same, but for a
 *                         few hosts written without the port or in upper case, as SPEC 1.3 allows
 * @param cores            CPU cores: a step's busy plus idle seconds come to at most cores × step
 * @param spare            never claimed by any workspace
 */
public record SimHost(
        int index,
        String instance,
        String registryInstance,
        String project,
        String machine,
        int cores,
        boolean spare) {}
