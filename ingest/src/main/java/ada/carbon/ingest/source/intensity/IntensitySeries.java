package ada.carbon.ingest.source.intensity;

import ada.carbon.schemas.EventRules;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which of the UK Carbon Intensity API's series a source reads: the national (GB) one, with forecasts
 * and actuals ({@code /intensity/{from}/{to}}); one region's, by its {@code regionid}
 * ({@code /regional/intensity/{from}/{to}/regionid/{id}}); or the region of an outward postcode
 * ({@code /regional/intensity/{from}/{to}/postcode/{postcode}}), whose {@code regionid} the API answers
 * with. Regional series have forecasts only.
 *
 * @param regionId a {@code regionid} from 1 to 17, or null
 * @param postcode an outward postcode, upper case, or null; at most one of the two is set
 */
public record IntensitySeries(Integer regionId, String postcode) {
    public static final IntensitySeries NATIONAL = new IntensitySeries(null, null);
    /** The outward part of a UK postcode: an area of one or two letters, a district of a digit and a digit or letter. */
    private static final Pattern OUTWARD = Pattern.compile("[A-Z]{1,2}[0-9][A-Z0-9]?");

    public IntensitySeries {
        if (regionId != null && postcode != null) {
            throw new IllegalArgumentException("--region and --postcode do not go together: one or the other");
        }
        if (regionId != null && (regionId < EventRules.MIN_REGION || regionId > EventRules.MAX_REGION)) {
            throw new IllegalArgumentException(regionMessage(regionId.toString()));
        }
        if (postcode != null && !OUTWARD.matcher(postcode).matches()) {
            throw new IllegalArgumentException("--postcode must be the outward part of a UK postcode, e.g. OX11"
                    + " (not the whole postcode), not '" + postcode + "'");
        }
    }

    /**
     * The series the options name: {@code --region ID} or {@code --postcode OUTWARD}; neither, or an empty one
     * (as a compose file passes an unset variable), is the national series.
     */
    public static IntensitySeries of(String region, String postcode) {
        String r = region == null ? "" : region.strip();
        String p = postcode == null ? "" : postcode.strip().toUpperCase(Locale.ROOT);
        Integer id = null;
        if (!r.isEmpty()) {
            try {
                id = Integer.valueOf(r);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(regionMessage(r));
            }
        }
        return new IntensitySeries(id, p.isEmpty() ? null : p);
    }

    private static String regionMessage(String given) {
        return "--region must be a regionid from " + EventRules.MIN_REGION + " to " + EventRules.MAX_REGION
                + " (12 is South England; empty for the national series), not '" + given + "'";
    }

    public boolean national() {
        return regionId == null && postcode == null;
    }

    /** The API's path for {@code [from, to)}, times already in its {@code YYYY-MM-DDThh:mmZ} form. */
    String path(String from, String to) {
        if (regionId != null) {
            return "/regional/intensity/" + from + "/" + to + "/regionid/" + regionId;
        }
        if (postcode != null) {
            return "/regional/intensity/" + from + "/" + to + "/postcode/" + postcode;
        }
        return "/intensity/" + from + "/" + to;
    }

    /**
     * The source's name in messages and its default checkpoint's: {@code intensity} for the national
     * series (as before regions), {@code intensity-region-12}, {@code intensity-postcode-OX11}; so that
     * followers of two series can run side by side.
     */
    public String sourceName() {
        return IntensitySource.NAME
                + (regionId != null ? "-region-" + regionId : postcode != null ? "-postcode-" + postcode : "");
    }

    /** Adds what tells this series' job from another's; nothing for the national one, whose jobs keep their form. */
    void putIdentity(ObjectNode job) {
        if (regionId != null) {
            job.put("region", regionId);
        }
        if (postcode != null) {
            job.put("postcode", postcode);
        }
    }

    @Override
    public String toString() {
        return regionId != null ? "region " + regionId : postcode != null ? "postcode " + postcode : "national";
    }
}
