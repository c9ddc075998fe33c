"""The FHIR R4 directory export: mapping, reads, searches and drafts.

Every body is validated with the fhir.resources R4B models.
"""

import uuid

from fastapi.testclient import TestClient

from app.db import Database
from app.fhir.resources import ROLE_NAMESPACE
from models.base import Status
from tests.support.factories import make
from tests.support.fhir_support import fhir_json, resources

BASE = "/fhir/r4"


def test_seeded_doctor_is_a_practitioner_with_a_role_at_the_myeloma_clinic(
    client: TestClient, seeded: Database
) -> None:
    bundle = fhir_json(client.get(f"{BASE}/Practitioner", params={"name": "ragesh"}))
    [doctor] = resources(bundle)
    assert doctor["name"] == [
        {"text": "Dr. Ragesh Nair", "family": "Nair", "given": ["Ragesh"], "prefix": ["Dr."]}
    ]
    assert doctor["identifier"][0] == {
        "use": "official",
        "system": "https://content.hospital.example/fhir/sid/doctor-slug",
        "value": "ragesh-nair",
    }

    roles = resources(
        fhir_json(
            client.get(
                f"{BASE}/PractitionerRole", params={"practitioner": f"Practitioner/{doctor['id']}"}
            )
        )
    )
    [role] = roles
    [service_ref] = role["healthcareService"]
    assert service_ref["display"] == "Myeloma Clinic"
    service = fhir_json(client.get(f"{BASE}/{service_ref['reference']}"))
    assert service["name"] == "Myeloma Clinic"
    assert service["identifier"][0]["value"] == "myeloma-clinic"

    [org] = resources(fhir_json(client.get(f"{BASE}/Organization")))
    assert role["organization"] == {"reference": f"Organization/{org['id']}"}
    assert service["providedBy"] == role["organization"]
    assert org["active"] is True
    assert org["meta"]["tag"][0]["code"] == "placeholder"
    assert org["alias"][0].startswith("Placeholder")


def test_practitioner_maps_honorific_languages_and_qualifications(
    client: TestClient, database: Database
) -> None:
    doctor_id = make(
        database,
        "doctors",
        slug="sample-asha",
        name="Asha Maria Kurian",
        honorific="Prof.",
        languages=["en", "ml"],
        qualifications=["MBBS (sample)", "MD (sample)"],
        photo_url="https://example.org/sample.jpg",
    )

    response = client.get(f"{BASE}/Practitioner/{doctor_id}")

    practitioner = fhir_json(response)
    assert practitioner["name"][0]["given"] == ["Asha", "Maria"]
    assert practitioner["name"][0]["family"] == "Kurian"
    assert practitioner["name"][0]["prefix"] == ["Prof."]
    assert [c["coding"][0] for c in practitioner["communication"]] == [
        {"system": "urn:ietf:bcp:47", "code": "en"},
        {"system": "urn:ietf:bcp:47", "code": "ml"},
    ]
    assert [q["code"]["text"] for q in practitioner["qualification"]] == [
        "MBBS (sample)",
        "MD (sample)",
    ]
    assert practitioner["photo"] == [{"url": "https://example.org/sample.jpg"}]
    assert practitioner["meta"]["versionId"] == "2"
    assert response.headers["etag"] == 'W/"2"'


def test_read_honours_if_none_match_with_the_weak_version_etag(
    client: TestClient, database: Database
) -> None:
    clinic_id = make(database, "clinics", slug="sample-clinic", name="Sample Clinic")
    url = f"{BASE}/HealthcareService/{clinic_id}"
    etag = client.get(url).headers["etag"]

    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"2"'}).status_code == 304
    assert client.get(url, headers={"If-None-Match": 'W/"1"'}).status_code == 200


