"""The registry of resource kinds: one entry per kind, and the lookups over it.

Generic work (create, PATCH, publish, revisions, seed, export, import,
search, sync, editorial routes, OpenAPI examples) walks these entries instead
of keeping its own per-kind tables, so a kind is added here once and
docs/adding-a-kind.md lists the few other files it needs. What is derived
from the entries (load and export order, kind-path parsing) is in
app.content.lookups; tests/content/test_kind_completeness.py names any piece
an entry lacks.
"""

from sqlalchemy.orm import joinedload, selectinload

from app.content.entry import EDITED, PROFILE, REVIEWED, JsonLd, Kind, Search
from app.content.field_mappings import (
    SlugRef,
    SlugRefList,
    TextFields,
    object_rows,
    ref_rows,
    value_rows,
)
from app.schemas.administration_route import (
    AdministrationRouteCreate,
    AdministrationRouteDetail,
    AdministrationRouteRead,
)
from app.schemas.clinic import ClinicCreate, ClinicDetail, ClinicRead
from app.schemas.condition import (
    ConditionCreate,
    ConditionDetail,
    ConditionDocument,
    ConditionRead,
)
from app.schemas.doctor import DoctorCreate, DoctorDetail, DoctorRead
from app.schemas.faq import FaqCreate, FaqDocument, FaqRead
from app.schemas.media import MediaCreate, MediaRead
from app.schemas.organization import OrganizationCreate, OrganizationRead
from app.schemas.treatment import (
    TreatmentCreate,
    TreatmentDetail,
    TreatmentDocument,
    TreatmentRead,
)
from app.schemas.treatment_type import (
    TreatmentTypeCreate,
    TreatmentTypeDetail,
    TreatmentTypeRead,
)
from models import (
    AdministrationRoute,
    Clinic,
    Doctor,
    Faq,
    Media,
    Organization,
    Treatment,
    TreatmentRoute,
    TreatmentType,
)
from models.base import EditorialMixin
from models.condition import Condition

NAME_AND_DESCRIPTION: TextFields = {"name": (), "description": ()}
TREATMENT_TEXT: TextFields = {
    "title": (), "summary": (), "sections": ("heading", "body"),
    "administration_routes": ("notes",), "schedule": ("rest_periods", "notes"),
    "duration_factors": (), "follow_up": ("summary", "checks"),
    "comparisons": ("compared_with", "summary"), "sources": ("title",),
}  # fmt: skip
TREATMENT_REVIEWED = (
    "title", "summary", "type", "sections", "administration_routes", "schedule",
    "duration_factors", "follow_up", "comparisons", "sources",
)  # fmt: skip

