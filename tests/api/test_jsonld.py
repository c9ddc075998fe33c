"""schema.org JSON-LD and Accept negotiation."""

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api import jsonld
from app.db import Database
from app.http.negotiation import choose_media_type
from models import Doctor
from tests.support.factories import make

LD = "application/ld+json"
DETAIL = "/v1/treatments/immunotherapy"


def test_treatment_is_a_medical_web_page_about_a_medical_therapy(
    client: TestClient, seeded: Database
) -> None:
    response = client.get(DETAIL, headers={"Accept": LD})

    assert response.headers["content-type"] == LD
    assert "Accept" in response.headers["vary"]
    page = response.json()
    assert page["@context"] == "https://schema.org"
    assert page["@type"] == "MedicalWebPage"
    for entity in (page["about"], page["mainEntity"]):
        assert entity["@type"] == "MedicalTherapy"
        assert entity["name"] == "Immunotherapy"
        assert entity["description"]
    assert page["publisher"]["@type"] == "Organization"
    assert page["publisher"]["name"].startswith("Placeholder Hospital")
    assert "lastReviewed" not in page or page["lastReviewed"][:4].isdigit()


def test_treatment_faqs_are_an_faq_page_with_accepted_answers(
    client: TestClient, seeded: Database
) -> None:
    page = client.get(f"{DETAIL}/faqs", headers={"Accept": LD}).json()

    assert page["@type"] == "FAQPage"
    assert page["mainEntity"][0]["name"] == "How long will I get immunotherapy?"
    for question in page["mainEntity"]:
        assert question["@type"] == "Question"
        assert question["acceptedAnswer"]["@type"] == "Answer"
        assert question["acceptedAnswer"]["text"].startswith("<")


def test_jsonld_is_safe_to_paste_into_a_script_element(
    client: TestClient, seeded: Database
) -> None:
    body = client.get(f"{DETAIL}/faqs", headers={"Accept": LD}).content
    assert b"<" not in body and b">" not in body
    assert orjson.loads(body)["mainEntity"][0]["acceptedAnswer"]["text"].startswith("<p>")


def test_doctor_builder_gives_an_individual_physician(seeded: Database) -> None:
    make(seeded, "doctors", slug="sample-doctor", name="Sample Doctor", honorific="Dr.",
         specialties=["Haematology (sample)"], languages=["en", "ml"],
         clinics=["myeloma-clinic"])  # fmt: skip
    with seeded.transaction(public=True) as session:
        doctor = session.scalars(
            select(Doctor)
            .where(Doctor.slug == "sample-doctor")
            .options(
                selectinload(Doctor.specialty_rows),
                selectinload(Doctor.language_rows),
                selectinload(Doctor.clinics),
            )
        ).first()
        assert doctor is not None
        document = jsonld.physician(session, doctor, "https://content.hospital.example")

    body = document.body
    assert body["@type"] == "IndividualPhysician"
    assert body["name"] == "Sample Doctor"
    assert body["honorificPrefix"] == "Dr."
    assert body["medicalSpecialty"] == ["Haematology (sample)"]
    assert body["knowsLanguage"] == ["en", "ml"]
    assert [c["name"] for c in body["memberOf"]] == [c.name for c in doctor.clinics]
    assert body["memberOf"][0]["@type"] == "MedicalClinic"
    assert doctor.id in document.item_ids


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "application/ld+json;q=0"])
def test_unsupported_accept_is_a_406_problem_naming_the_types(
    client: TestClient, seeded: Database, accept: str
) -> None:
    response = client.get(DETAIL, headers={"Accept": accept})

    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"
    assert "application/json" in response.json()["detail"]
    assert LD in response.json()["detail"]


def test_jsonld_alone_on_a_route_without_it_is_406(client: TestClient, seeded: Database) -> None:
    response = client.get("/v1/treatments", headers={"Accept": LD})

    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", "application/json"),
        ("*/*", "application/json"),
        ("application/*", "application/json"),
        ("application/json", "application/json"),
        ("application/ld+json", LD),
        ("application/ld+json, */*;q=0.1", LD),
        ("application/ld+json;q=0.5, application/json", "application/json"),
        ("text/html, application/xhtml+xml, */*;q=0.8", "application/json"),
        ("text/html", None),
    ],
)
def test_accept_ranking(accept: str, expected: str | None) -> None:
    assert choose_media_type(accept, ("application/json", LD)) == expected
