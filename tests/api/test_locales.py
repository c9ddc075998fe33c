"""Translations served by locale: negotiation, field-by-field fallback, headers."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from app.content.kinds import KINDS
from app.db import Database
from app.errors import ValidationFailed
from app.services.editorial.translations import write_translation
from models import Treatment
from tests.support.factories import make, translate

HI_TITLE = "इम्यूनोथेरेपी (sample Hindi translation)"
HI_QUESTION = "मुझे कितने समय तक इम्यूनोथेरेपी मिलेगी? (sample Hindi translation)"


@pytest.fixture
def translated(seeded: Database) -> Database:
    translate(
        seeded,
        "treatments",
        "immunotherapy",
        "hi",
        title=HI_TITLE,
        summary="**प्रतिरक्षा** (sample Hindi translation) <script>alert(1)</script>",
        sections=[{"heading": "यह कैसे किया जाता है (sample Hindi translation)"}],
        administration_routes=[{"notes": "नस में (sample Hindi translation)"}],
    )
    translate(seeded, "faqs", "how-long-will-i-get-immunotherapy", "hi", question=HI_QUESTION)
    translate(seeded, "administration-routes", "intravenous", "hi", name="अंतःशिरा (sample)")
    return seeded


@contextmanager
def count_statements(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def _count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(database.engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", _count)


def test_locale_query_serves_translation_with_field_fallback_and_headers(
    client: TestClient, translated: Database
) -> None:
    response = client.get("/v1/treatments/immunotherapy", params={"locale": "hi"})

    assert response.status_code == 200
    assert response.headers["content-language"] == "hi"
    assert "Accept-Language" in response.headers["vary"]
    data = response.json()["data"]
    assert (data["title"], data["locale"], data["available_locales"]) == (
        HI_TITLE,
        "hi",
        ["en", "hi"],
    )
    assert data["summary"]["html"].startswith("<p><strong>प्रतिरक्षा</strong>")
    assert "<script>" not in data["summary"]["html"]
    assert data["sections"][0]["heading"].startswith("यह कैसे")
    assert data["sections"][0]["body"]["markdown"].startswith("Immune cells produce")
    assert data["sections"][1]["heading"] == "Meet our doctors"
    routes = data["administration_routes"]
    assert routes[0]["notes"]["text"] == "नस में (sample Hindi translation)"
    assert routes[0]["route"]["name"] == "अंतःशिरा (sample)"
    assert routes[1]["notes"]["text"].startswith("Immunotherapies may be administered by")
    assert data["schedule"]["frequencies"] == ["daily", "weekly", "monthly", "cyclic"]
    faqs = data["faqs"]
    assert (faqs[0]["question"], faqs[0]["locale"]) == (HI_QUESTION, "hi")
    assert faqs[0]["answer"]["markdown"].startswith("You may get immunotherapy")
    assert (faqs[1]["locale"], faqs[1]["available_locales"]) == ("en", ["en"])


def test_accept_language_negotiates_and_query_wins(
    client: TestClient, translated: Database
) -> None:
    def served(headers: dict[str, str], params: dict[str, str] | None = None) -> tuple[str, str]:
        response = client.get("/v1/treatments/immunotherapy", headers=headers, params=params)
        return response.headers["content-language"], response.json()["data"]["title"]

    assert served({"Accept-Language": "hi-IN, en;q=0.8"}) == ("hi", HI_TITLE)
    assert served({"Accept-Language": "ml;q=0.9, hi;q=0.5"}) == ("hi", HI_TITLE)
    assert served({"Accept-Language": "en-GB, hi;q=0.9"}) == ("en", "Immunotherapy")
    assert served({"Accept-Language": "*"}) == ("en", "Immunotherapy")
    assert served({"Accept-Language": "hi;q=0"}) == ("en", "Immunotherapy")
    assert served({"Accept-Language": "hi"}, {"locale": "en"}) == ("en", "Immunotherapy")
    assert served({}, {"locale": "ml"}) == ("en", "Immunotherapy")


def test_lists_say_the_requested_locale_when_any_item_has_it(
    client: TestClient, translated: Database
) -> None:
    make(translated, "treatments", slug="sample-untranslated", title="Sample untranslated")

    response = client.get("/v1/treatments", params={"locale": "hi"})

    assert response.headers["content-language"] == "hi"
    by_slug = {t["slug"]: t for t in response.json()["data"]}
    assert by_slug["immunotherapy"]["locale"] == "hi"
    assert by_slug["sample-untranslated"]["locale"] == "en"
    assert by_slug["sample-untranslated"]["title"] == "Sample untranslated"
    faqs = client.get("/v1/treatments/immunotherapy/faqs", params={"locale": "hi"}).json()
    assert faqs["data"][0]["question"] == HI_QUESTION
    only_untranslated = client.get("/v1/treatments", params={"locale": "hi", "q": "untranslated"})
    assert only_untranslated.headers["content-language"] == "en"


def test_a_malformed_locale_is_a_400_naming_it(client: TestClient, database: Database) -> None:
    response = client.get("/v1/treatments", params={"locale": "hi;drop"})

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "locale"


def test_translations_cost_one_query_however_many_items(
    client: TestClient, translated: Database
) -> None:
    for n in range(4):
        make(translated, "treatments", slug=f"sample-{n}", title=f"Sample {n}")
        translate(translated, "treatments", f"sample-{n}", "hi", title=f"नमूना {n} (sample)")
    with count_statements(translated) as english:
        client.get("/v1/treatments/immunotherapy")
    with count_statements(translated) as hindi:
        detail = client.get("/v1/treatments/immunotherapy", params={"locale": "hi"})
    with count_statements(translated) as listing:
        many = client.get("/v1/treatments", params={"locale": "hi"})

    assert detail.json()["data"]["title"] == HI_TITLE
    assert len(hindi) == len(english)
    assert sum("FROM translation" in s for s in hindi) == 1
    assert sum("FROM translation" in s for s in listing) == 1
    assert len(many.json()["data"]) == 5


def test_write_translation_rejects_non_text_and_invalid_fields(seeded: Database) -> None:
    kind = KINDS["treatments"]
    with seeded.transaction(write=True) as session:
        item = session.scalars(select(Treatment).where(Treatment.slug == "immunotherapy")).one()
        with pytest.raises(ValidationFailed) as caught:
            write_translation(
                session,
                kind=kind,
                item=item,
                locale="hi",
                patch={"slug": "x", "title": "", "sections": [{"heading": "h", "position": 1}]},
            )
        fields = {error["field"] for error in caught.value.errors or []}
        assert fields == {"slug", "title", "sections.0.position"}
        with pytest.raises(ValidationFailed):
            write_translation(
                session, kind=kind, item=item, locale="en", patch={"title": "Same locale"}
            )


def test_a_null_field_falls_back_again_and_versions_go_up(
    client: TestClient, translated: Database
) -> None:
    before = client.get("/v1/treatments/immunotherapy").json()["data"]["version"]

    translate(translated, "treatments", "immunotherapy", "hi", title=None)

    data = client.get("/v1/treatments/immunotherapy", params={"locale": "hi"}).json()["data"]
    assert data["title"] == "Immunotherapy"
    assert data["locale"] == "hi"
    assert data["version"] == before + 1
