package ada.carbon.report;

/** One entity of a scope: a project, machine type, group or user by name, or the platform ({@code ada}, no name). */
public record Selection(ViewScope scope, String name) {
    public static final Selection PLATFORM = new Selection(ViewScope.ADA, null);

    public Selection {
        if (scope.named() != (name != null)) {
            throw new IllegalArgumentException(
                    scope.named() ? "scope " + scope.id() + " needs an id" : "scope ada takes no id");
        }
    }

    public static Selection of(ViewScope scope, String name) {
        return new Selection(scope, scope.named() ? name : null);
    }
}
