package ada.carbon.ingest.source.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short fingerprints of what was published, kept in checkpoints to publish only what changed. */
public final class Hashes {
    private Hashes() {}

    /** The first 16 bytes of the SHA-256 of the text, in hex. */
    public static String of(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
