package ada.carbon.aggregator.host;

import ada.carbon.schemas.InstanceLabel;
import java.util.HashMap;
import java.util.Map;

/**
 * One copy of each label string (instance, project, machine) and of each instance's host key. Every cpu
 * event decodes its labels afresh; the open pieces keep millions of them for the horizon, and each is
 * hashed several times on its way (host, cell, label). Canonical copies are stored once and hash once.
 * A cache: cleared if a stream of ever-new labels makes it large, which costs speed, never correctness.
 */
final class LabelStrings {
    private static final int LIMIT = 200_000;
    private final Map<String, String> canonical = new HashMap<>();
    private final Map<String, String> hostKeys = new HashMap<>();

    String canonical(String s) {
        String known = canonical.get(s);
        if (known != null) {
            return known;
        }
        if (canonical.size() >= LIMIT) {
            canonical.clear();
        }
        canonical.put(s, s);
        return s;
    }

    /** {@link InstanceLabel#hostKey} of a canonical instance label. */
    String hostKey(String instance) {
        String key = hostKeys.get(instance);
        if (key == null) {
            if (hostKeys.size() >= LIMIT) {
                hostKeys.clear();
            }
            key = canonical(InstanceLabel.hostKey(instance));
            hostKeys.put(instance, key);
        }
        return key;
    }
}
