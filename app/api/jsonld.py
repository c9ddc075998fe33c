"""schema.org JSON-LD for the hospital portal: what a page is about, in its words.

Builders take loaded ORM rows and return a `Document`: the JSON-LD body plus
the ids it shows, which become its Surrogate-Key so the response cache and
CDNs purge it when any of them change. `@id`s are API URLs, so a portal page
embedding several documents refers to one node per thing.

Types follow schema.org's own definitions: the page is a `MedicalWebPage`
(it carries `lastReviewed`/`reviewedBy`) about a `MedicalTherapy`; a doctor
is an `IndividualPhysician` (a person; `Physician` is a practice) linked to
clinics with `memberOf` and `practicesAt`. A registry entry names its
builder (`JsonLd.builder`); BUILDERS maps that name to the code here.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.content.entry import Kind
from app.services.common import get_by_slug
from app.text.richtext import render_html, render_text
from models import Doctor, Faq, Organization, Treatment

CONTEXT = "https://schema.org"
JsonLd = dict[str, Any]


@dataclass(frozen=True)
class Document:
    body: JsonLd
    item_ids: tuple[str, ...]


Builder = Callable[[str], Document]


def publisher(session: Session) -> Organization | None:
    """The hospital's profile; in a public session only once it is published."""
    return session.scalars(select(Organization).order_by(Organization.created_at).limit(1)).first()


def _compact(node: JsonLd) -> JsonLd:
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}


def organization_node(organization: Organization) -> JsonLd:
    address = organization.address or {}
    postal = _compact({
        "@type": "PostalAddress",
        "streetAddress": address.get("street"),
        "addressLocality": address.get("locality"),
        "addressRegion": address.get("region"),
        "postalCode": address.get("postal_code"),
        "addressCountry": address.get("country"),
    })  # fmt: skip
    return _compact({
        "@type": "Organization",
        "name": organization.name,
        "url": organization.url,
        "logo": organization.logo_url,
        "telephone": organization.telephone,
        "address": postal if len(postal) > 1 else None,
    })  # fmt: skip


def _therapy(treatment: Treatment, base_url: str) -> JsonLd:
    return _compact({
        "@type": "MedicalTherapy",
        "@id": f"{base_url}/v1/treatments/{treatment.slug}",
        "name": treatment.title,
        "description": render_text(treatment.summary, base_url),
        "url": treatment.source_url,
    })  # fmt: skip


def _ids(*items: Any) -> tuple[str, ...]:
    return tuple(item.id for item in items if item is not None)


def treatment_page(session: Session, treatment: Treatment, base_url: str) -> Document:
    """`MedicalWebPage` about (and whose main entity is) the `MedicalTherapy`."""
    organization = publisher(session)
    therapy = _therapy(treatment, base_url)
    body = _compact({
        "@context": CONTEXT,
        "@type": "MedicalWebPage",
        "@id": f"{base_url}/v1/treatments/{treatment.slug}#page",
        "url": treatment.source_url,
        "name": treatment.title,
        "description": therapy.get("description"),
        "inLanguage": treatment.locale,
        "dateModified": treatment.updated_at.isoformat(),
        "lastReviewed": treatment.last_reviewed.isoformat() if treatment.last_reviewed else None,
        "reviewedBy": {"@type": "Person", "name": treatment.reviewed_by}
        if treatment.reviewed_by
        else None,
        "publisher": organization_node(organization) if organization else None,
        "about": therapy,
        "mainEntity": therapy,
    })  # fmt: skip
    return Document(body, _ids(treatment, organization))


