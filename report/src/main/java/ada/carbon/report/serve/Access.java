package ada.carbon.report.serve;

import ada.carbon.report.ReportReader;
import ada.carbon.report.Selection;
import ada.carbon.report.ViewScope;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Who sees what. An operator sees everything. Every caller sees the platform's totals ({@code ada}) and the grid's
 * intensity. A group role sees its group and the users in it (dim_user's group, as the user events last said); a
 * user role sees that user. Anything else is refused with 403 before the database is asked whether it exists, so
 * a refusal says nothing of that.
 */
final class Access {
    private Access() {}

    static boolean allows(Caller caller, Selection s, Connection c) throws SQLException {
        Role role = caller.role();
        if (role.kind() == Role.Kind.OPERATOR || s.scope() == ViewScope.ADA) {
            return true;
        }
        return switch (role.kind()) {
            case GROUP ->
                s.scope() == ViewScope.GROUP
                        ? s.name().equals(role.name())
                        : s.scope() == ViewScope.USER && role.name().equals(groupOf(c, s.name()));
            case USER -> s.scope() == ViewScope.USER && s.name().equals(role.name());
            default -> false;
        };
    }

    static void check(Caller caller, Selection s, Connection c) throws SQLException {
        if (!allows(caller, s, c)) {
            throw ApiError.forbidden();
        }
    }

    /** Whether the caller may list a scope's entities at all: an operator every scope, a group its group and users, a user users. */
    static boolean mayList(Caller caller, ViewScope scope) {
        return switch (caller.role().kind()) {
            case OPERATOR -> true;
            case GROUP -> scope == ViewScope.GROUP || scope == ViewScope.USER;
            case USER -> scope == ViewScope.USER;
        };
    }

    /** The entities of a scope the caller may see: null for all of them. */
    static List<String> visible(Caller caller, ViewScope scope, Connection c) throws SQLException {
        Role role = caller.role();
        return switch (role.kind()) {
            case OPERATOR -> null;
            case GROUP ->
                scope == ViewScope.GROUP
                        ? List.of(role.name())
                        : scope == ViewScope.USER ? ReportReader.members(c, role.name()) : List.of();
            case USER -> scope == ViewScope.USER ? List.of(role.name()) : List.of();
        };
    }

    /** Whether the caller sees an active workspace: an operator all, a group its members', a user their own. */
    static boolean sees(Caller caller, ReportReader.Workspace w) {
        Role role = caller.role();
        return switch (role.kind()) {
            case OPERATOR -> true;
            case GROUP -> role.name().equals(w.ownerGroup());
            case USER -> role.name().equals(w.owner());
        };
    }

    private static String groupOf(Connection c, String userId) throws SQLException {
        ReportReader.UserInfo u = ReportReader.user(c, userId);
        return u == null ? null : u.groupName();
    }
}
