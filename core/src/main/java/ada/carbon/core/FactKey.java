package ada.carbon.core;

/** One fact row's identity: scope, bucket start and entity (null for {@code ada}). */
public record FactKey(Scope scope, long bucketStart, String entity) {
    public FactKey {
        if ((scope == Scope.ADA) != (entity == null)) {
            throw new IllegalArgumentException("scope " + scope + " with entity " + entity);
        }
    }
}