def faq_page(session: Session, slug: str, faqs: Sequence[Faq], base_url: str) -> Document:
    """`FAQPage` of the treatment's questions, answers as sanitized HTML."""
    treatment = get_by_slug(session, model=Treatment, slug=slug)
    organization = publisher(session)
    questions = [
        {
            "@type": "Question",
            "@id": f"{base_url}/v1/faqs/{faq.slug}",
            "name": faq.question,
            "acceptedAnswer": {"@type": "Answer", "text": render_html(faq.answer, base_url)},
        }
        for faq in faqs
    ]
    body = _compact({
        "@context": CONTEXT,
        "@type": "FAQPage",
        "@id": f"{base_url}/v1/treatments/{treatment.slug}/faqs",
        "name": f"{treatment.title}: questions and answers",
        "inLanguage": treatment.locale,
        "about": {"@type": "MedicalTherapy", "@id": f"{base_url}/v1/treatments/{treatment.slug}",
                  "name": treatment.title},
        "publisher": organization_node(organization) if organization else None,
        "mainEntity": questions,
    })  # fmt: skip
    return Document(body, _ids(treatment, organization, *faqs))


def physician(session: Session, doctor: Doctor, base_url: str) -> Document:
    """`IndividualPhysician`; needs specialty_rows, language_rows and clinics loaded."""
    organization = publisher(session)
    clinics = [
        {
            "@type": "MedicalClinic",
            "@id": f"{base_url}/v1/clinics/{clinic.slug}",
            "name": clinic.name,
        }
        for clinic in doctor.clinics
    ]
    body = _compact({
        "@context": CONTEXT,
        "@type": "IndividualPhysician",
        "@id": f"{base_url}/v1/doctors/{doctor.slug}",
        "name": doctor.name,
        "honorificPrefix": doctor.honorific,
        "description": render_text(doctor.bio, base_url),
        "image": doctor.photo_url,
        "medicalSpecialty": doctor.specialties,
        "knowsLanguage": doctor.languages,
        "memberOf": clinics,
        "practicesAt": clinics,
        "hospitalAffiliation": organization_node(organization) if organization else None,
    })  # fmt: skip
    return Document(body, _ids(doctor, organization, *doctor.clinics))


def node(session: Session, kind: Kind, item: Any, base_url: str) -> Document:
    """The generic builder: the entry's `properties` and `codes` as one schema.org node."""
    spec = kind.jsonld
    assert spec is not None
    url = f"{base_url}/v1/{kind.path}" + ("" if kind.singleton else f"/{item.slug}")
    properties = {
        name: render_text(value, base_url) if isinstance(value, str) else value
        for name, attribute in spec.properties.items()
        if (value := getattr(item, attribute)) is not None
    }
    codes = [
        {"@type": "MedicalCode", "codeValue": code, "codingSystem": system}
        for system, attribute in spec.codes.items()
        if (code := getattr(item, attribute))
    ]
    body = _compact({
        "@context": CONTEXT, "@type": spec.type, "@id": url, **properties, "code": codes,
    })  # fmt: skip
    return Document(body, _ids(item))


KindBuilder = Callable[[Session, Kind, Any, str], Document]

# Builders by the name a registry entry gives in `jsonld.builder`.
BUILDERS: dict[str, KindBuilder] = {
    "node": node,
    "treatment_page": lambda session, kind, item, base_url: treatment_page(session, item, base_url),
    "physician": lambda session, kind, item, base_url: physician(session, item, base_url),
}


def declared_type(kind: Kind) -> str:
    """The @type a kind's detail route documents; a kind without JSON-LD fails naming it."""
    if kind.jsonld is None:
        raise LookupError(f"kind {kind.path!r} declares no JSON-LD (its entry has jsonld=None)")
    return kind.jsonld.type


def builder_for(kind: Kind, session: Session, item: Any) -> Builder:
    """The entry's builder bound to one item; a name BUILDERS lacks fails naming the kind."""
    declared_type(kind)
    assert kind.jsonld is not None
    name = kind.jsonld.builder
    if name not in BUILDERS:
        raise LookupError(
            f"kind {kind.path!r} names JSON-LD builder {name!r}, which BUILDERS lacks"
        )
    return partial(BUILDERS[name], session, kind, item)
