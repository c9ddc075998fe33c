"""The hospital's public profile, through HTTP."""

from fastapi.testclient import TestClient

from app.db import Database
from models.base import Status
from tests.support.factories import make


def test_seeded_profile_is_a_marked_placeholder(client: TestClient, seeded: Database) -> None:
    response = client.get("/v1/organization")

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["is_placeholder"] is True
    assert data["slug"] == "hospital"
    assert set(data["address"]) == {"street", "locality", "region", "postal_code", "country"}


def test_published_profile_is_served(client: TestClient, database: Database) -> None:
    make(database, "organization", slug="sample-hospital", name="Sample Hospital (sample)",
         url="https://hospital.example", address={"locality": "Sample Town"})  # fmt: skip

    data = client.get("/v1/organization").json()["data"]

    assert data["name"] == "Sample Hospital (sample)"
    assert data["address"]["locality"] == "Sample Town"
    assert data["is_placeholder"] is False


def test_no_published_profile_is_a_404_problem(client: TestClient, database: Database) -> None:
    make(database, "organization", slug="draft-hospital", name="Draft (sample)",
         status=Status.draft)  # fmt: skip

    response = client.get("/v1/organization")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_list_parameters_are_unknown_here(client: TestClient, database: Database) -> None:
    response = client.get("/v1/organization", params={"limit": 5})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "limit"
