package ada.carbon.ingest.sim;

import ada.carbon.avro.WorkspaceEvent;

/** What a host is doing at the current point of a run. */
final class HostState {
    final SimHost host;
    /** The latest workspace created on the host and not yet deleted; null in a gap. */
    WorkspaceEvent workspace;
    /** How hard the current owner works the host in working hours, 0-1. */
    double load;
    /** An owner whose jobs run flat out day and night. */
    boolean batch;
    /** Scrapes still to miss in the current outage. */
    int outageLeft;

    HostState(SimHost host) {
        this.host = host;
    }

    boolean claimed() {
        return workspace != null && workspace.getOwner() != null;
    }
}
