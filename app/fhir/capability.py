"""The CapabilityStatement at /fhir/r4/metadata: what this server does, exactly.

SEARCH_PARAMS is also what the tests hold the routes to, so the statement
cannot promise a parameter a route does not declare (or the reverse).
"""

from typing import Any

from app.fhir import FHIR_VERSION

# The day this statement last changed; bump it with any change below.
STATEMENT_DATE = "2026-11-28"

_ID = ("_id", "token", "Resource id(s); a comma means OR.")
_LAST_UPDATED = (
    "_lastUpdated",
    "date",
    "When the resource last changed; prefixes eq, ne, gt, lt, ge, le; a value is a "
    "range as wide as its precision; no zone means UTC; repeat the parameter to AND.",
)
_NAME = (
    "name",
    "string",
    "Case-insensitive 'contains' match on the name (a superset of FHIR's default 'starts with').",
)

SEARCH_PARAMS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "Practitioner": (_ID, _LAST_UPDATED, _NAME),
    "PractitionerRole": (
        _ID,
        _LAST_UPDATED,
        (
            "specialty",
            "token",
            "Specialties are exported as text only (no codes), so `specialty` matches the "
            "text exactly and `specialty:text` contains it, both case-insensitively.",
        ),
        ("practitioner", "reference", "`Practitioner/<id>` or the bare id."),
        ("service", "reference", "`HealthcareService/<id>` or the bare id."),
    ),
    "HealthcareService": (_ID, _LAST_UPDATED, _NAME),
    "Organization": (_ID, _LAST_UPDATED, _NAME),
}

REST_DOCUMENTATION = (
    "Read-only directory of the hospital's published doctors, their roles at clinics, "
    "the clinics and the hospital. Searches page with `_count` (default 20, at most 100) "
    "and `_offset`; follow the Bundle's `next` link. Unknown search parameters are "
    "rejected with a 400 OperationOutcome (as if `Prefer: handling=strict` were always "
    'sent). Reads answer with a weak ETag `W/"<versionId>"` and honour If-None-Match.'
)


def _resource(resource_type: str) -> dict[str, Any]:
    return {
        "type": resource_type,
        "interaction": [{"code": "read"}, {"code": "search-type"}],
        "versioning": "versioned",
        "readHistory": False,
        "conditionalRead": "not-match",
        "searchParam": [
            {"name": name, "type": kind, "documentation": documentation}
            for name, kind, documentation in SEARCH_PARAMS[resource_type]
        ],
    }


def capability_statement(*, base: str, software_version: str) -> dict[str, Any]:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": STATEMENT_DATE,
        "name": "TreatmentContentApiFhirDirectory",
        "title": "Treatment Content API: FHIR R4 directory export",
        "kind": "instance",
        "software": {"name": "Treatment Content API", "version": software_version},
        "implementation": {"description": "FHIR R4 directory export", "url": base},
        "fhirVersion": FHIR_VERSION,
        "format": ["json", "application/fhir+json"],
        "rest": [
            {
                "mode": "server",
                "documentation": REST_DOCUMENTATION,
                "resource": [_resource(resource_type) for resource_type in SEARCH_PARAMS],
            }
        ],
    }