def test_search_etag_is_a_strong_hash_and_answers_304(
    client: TestClient, database: Database
) -> None:
    make(database, "doctors", slug="sample-one", name="Sample Doctor 01")
    first = client.get(f"{BASE}/Practitioner")
    etag = first.headers["etag"]

    assert not etag.startswith("W/")
    again = client.get(f"{BASE}/Practitioner", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_roles_one_per_clinic_and_one_for_a_doctor_without_a_published_clinic(
    client: TestClient, database: Database
) -> None:
    a = make(database, "clinics", slug="sample-a", name="Sample Clinic A")
    b = make(database, "clinics", slug="sample-b", name="Sample Clinic B")
    make(database, "clinics", slug="sample-draft", name="Sample Draft Clinic", status=Status.draft)
    two = make(
        database,
        "doctors",
        slug="sample-two",
        name="Sample Two",
        specialties=["Haematology (sample)"],
        clinics=["sample-a", "sample-b"],
    )
    none = make(database, "doctors", slug="sample-none", name="Sample None")
    drafted = make(
        database, "doctors", slug="sample-drafted", name="Sample Drafted", clinics=["sample-draft"]
    )

    roles = resources(fhir_json(client.get(f"{BASE}/PractitionerRole")))

    pairs = {
        (
            role["practitioner"]["reference"],
            tuple(s["reference"] for s in role.get("healthcareService", [])),
        )
        for role in roles
    }
    assert pairs == {
        (f"Practitioner/{two}", (f"HealthcareService/{a}",)),
        (f"Practitioner/{two}", (f"HealthcareService/{b}",)),
        (f"Practitioner/{none}", ()),
        (f"Practitioner/{drafted}", ()),
    }
    expected_id = str(uuid.uuid5(ROLE_NAMESPACE, f"{two}:{a}"))
    role = fhir_json(client.get(f"{BASE}/PractitionerRole/{expected_id}"))
    assert role["specialty"] == [{"text": "Haematology (sample)"}]
    assert role["meta"]["versionId"] == "2.2"


def test_role_specialty_search_matches_text_exactly_or_with_text_modifier(
    client: TestClient, database: Database
) -> None:
    make(database, "doctors", slug="sample-h", name="Sample H", specialties=["Haematology"])
    make(database, "doctors", slug="sample-o", name="Sample O", specialties=["Medical Oncology"])

    def names(**params: str) -> list[str]:
        bundle = fhir_json(client.get(f"{BASE}/PractitionerRole", params=params))
        return [r["practitioner"]["display"] for r in resources(bundle)]

    assert names(specialty="haematology") == ["Sample H"]
    assert names(specialty="haem") == []
    assert names(**{"specialty:text": "ONCO"}) == ["Sample O"]


def test_drafts_are_never_exported(client: TestClient, database: Database) -> None:
    clinic = make(
        database, "clinics", slug="draft-clinic", name="Draft Clinic", status=Status.draft
    )
    doctor = make(database, "doctors", slug="draft-doc", name="Draft Doctor", status=Status.draft)

    for path in (f"Practitioner/{doctor}", f"HealthcareService/{clinic}"):
        outcome = fhir_json(client.get(f"{BASE}/{path}"), 404)
        assert outcome["issue"][0]["code"] == "not-found"
    for resource_type in ("Practitioner", "PractitionerRole", "HealthcareService"):
        bundle = fhir_json(client.get(f"{BASE}/{resource_type}"))
        assert bundle["total"] == 0
        assert "entry" not in bundle


def test_name_search_is_case_insensitive_contains_and_literal(
    client: TestClient, database: Database
) -> None:
    make(database, "doctors", slug="sample-07", name="Sample Doctor 07")
    make(database, "doctors", slug="sample-100", name="Sample 100% Doctor")

    def names(name: str) -> list[str]:
        bundle = fhir_json(client.get(f"{BASE}/Practitioner", params={"name": name}))
        return [r["name"][0]["text"] for r in resources(bundle)]

    assert names("doctor 0") == ["Sample Doctor 07"]
    assert names("AMPLE") == ["Sample 100% Doctor", "Sample Doctor 07"]
    assert names("100%") == ["Sample 100% Doctor"]
    assert names("_") == []


def test_id_search_takes_a_comma_separated_list(client: TestClient, database: Database) -> None:
    one = make(database, "doctors", slug="sample-1", name="Sample One")
    two = make(database, "doctors", slug="sample-2", name="Sample Two")
    make(database, "doctors", slug="sample-3", name="Sample Three")

    bundle = fhir_json(client.get(f"{BASE}/Practitioner", params={"_id": f"{one},{two}"}))

    assert {r["id"] for r in resources(bundle)} == {one, two}
