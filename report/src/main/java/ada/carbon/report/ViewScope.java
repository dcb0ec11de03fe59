package ada.carbon.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A scope of the database's views (SPEC 3.2): where its facts are ({@code t}, a timeseries view, joined for a
 * group), the expression naming its entity, its totals and averages views, and the dimension that lists its
 * entities. The platform ({@code ada}) has one entity and no name.
 */
public enum ViewScope {
    ADA("ada", "v_ada_timeseries t", null, null, "v_ada_totals", "v_ada_averages", null),
    PROJECT(
            "project",
            "v_project_timeseries t",
            "t.cloud_project_name",
            "cloud_project_name",
            "v_project_totals",
            "v_project_averages",
            "SELECT cloud_project_name FROM dim_project"),
    MACHINE(
            "machine",
            "v_machine_timeseries t",
            "t.machine_name",
            "machine_name",
            "v_machine_totals",
            "v_machine_averages",
            "SELECT machine_name FROM dim_machine"),
    // The group's users' rows of v_user_timeseries, as v_group_* join them. CROSS JOIN keeps SQLite's order: group,
    // its users, then each user's facts by ix_fact_usage_user. Left to choose (a read-only reader cannot ANALYZE),
    // it scans every user fact of the period by (scope, ts) instead: 4 million rows for a year of 500 users.
    GROUP(
            "group",
            "dim_group g CROSS JOIN dim_user u ON u.group_id = g.group_id"
                    + " CROSS JOIN v_user_timeseries t ON t.user_id = u.user_id",
            "g.group_name",
            "group_name",
            "v_group_totals",
            "v_group_averages",
            "SELECT group_name FROM dim_group"),
    USER(
            "user",
            "v_user_timeseries t",
            "t.user_id",
            "user_id",
            "v_user_totals",
            "v_user_averages",
            "SELECT user_id FROM dim_user");

    private final String id;
    final String timeseries;
    final String nameExpression;
    final String nameColumn;
    final String totals;
    final String averages;
    final String dimension;

    ViewScope(
            String id,
            String timeseries,
            String nameExpression,
            String nameColumn,
            String totals,
            String averages,
            String dimension) {
        this.id = id;
        this.timeseries = timeseries;
        this.nameExpression = nameExpression;
        this.nameColumn = nameColumn;
        this.totals = totals;
        this.averages = averages;
        this.dimension = dimension;
    }

    /** The name the API and the report use: {@code ada}, {@code project}, {@code machine}, {@code group}, {@code user}. */
    public String id() {
        return id;
    }

    /** Whether the scope has named entities (all but {@code ada}). */
    public boolean named() {
        return nameExpression != null;
    }

    /** @throws IllegalArgumentException naming the scopes there are */
    public static ViewScope of(String id) {
        for (ViewScope s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + id + "': one of "
                + Arrays.stream(values()).map(ViewScope::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
