package ada.carbon.aggregator;

import ada.carbon.core.UsagePiece;

/**
 * Told of every piece as the accounting counts it, between changing the ledger and the pieces it holds:
 * the worst moment to fail. Production runs observe nothing; the tests of SPEC 2.7's reason {@code error}
 * fail there, to show that a record failing halfway leaves no trace but its dead letter.
 */
@FunctionalInterface
public interface PieceObserver {
    PieceObserver NONE = piece -> {};

    void counted(UsagePiece piece);
}
