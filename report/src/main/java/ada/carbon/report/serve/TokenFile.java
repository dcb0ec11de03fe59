package ada.carbon.report.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bearer tokens serve accepts, as {@code --tokens FILE} lists them: one a line,
 * {@code sha256:<64 hex digits> <role> <label>}, where the hash is SHA-256 of the token's UTF-8 bytes
 * ({@code ada-carbon serve --hash-token} prints it), the role is {@code operator}, {@code group:<group_name>} or
 * {@code user:<user_id>}, and the label (the rest of the line) names the token in logs. Blank lines and lines
 * starting with {@code #} are ignored.
 *
 * <p>Only hashes are kept. A presented token is hashed and compared with every entry in constant time
 * ({@link MessageDigest#isEqual}), all of them whatever matches, so the time taken says nothing about which entry,
 * if any, is close. Tokens are long random strings (see {@link #newToken}), so one SHA-256 is enough: there is
 * no password to guess.
 */
public final class TokenFile {
    private static final Pattern LINE = Pattern.compile("sha256:([0-9a-fA-F]{64})\\s+(\\S+)\\s+(\\S.*?)\\s*");

    private record Entry(byte[] hash, Caller caller) {}

    private final List<Entry> entries;

    private TokenFile(List<Entry> entries) {
        this.entries = entries;
    }

    /** @throws IllegalArgumentException naming the file, the line and what is wrong with it */
    public static TokenFile read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--tokens: no file at " + file.toAbsolutePath());
        }
        return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static TokenFile parse(String name, List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        name + " line " + (i + 1) + ": expected 'sha256:<64 hex digits> <role>"
                                + " <label>' (the hash from ada-carbon serve --hash-token, never the token itself)");
            }
            Role role;
            try {
                role = Role.parse(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " line " + (i + 1) + ": " + e.getMessage());
            }
            byte[] hash = HexFormat.of().parseHex(m.group(1).toLowerCase(java.util.Locale.ROOT));
            for (Entry e : entries) {
                if (MessageDigest.isEqual(e.hash(), hash)) {
                    throw new IllegalArgumentException(name + " line " + (i + 1) + ": the same token as '"
                            + e.caller().label() + "'");
                }
            }
            entries.add(new Entry(hash, new Caller(role, m.group(3))));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(name + " lists no token");
        }
        return new TokenFile(List.copyOf(entries));
    }

    /** The caller a presented token belongs to, or null. */
    public Caller authenticate(String token) {
        byte[] presented = sha256(token);
        Caller found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.hash(), presented) && found == null) {
                found = e.caller();
            }
        }
        return found;
    }

    public int size() {
        return entries.size();
    }

    /** What a token file lists for a token: {@code sha256:<hex>}. */
    public static String hash(String token) {
        return "sha256:" + HexFormat.of().formatHex(sha256(token));
    }

    /** A new random token: 32 bytes from {@link java.security.SecureRandom}, as URL-safe base64. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
