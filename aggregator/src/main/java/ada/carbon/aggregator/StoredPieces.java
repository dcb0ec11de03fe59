package ada.carbon.aggregator;

import ada.carbon.avro.internal.StoredPiece;
import ada.carbon.core.UsagePiece;

/** Between the pieces the store holds (Avro) and the ones the ledger counts (plain Java). */
final class StoredPieces {
    private StoredPieces() {}

    static UsagePiece usage(StoredPiece p, long slotStart) {
        return new UsagePiece(p.getInstance(), p.getTs(), p.getPeriodSeconds(), p.getCloudProjectName(),
                p.getMachineName(), slotStart, p.getPieceStart(), p.getBusy(), p.getIdle(), p.getOwner());
    }

    static StoredPiece stored(UsagePiece p) {
        return new StoredPiece(p.instance(), p.ts(), p.periodSeconds(), p.project(), p.machine(), p.pieceStart(),
                p.busySeconds(), p.idleSeconds(), p.owner());
    }

    static boolean sameEvent(StoredPiece p, UsagePiece u) {
        return p.getTs() == u.ts() && p.getPeriodSeconds() == u.periodSeconds() && p.getInstance().equals(u.instance());
    }
}
