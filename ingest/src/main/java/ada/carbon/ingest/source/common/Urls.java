package ada.carbon.ingest.source.common;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The sources' URLs as they may be printed and stored, and where a request may go.
 *
 * <p>{@link #masked} is the one form in which a URL appears in a log, a message, the progress output,
 * a dead letter or a checkpoint: its userinfo ({@code user:password@}) and the values of its
 * secret-looking query parameters (a name containing {@code token}, {@code key}, {@code secret},
 * {@code pass}, {@code pwd}, {@code sig}, {@code auth}, {@code credential} or {@code session},
 * in any case) become {@code ***}. A secret elsewhere in a URL (in its path) cannot be told apart
 * from data: it belongs in a header ({@code --header}) or in one of those places.
 *
 * <p>A checkpoint's job keeps the masked URL and, when something was masked, a slow salted digest of
 * the masked parts ({@link #putIdentity}): two URLs that differ only in a secret (another tenant's
 * token) are different jobs, so one never resumes from the other's progress, and the file does not
 * give the secret away.
 */
public final class Urls {
    static final String MASK = "***";
    private static final Pattern SECRET_NAME =
            Pattern.compile("token|key|secret|pass|pwd|sig|auth|credential|session", Pattern.CASE_INSENSITIVE);
    /** PBKDF2 makes checking a guessed password against a checkpoint slow (0.2 s a guess here, warm). */
    private static final int DIGEST_ITERATIONS = 100_000;

    private static final String SECRET_SUFFIX = "_secret";

    private Urls() {}

    /** The URL with its userinfo and the values of its secret-looking query parameters replaced by {@code ***}. */
    public static String masked(URI uri) {
        return parts(uri).masked();
    }

    /**
     * Text that may hold a URL (a value read back from an older checkpoint, say): masked if it is an
     * absolute URL with a host part, as it is otherwise.
     */
    public static String masked(String text) {
        try {
            URI uri = new URI(text);
            return uri.isAbsolute() && uri.getRawAuthority() != null ? masked(uri) : text;
        } catch (URISyntaxException notAUrl) {
            return text;
        }
    }

    /**
     * Puts {@code field}: the masked URL into a checkpoint's job, and {@code field_secret}: the digest of
     * what was masked, if anything was (so a URL without secrets is described as it always was).
     */
    public static void putIdentity(ObjectNode job, String field, URI uri) {
        Parts p = parts(uri);
        job.put(field, p.masked());
        if (!p.secrets().isEmpty()) {
            job.put(field + SECRET_SUFFIX, digest(String.join("\n", p.secrets()), p.masked()));
        }
    }

    /** {@code scheme://host:port}, the port always given: where a request goes, for messages. */
    public static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme + "://" + host(uri) + ":" + port(uri);
    }

    /** Same scheme, host and port (a default port written out or not): the same origin. */
    public static boolean sameOrigin(URI a, URI b) {
        return origin(a).equals(origin(b));
    }

    private static String host(URI uri) {
        if (uri.getHost() != null) {
            return uri.getHost().toLowerCase(Locale.ROOT);
        }
        // A registry-based authority (a host name with '_'): the part after any userinfo, without the port.
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = hostPort.lastIndexOf(':');
        return (colon > hostPort.lastIndexOf(']') ? hostPort.substring(0, colon) : hostPort).toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
    }

    private record Parts(String masked, List<String> secrets) {}

    private static Parts parts(URI uri) {
        if (uri.isOpaque() || uri.getRawAuthority() == null) {
            return new Parts(uri.toString(), List.of());
        }
        List<String> secrets = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        if (uri.getScheme() != null) {
            out.append(uri.getScheme()).append(':');
        }
        String authority = uri.getRawAuthority();
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            secrets.add(authority.substring(0, at));
            authority = MASK + authority.substring(at);
        }
        out.append("//").append(authority);
        if (uri.getRawPath() != null) {
            out.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            out.append('?').append(maskedParameters(uri.getRawQuery(), secrets));
        }
        if (uri.getRawFragment() != null) {
            out.append('#').append(maskedParameters(uri.getRawFragment(), secrets));
        }
        return new Parts(out.toString(), secrets);
    }

    private static String maskedParameters(String raw, List<String> secrets) {
        StringJoiner out = new StringJoiner("&");
        for (String pair : raw.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq > 0 && SECRET_NAME.matcher(decoded(pair.substring(0, eq))).find()) {
                secrets.add(pair);
                out.add(pair.substring(0, eq + 1) + MASK);
            } else {
                out.add(pair);
            }
        }
        return out.toString();
    }

    private static String decoded(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return raw;
        }
    }

    private static String digest(String secret, String salt) {
        try {
            PBEKeySpec spec =
                    new PBEKeySpec(secret.toCharArray(), salt.getBytes(StandardCharsets.UTF_8), DIGEST_ITERATIONS, 128);
            byte[] d = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
            return "pbkdf2-sha256:" + HexFormat.of().formatHex(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
