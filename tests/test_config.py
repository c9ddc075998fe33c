"""Settings are validated once, at start-up, with messages an operator can act on."""

import pytest
from pydantic import ValidationError

from app.config import Settings


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "CORS_ORIGINS", "CORS_ALLOW_CREDENTIALS"):
        monkeypatch.delenv(name, raising=False)


def make(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/content", "postgresql+psycopg://u:p@db:5432/content"),
        ("postgresql://u@127.0.0.1/test", "postgresql+psycopg://u@127.0.0.1/test"),
        ("postgresql+psycopg://u@db/x", "postgresql+psycopg://u@db/x"),
        ("  sqlite:///./treatments.db ", "sqlite:///./treatments.db"),
    ],
)
def test_database_urls_are_normalized_to_the_shipped_driver(given: str, expected: str) -> None:
    assert make(database_url=given).database_url == expected


def test_the_environment_variable_is_read_and_normalized(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db/content")

    assert make().database_url == "postgresql+psycopg://u@db/content"


@pytest.mark.parametrize("url", ["mysql://x", "postgresql+psycopg2://u@db/x", "not a url"])
def test_an_unsupported_database_url_is_refused_with_its_scheme(url: str) -> None:
    with pytest.raises(ValidationError, match="DATABASE_URL must be"):
        make(database_url=url)


def test_wildcard_cors_with_credentials_is_refused() -> None:
    with pytest.raises(ValidationError, match="CORS_ORIGINS='\\*'"):
        make(cors_origins=["*"], cors_allow_credentials=True)


def test_wildcard_cors_from_the_environment_with_credentials_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://portal.example, *")
    monkeypatch.setenv("CORS_ALLOW_CREDENTIALS", "true")

    with pytest.raises(ValidationError, match="list the portal origins"):
        make()


def test_cors_origins_are_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://portal.example, https://intranet.example")

    settings = make()

    assert settings.cors_origins == ["https://portal.example", "https://intranet.example"]


def test_cors_is_closed_by_default_and_a_wildcard_alone_is_allowed() -> None:
    assert make().cors_origins == []
    assert make(cors_origins=["*"]).cors_origins == ["*"]
