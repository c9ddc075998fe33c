"""Translations written through the editorial API and served by locale.

The Hindi text here is sample content, marked as such; it is not a
translation of the seed's clinical wording.
"""

from fastapi.testclient import TestClient

from app.db import Database
from tests.support.editorial import REVIEWER, act, auth

FAQ = "how-long-will-i-get-immunotherapy"
HINDI_QUESTION = "नमूना प्रश्न (sample Hindi translation)"


def _editorial_etag(client: TestClient, key: str, path: str, slug: str) -> str:
    response = client.get(f"/v1/editorial/{path}/{slug}", headers=auth(key))
    assert response.status_code == 200, response.text
    return response.headers["ETag"]


def _translate_and_publish(client: TestClient, keys: dict[str, str]) -> None:
    etag = _editorial_etag(client, keys["editor"], "faqs", FAQ)
    response = client.patch(
        f"/v1/faqs/{FAQ}",
        params={"locale": "hi"},
        json={"question": HINDI_QUESTION},
        headers=auth(keys["editor"], etag),
    )
    assert response.status_code == 200, response.text
    etag = response.headers["ETag"]

    # Live content: the translation waits for the next publish.
    waiting = client.get(f"/v1/faqs/{FAQ}", headers={"Accept-Language": "hi"})
    assert waiting.json()["data"]["question"] == "How long will I get immunotherapy?"

    _data, etag = act(client, keys["editor"], "faqs", FAQ, "review", etag, reviewed_by=REVIEWER)
    act(client, keys["publisher"], "faqs", FAQ, "publish", etag)


def test_hindi_translation_is_served_and_others_fall_back(
    client: TestClient, seeded: Database, keys: dict[str, str]
) -> None:
    _translate_and_publish(client, keys)

    faqs = client.get(
        "/v1/treatments/immunotherapy/faqs", headers={"Accept-Language": "hi, en;q=0.5"}
    )
    one = client.get(f"/v1/faqs/{FAQ}", headers={"Accept-Language": "hi"})
    other = client.get(
        "/v1/faqs/what-should-i-expect-after-immunotherapy", headers={"Accept-Language": "hi"}
    )

    assert one.json()["data"]["question"] == HINDI_QUESTION
    assert one.headers["content-language"] == "hi"
    assert one.json()["data"]["locale"] == "hi"
    assert "hi" in one.json()["data"]["available_locales"]
    assert other.headers["content-language"] == "en"
    assert other.json()["data"]["question"] == "What should I expect after immunotherapy?"
    questions = [faq["question"] for faq in faqs.json()["data"]]
    assert questions[0] == HINDI_QUESTION
    assert questions[1] == "What should I expect after immunotherapy?"
    assert "Accept-Language" in one.headers["vary"]


def test_locale_query_wins_over_accept_language(
    client: TestClient, seeded: Database, keys: dict[str, str]
) -> None:
    _translate_and_publish(client, keys)

    response = client.get(
        f"/v1/faqs/{FAQ}", params={"locale": "en"}, headers={"Accept-Language": "hi"}
    )

    assert response.json()["data"]["question"] == "How long will I get immunotherapy?"
    assert response.headers["content-language"] == "en"


def test_translation_of_a_non_text_field_is_rejected(
    client: TestClient, seeded: Database, keys: dict[str, str]
) -> None:
    etag = _editorial_etag(client, keys["editor"], "faqs", FAQ)

    response = client.patch(
        f"/v1/faqs/{FAQ}",
        params={"locale": "hi"},
        json={"position": 9},
        headers=auth(keys["editor"], etag),
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
