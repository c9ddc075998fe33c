"""The error tree: what can go wrong, with the status and problem type each maps to.

Domain code raises these without knowing about HTTP. `app.http.problem`
renders one as an RFC 9457 body (or a FHIR OperationOutcome under /fhir/),
and `app.api.problems` installs the handlers that do it for every route.
"""

from typing import Any

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://treatment-content-api.readthedocs.io/problems/"
DATABASE_RETRY_AFTER = "5"


class AppError(Exception):
    """Base of every error a client may see; carries its problem fields."""

    status = 500
    slug = "internal-error"
    title = "Internal server error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        self.headers = headers or {}


class BadRequest(AppError):
    """A query parameter or header the API cannot act on."""

    status, slug, title = 400, "bad-request", "Bad request"


class Unauthorized(AppError):
    """No key, or a key that is unknown or revoked."""

    status, slug, title = 401, "unauthorized", "Authentication required"


class Forbidden(AppError):
    """A valid key whose role is too small for the action."""

    status, slug, title = 403, "forbidden", "Forbidden"


class NotFound(AppError):
    """Unknown, or not visible to this caller (drafts look exactly the same)."""

    status, slug, title = 404, "not-found", "Not found"


class MethodNotAllowed(AppError):
    """The path exists but not with this method."""

    status, slug, title = 405, "method-not-allowed", "Method not allowed"


class NotAcceptable(AppError):
    """No representation matches the request's Accept header."""

    status, slug, title = 406, "not-acceptable", "Not acceptable"


class Conflict(AppError):
    """The change clashes with existing content, such as a taken slug."""

    status, slug, title = 409, "conflict", "Conflict"


class PreconditionFailed(AppError):
    """If-Match names a version that is no longer current."""

    status, slug, title = 412, "precondition-failed", "Precondition failed"


class PayloadTooLarge(AppError):
    """The request body exceeds the configured limit."""

    status, slug, title = 413, "payload-too-large", "Payload too large"


class UnsupportedMediaType(AppError):
    """The body is not JSON."""

    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class ValidationFailed(AppError):
    """The body is JSON but not a valid resource."""

    status, slug, title = 422, "validation-error", "Validation failed"


class PreconditionRequired(AppError):
    """A write that must name the version it changes did not."""

    status, slug, title = 428, "precondition-required", "Precondition required"


class TooManyRequests(AppError):
    """The caller is over its rate limit."""

    status, slug, title = 429, "rate-limited", "Too many requests"


class ServiceUnavailable(AppError):
    """A dependency such as the database is down; retrying later may work."""

    status, slug, title = 503, "service-unavailable", "Service unavailable"

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)
        self.headers.setdefault("Retry-After", DATABASE_RETRY_AFTER)
