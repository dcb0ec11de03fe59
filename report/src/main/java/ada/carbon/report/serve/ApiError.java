package ada.carbon.report.serve;

/** A request the API answers with an error status and a JSON body naming the problem. */
final class ApiError extends RuntimeException {
    final int status;

    ApiError(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    static ApiError badRequest(String detail) {
        return new ApiError(400, detail);
    }

    static ApiError notFound(String detail) {
        return new ApiError(404, detail);
    }

    /** The same answer whether or not the thing exists: a 403 says nothing of it. */
    static ApiError forbidden() {
        return new ApiError(403, "this token may not see that");
    }

    static ApiError unauthorized(String detail) {
        return new ApiError(401, detail);
    }

    /** The error body: {@code error}, the status's name, and {@code detail}, as the original Ada API names it. */
    record Body(String error, int status, String detail) {}

    Body body() {
        return new Body(
                switch (status) {
                    case 400 -> "bad_request";
                    case 401 -> "unauthorized";
                    case 403 -> "forbidden";
                    case 404 -> "not_found";
                    case 503 -> "unavailable";
                    default -> "error";
                },
                status,
                getMessage());
    }
}
