"""Errors on /fhir/ as OperationOutcome resources instead of RFC 9457 problems.

FHIR clients parse OperationOutcome; the status code stays the same as the
rest of the API would send.
"""

from typing import Any

# http://hl7.org/fhir/R4/valueset-issue-type.html
ISSUE_TYPES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    409: "conflict",
    410: "deleted",
    412: "conflict",
    413: "too-costly",
    415: "not-supported",
    422: "invalid",
    428: "required",
    429: "throttled",
    503: "transient",
}


def operation_outcome(
    status: int, detail: str, errors: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """One issue per field error, or one issue carrying the detail."""
    code = ISSUE_TYPES.get(status, "exception" if status >= 500 else "processing")
    severity = "fatal" if status >= 500 else "error"
    if errors:
        issues = [
            {
                "severity": severity,
                "code": code,
                "diagnostics": f"{error['field']}: {error['message']}",
                "details": {"text": detail},
            }
            for error in errors
        ]
    else:
        issues = [{"severity": severity, "code": code, "diagnostics": detail}]
    return {"resourceType": "OperationOutcome", "issue": issues}