ENTRIES: tuple[Kind, ...] = (
    Kind(
        path="treatment-types",
        name="treatment_type",
        model=TreatmentType,
        create_schema=TreatmentTypeCreate,
        read_schema=TreatmentTypeDetail,
        list_schema=TreatmentTypeRead,
        fields={"parent": SlugRef(TreatmentType, "parent_id")},
        list_options=(joinedload(TreatmentType.parent), selectinload(TreatmentType.children)),
        text_fields=NAME_AND_DESCRIPTION,
        load_order=20,
        exported=True,
        examples={
            "treatment_types": "/v1/treatment-types?parent=immunotherapy",
            "treatment_type": "/v1/treatment-types/immunotherapy",
        },
        search=Search(title="name"),
        jsonld=None,
        fhir=(),
        editorial=EDITED,
    ),
    Kind(
        path="administration-routes",
        name="administration_route",
        model=AdministrationRoute,
        create_schema=AdministrationRouteCreate,
        read_schema=AdministrationRouteDetail,
        list_schema=AdministrationRouteRead,
        fields={"parent": SlugRef(AdministrationRoute, "parent_id")},
        list_options=(
            joinedload(AdministrationRoute.parent),
            selectinload(AdministrationRoute.children),
        ),
        text_fields=NAME_AND_DESCRIPTION,
        load_order=30,
        exported=True,
        examples={
            "administration_routes": "/v1/administration-routes",
            "administration_route": "/v1/administration-routes/intracavitary",
        },
        search=Search(title="name"),
        jsonld=None,
        fhir=(),
        editorial=EDITED,
    ),
    Kind(
        path="treatments",
        name="treatment",
        model=Treatment,
        create_schema=TreatmentDocument,
        write_schema=TreatmentCreate,
        read_schema=TreatmentDetail,
        list_schema=TreatmentRead,
        fields={
            "type": SlugRef(TreatmentType, "type_id"),
            "administration_routes": ref_rows(
                "route_links",
                model=AdministrationRoute,
                field="administration_routes",
                key="route",
                column="route_id",
                extra=("notes",),
            ),
        },
        list_options=(
            joinedload(Treatment.type),
            selectinload(Treatment.route_links).joinedload(TreatmentRoute.route),
            selectinload(Treatment.conditions),
        ),
        text_fields=TREATMENT_TEXT,
        reviewed=True,
        reviewed_fields=TREATMENT_REVIEWED,
        load_order=40,
        exported=True,
        examples={
            "treatments": "/v1/treatments",
            "treatment": "/v1/treatments/immunotherapy",
            "treatment_faqs": "/v1/treatments/immunotherapy/faqs",
        },
        search=Search(title="title", from_rows=("administration_routes",), extra="treatment"),
        jsonld=JsonLd(type="MedicalWebPage", builder="treatment_page"),
        fhir=(),
        editorial=REVIEWED,
    ),
    Kind(
        path="faqs",
        name="faq",
        model=Faq,
        create_schema=FaqDocument,
        write_schema=FaqCreate,
        read_schema=FaqRead,
        list_schema=FaqRead,
        fields={
            "treatment": SlugRef(Treatment, "treatment_id"),
            "tags": value_rows("tag_rows", "tag", ordered=False),
        },
        list_options=(selectinload(Faq.tag_rows), joinedload(Faq.treatment)),
        text_fields={"question": (), "answer": ()},
        reviewed=True,
        reviewed_fields=("question", "answer", "treatment"),
        load_order=50,
        exported=True,
        examples={
            "faqs": "/v1/faqs?treatment=immunotherapy",
            "faq": "/v1/faqs/how-long-will-i-get-immunotherapy",
        },
        search=Search(title="question", extra="faq"),
        jsonld=None,
        fhir=(),
        editorial=REVIEWED,
    ),
    Kind(
        path="clinics",
        name="clinic",
        model=Clinic,
        create_schema=ClinicCreate,
        read_schema=ClinicDetail,
        list_schema=ClinicRead,
        fields={"treatments": SlugRefList(Treatment)},
        list_options=(selectinload(Clinic.doctors), selectinload(Clinic.treatments)),
        text_fields=NAME_AND_DESCRIPTION,
        load_order=60,
        exported=True,
        examples={"clinics": "/v1/clinics", "clinic": "/v1/clinics/myeloma-clinic"},
        search=Search(title="name"),
        jsonld=None,
        fhir=("HealthcareService",),
        editorial=EDITED,
    ),
    Kind(
        path="doctors",
        name="doctor",
        model=Doctor,
        create_schema=DoctorCreate,
        read_schema=DoctorDetail,
        list_schema=DoctorRead,
        fields={
            "specialties": value_rows("specialty_rows", "specialty"),
            "languages": value_rows("language_rows", "language"),
            "clinics": SlugRefList(Clinic),
            "treatments": SlugRefList(Treatment),
        },
        list_options=(
            selectinload(Doctor.specialty_rows),
            selectinload(Doctor.language_rows),
            selectinload(Doctor.clinics),
            selectinload(Doctor.treatments),
        ),
        text_fields={
            "name": (),
            "honorific": (),
            "specialties": (),
            "qualifications": (),
            "bio": (),
        },
        load_order=70,
        exported=True,
        examples={"doctors": "/v1/doctors", "doctor": "/v1/doctors/ragesh-nair"},
        search=Search(title="name", from_rows=("specialties",), extra="doctor"),
        jsonld=JsonLd(type="IndividualPhysician", builder="physician"),
        fhir=("Practitioner", "PractitionerRole"),
        editorial=EDITED,
    ),
    Kind(
        path="media",
        name="media",
        model=Media,
        create_schema=MediaCreate,
        read_schema=MediaRead,
        list_schema=MediaRead,
        fields={
            "treatments": SlugRefList(Treatment),
            "doctors": SlugRefList(Doctor),
            "clinics": SlugRefList(Clinic),
        },
        list_options=(
            selectinload(Media.treatments),
            selectinload(Media.doctors),
            selectinload(Media.clinics),
        ),
        text_fields={"title": (), "description": ()},
        load_order=80,
        exported=True,
        examples={
            "media_list": "/v1/media?kind=video",
            "media": "/v1/media/launch-of-the-myeloma-clinic",
        },
        search=Search(title="title"),
        jsonld=None,
        fhir=(),
        editorial=EDITED,
    ),
    Kind(
        path="organization",
        name="organization",
        model=Organization,
        create_schema=OrganizationCreate,
        read_schema=OrganizationRead,
        list_schema=OrganizationRead,
        text_fields={
            "name": (),
            "content_licence": (),
            "attribution": (),
            "address": ("street", "locality", "region", "country"),
        },
        singleton=True,
        load_order=10,
        exported=True,
        examples={"organization": "/v1/organization"},
        search=Search(title="name"),
        jsonld=None,
        fhir=("Organization",),
        editorial=PROFILE,
    ),
    Kind(
        path="conditions",
        name="condition",
        model=Condition,
        create_schema=ConditionDocument,
        write_schema=ConditionCreate,
        read_schema=ConditionDetail,
        list_schema=ConditionRead,
        fields={
            "codes": object_rows("code_rows", ("system", "code", "display")),
            "treatments": SlugRefList(Treatment),
            "doctors": SlugRefList(Doctor),
            "clinics": SlugRefList(Clinic),
        },
        list_options=(selectinload(Condition.code_rows), selectinload(Condition.treatments)),
        text_fields={"name": (), "summary": (), "sources": ("title",)},
        reviewed=True,
        reviewed_fields=("name", "summary", "codes", "sources", "treatments"),
        load_order=75,
        exported=True,
        examples={
            "conditions": "/v1/conditions",
            "condition": "/v1/conditions/multiple-myeloma",
        },
        search=Search(title="name"),
        jsonld=JsonLd(
            type="MedicalCondition",
            properties={"name": "name", "description": "summary"},
            codes={"ICD-10": "icd10_code", "ICD-10-CM": "icd10cm_code", "SNOMED-CT": "snomed_code"},
        ),
        fhir=(),
        editorial=REVIEWED,
    ),
)

KINDS: dict[str, Kind] = {kind.path: kind for kind in ENTRIES}
KINDS_BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS.values()}
KINDS_BY_MODEL: dict[type[EditorialMixin], Kind] = {kind.model: kind for kind in KINDS.values()}
