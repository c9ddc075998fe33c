"""FHIR R4 directory export (read-only): Practitioner, PractitionerRole,
HealthcareService and Organization, plus the CapabilityStatement.

Errors here are OperationOutcome resources, not RFC 9457 problems; see
docs/fhir.md for the mapping and every deviation from the rest of the API.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.api.fhir_bundle import fhir_base, searchset
from app.api.fhir_exchange import (
    FhirJSONResponse,
    SearchParamsDep,
    fhir_response,
    require_fhir_json,
    version_etag,
)
from app.deps import PublicSessionDep
from app.fhir import FHIR_BASE_PATH, FHIR_MEDIA_TYPE
from app.fhir import resources as fhir
from app.fhir.capability import capability_statement
from app.fhir.search_params import SearchParams
from app.services.delivery import fhir_queries as fhir_service
from models import Clinic, Doctor, Organization

_OUTCOME = {"description": "An OperationOutcome.", "content": {FHIR_MEDIA_TYPE: {}}}
SEARCH_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "A searchset Bundle.", "content": {FHIR_MEDIA_TYPE: {}}},
    400: _OUTCOME,
    406: _OUTCOME,
}
READ_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": 'The resource; ETag is W/"<versionId>".',
        "content": {FHIR_MEDIA_TYPE: {}},
    },
    304: {"description": "If-None-Match matched the current version."},
    400: _OUTCOME,  # unknown query parameters, as everywhere
    404: _OUTCOME,
    406: _OUTCOME,
}

router = APIRouter(
    prefix=FHIR_BASE_PATH,
    tags=["fhir"],
    dependencies=[Depends(require_fhir_json)],
    default_response_class=FhirJSONResponse,
)

NameQuery = Annotated[
    str | None, Query(min_length=1, max_length=200, description="Name contains (any case).")
]
ResourceId = Annotated[str, Path(max_length=64, description="The resource id (our UUID).")]


def _context(request: Request, session: Session | None = None) -> fhir.Context:
    """Pass the session when the resources reference the Organization (one query)."""
    return fhir.Context(
        base_url=request.app.state.settings.public_base_url,
        organization_id=fhir_service.organization_id(session) if session else None,
    )


def _bundle(
    request: Request,
    resource_type: str,
    items: list[dict[str, Any]],
    total: int,
    params: SearchParams,
) -> Response:
    return fhir_response(
        request, searchset(request, resource_type, items, total=total, params=params)
    )


def _read(request: Request, resource: dict[str, Any]) -> Response:
    return fhir_response(request, resource, etag=version_etag(resource))


@router.get(
    "/metadata", responses={200: {"content": {FHIR_MEDIA_TYPE: {}}}, 400: _OUTCOME, 406: _OUTCOME}
)
def metadata(request: Request) -> Response:
    """The CapabilityStatement: resources, interactions and search parameters."""
    statement = capability_statement(base=fhir_base(request), software_version=request.app.version)
    return fhir_response(request, statement)


@router.get("/Practitioner", responses=SEARCH_RESPONSES)
def search_practitioners(
    request: Request, session: PublicSessionDep, params: SearchParamsDep, name: NameQuery = None
) -> Response:
    """Search published doctors as Practitioner resources."""
    doctors, total = fhir_service.search(
        session, model=Doctor, params=params, name=name, options=fhir_service.PRACTITIONER_OPTIONS
    )
    ctx = _context(request)
    return _bundle(
        request, "Practitioner", [fhir.practitioner(d, ctx) for d in doctors], total, params
    )


@router.get("/Practitioner/{resource_id}", responses=READ_RESPONSES)
def read_practitioner(
    request: Request, session: PublicSessionDep, resource_id: ResourceId
) -> Response:
    """One published doctor as a Practitioner."""
    doctor = fhir_service.read(
        session,
        model=Doctor,
        resource_type="Practitioner",
        resource_id=resource_id,
        options=fhir_service.PRACTITIONER_OPTIONS,
    )
    return _read(request, fhir.practitioner(doctor, _context(request)))


@router.get("/PractitionerRole", responses=SEARCH_RESPONSES)
def search_practitioner_roles(
    request: Request,
    session: PublicSessionDep,
    params: SearchParamsDep,
    specialty: Annotated[
        str | None, Query(max_length=200, description="Specialty text, exact (any case).")
    ] = None,
    specialty_text: Annotated[
        str | None,
        Query(alias="specialty:text", max_length=200, description="Specialty text contains."),
    ] = None,
    practitioner: Annotated[
        str | None,
        Query(
            max_length=200,
            description="`Practitioner/<id>` or the id.",
            json_schema_extra={"pattern": fhir_service.reference_pattern("Practitioner")},
        ),
    ] = None,
    service: Annotated[
        str | None,
        Query(
            max_length=200,
            description="`HealthcareService/<id>` or the id.",
            json_schema_extra={"pattern": fhir_service.reference_pattern("HealthcareService")},
        ),
    ] = None,
) -> Response:
    """Search each doctor's role at each clinic, with their specialties."""
    filters = fhir_service.RoleFilters(
        specialty=specialty,
        specialty_text=specialty_text,
        practitioner=practitioner,
        service=service,
    )
    roles, total = fhir_service.search_roles(session, params=params, filters=filters)
    ctx = _context(request, session)
    items = [fhir.practitioner_role(doctor, clinic, ctx) for doctor, clinic in roles]
    return _bundle(request, "PractitionerRole", items, total, params)


@router.get("/PractitionerRole/{resource_id}", responses=READ_RESPONSES)
def read_practitioner_role(
    request: Request, session: PublicSessionDep, resource_id: ResourceId
) -> Response:
    """One doctor's role at one clinic."""
    doctor, clinic = fhir_service.read_role(session, resource_id=resource_id)
    return _read(request, fhir.practitioner_role(doctor, clinic, _context(request, session)))


@router.get("/HealthcareService", responses=SEARCH_RESPONSES)
def search_healthcare_services(
    request: Request, session: PublicSessionDep, params: SearchParamsDep, name: NameQuery = None
) -> Response:
    """Search published clinics as HealthcareService resources."""
    clinics, total = fhir_service.search(session, model=Clinic, params=params, name=name)
    ctx = _context(request, session)
    items = [fhir.healthcare_service(clinic, ctx) for clinic in clinics]
    return _bundle(request, "HealthcareService", items, total, params)


@router.get("/HealthcareService/{resource_id}", responses=READ_RESPONSES)
def read_healthcare_service(
    request: Request, session: PublicSessionDep, resource_id: ResourceId
) -> Response:
    """One published clinic as a HealthcareService."""
    clinic = fhir_service.read(
        session, model=Clinic, resource_type="HealthcareService", resource_id=resource_id
    )
    return _read(request, fhir.healthcare_service(clinic, _context(request, session)))


@router.get("/Organization", responses=SEARCH_RESPONSES)
def search_organizations(
    request: Request, session: PublicSessionDep, params: SearchParamsDep, name: NameQuery = None
) -> Response:
    """The hospital as an Organization (a Bundle of at most one)."""
    orgs, total = fhir_service.search(session, model=Organization, params=params, name=name)
    ctx = _context(request)
    return _bundle(
        request, "Organization", [fhir.organization(o, ctx) for o in orgs], total, params
    )


@router.get("/Organization/{resource_id}", responses=READ_RESPONSES)
def read_organization(
    request: Request, session: PublicSessionDep, resource_id: ResourceId
) -> Response:
    """The hospital as an Organization."""
    org = fhir_service.read(
        session, model=Organization, resource_type="Organization", resource_id=resource_id
    )
    return _read(request, fhir.organization(org, _context(request)))
