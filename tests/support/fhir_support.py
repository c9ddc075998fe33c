"""Helpers for the FHIR tests: validate with the fhir.resources R4B models."""

from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from httpx import Response

FHIR_JSON = "application/fhir+json"


def validated(body: dict[str, Any]) -> dict[str, Any]:
    """Validate a resource (and each Bundle entry on its own), return it unchanged."""
    model = get_fhir_model_class(body["resourceType"])
    model.model_validate(body)
    for entry in body.get("entry", []):
        validated(entry["resource"])
    return body


def fhir_json(response: Response, status: int = 200) -> dict[str, Any]:
    """Assert the status and FHIR media type, validate the body and return it."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == FHIR_JSON
    return validated(response.json())


def resources(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    assert bundle["type"] == "searchset"
    return [entry["resource"] for entry in bundle.get("entry", [])]


def link(bundle: dict[str, Any], relation: str) -> str | None:
    return next((x["url"] for x in bundle["link"] if x["relation"] == relation), None)
