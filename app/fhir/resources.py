"""Our published content as FHIR R4 resources, built as plain dicts.

Every resource keeps our UUID as its id, `meta.versionId` from the row's
`version` and `meta.lastUpdated` from its `updated_at`. References to the
Organization carry no `display`, so a resource's content (and so its
versionId and ETag) depends only on the rows its version counts.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from models import Clinic, Doctor, Organization

ROLE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:treatment-content-api:fhir:PractitionerRole")
BCP47 = "urn:ietf:bcp:47"
PRACTITIONER_ROLE_SYSTEM = "http://terminology.hl7.org/CodeSystem/practitioner-role"
ORGANIZATION_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/organization-type"


@dataclass(frozen=True)
class Context:
    """What a builder needs beyond the row: the identifier namespace and the
    id of the Organization that everything belongs to (None if unpublished)."""

    base_url: str
    organization_id: str | None = None


def instant(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """FHIR JSON allows neither nulls nor empty arrays or objects."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _meta(version: str, updated_at: datetime, **extra: Any) -> dict[str, Any]:
    return _compact({"versionId": version, "lastUpdated": instant(updated_at), **extra})


def identifier_system(ctx: Context, kind: str) -> str:
    return f"{ctx.base_url.rstrip('/')}/fhir/sid/{kind}-slug"


def _identifier(ctx: Context, kind: str, slug: str) -> list[dict[str, str]]:
    return [{"use": "official", "system": identifier_system(ctx, kind), "value": slug}]


def reference(resource_type: str, resource_id: str, display: str | None = None) -> dict[str, str]:
    return _compact({"reference": f"{resource_type}/{resource_id}", "display": display})


def _organization_reference(ctx: Context) -> dict[str, str] | None:
    if ctx.organization_id is None:
        return None
    return reference("Organization", ctx.organization_id)


def display_name(doctor: Doctor) -> str:
    return f"{doctor.honorific} {doctor.name}".strip()


def human_name(doctor: Doctor) -> dict[str, Any]:
    """`text` is the name as published; family/given split it at the last space,
    which is a guess for some naming traditions, so consumers should show `text`."""
    *given, family = doctor.name.split() or [doctor.name]
    return _compact(
        {
            "text": display_name(doctor),
            "family": family if given else None,
            "given": given,
            "prefix": [doctor.honorific] if doctor.honorific else [],
        }
    )


def practitioner(doctor: Doctor, ctx: Context) -> dict[str, Any]:
    return _compact(
        {
            "resourceType": "Practitioner",
            "id": doctor.id,
            "meta": _meta(str(doctor.version), doctor.updated_at),
            "identifier": _identifier(ctx, "doctor", doctor.slug),
            "active": True,
            "name": [human_name(doctor)],
            "photo": [{"url": doctor.photo_url}] if doctor.photo_url else [],
            "qualification": [{"code": {"text": text}} for text in doctor.qualifications],
            "communication": [
                {"coding": [{"system": BCP47, "code": code}]} for code in doctor.languages
            ],
        }
    )


def role_id(doctor_id: str, clinic_id: str | None) -> str:
    """Deterministic, so a role keeps its id as long as the link exists."""
    return str(uuid.uuid5(ROLE_NAMESPACE, f"{doctor_id}:{clinic_id or ''}"))


def role_version(doctor: Doctor, clinic: Clinic | None) -> str:
    return f"{doctor.version}.{clinic.version}" if clinic else str(doctor.version)


def role_updated_at(doctor: Doctor, clinic: Clinic | None) -> datetime:
    return max(doctor.updated_at, clinic.updated_at) if clinic else doctor.updated_at


def practitioner_role(doctor: Doctor, clinic: Clinic | None, ctx: Context) -> dict[str, Any]:
    """A doctor at one clinic; a doctor with no published clinic has one role
    without `healthcareService`, so their specialties are still exported."""
    return _compact(
        {
            "resourceType": "PractitionerRole",
            "id": role_id(doctor.id, clinic.id if clinic else None),
            "meta": _meta(role_version(doctor, clinic), role_updated_at(doctor, clinic)),
            "active": True,
            "practitioner": reference("Practitioner", doctor.id, display_name(doctor)),
            "organization": _organization_reference(ctx),
            "code": [
                {
                    "coding": [
                        {"system": PRACTITIONER_ROLE_SYSTEM, "code": "doctor", "display": "Doctor"}
                    ]
                }
            ],
            "specialty": [{"text": text} for text in doctor.specialties],
            "healthcareService": (
                [reference("HealthcareService", clinic.id, clinic.name)] if clinic else []
            ),
        }
    )


def healthcare_service(clinic: Clinic, ctx: Context) -> dict[str, Any]:
    return _compact(
        {
            "resourceType": "HealthcareService",
            "id": clinic.id,
            "meta": _meta(str(clinic.version), clinic.updated_at),
            "identifier": _identifier(ctx, "clinic", clinic.slug),
            "active": True,
            "providedBy": _organization_reference(ctx),
            "name": clinic.name,
            "extraDetails": clinic.description,
        }
    )


PLACEHOLDER_NOTE = "Placeholder profile: the operator has not yet set this hospital's details."


def _address(address: dict[str, Any]) -> dict[str, Any]:
    return _compact(
        {
            "line": [address["street"]] if address.get("street") else [],
            "city": address.get("locality"),
            "state": address.get("region"),
            "postalCode": address.get("postal_code"),
            "country": address.get("country"),
        }
    )


def organization(org: Organization, ctx: Context) -> dict[str, Any]:
    """The hospital; a shipped placeholder says so in `alias` and a meta tag."""
    tags = []
    if org.is_placeholder:
        tags.append(
            {
                "system": f"{ctx.base_url.rstrip('/')}/fhir/CodeSystem/profile-status",
                "code": "placeholder",
                "display": PLACEHOLDER_NOTE,
            }
        )
    telecom = []
    if org.telephone:
        telecom.append({"system": "phone", "value": org.telephone, "use": "work"})
    if org.url:
        telecom.append({"system": "url", "value": org.url, "use": "work"})
    address = _address(org.address or {})
    return _compact(
        {
            "resourceType": "Organization",
            "id": org.id,
            "meta": _meta(str(org.version), org.updated_at, tag=tags),
            "identifier": _identifier(ctx, "organization", org.slug),
            "active": True,
            "type": [
                {
                    "coding": [
                        {
                            "system": ORGANIZATION_TYPE_SYSTEM,
                            "code": "prov",
                            "display": "Healthcare Provider",
                        }
                    ]
                }
            ],
            "name": org.name,
            "alias": [PLACEHOLDER_NOTE] if org.is_placeholder else [],
            "telecom": telecom,
            "address": [address] if address else [],
        }
    )
