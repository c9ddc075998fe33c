"""Settings are validated once, at start-up, with messages an operator can act on."""

import pytest
from pydantic import ValidationError

from app.config import Settings


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "CORS_ORIGINS", "CORS_ALLOW_CREDENTIALS", "TRUSTED_PROXIES"):
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


def test_production_needs_an_https_public_base_url() -> None:
    with pytest.raises(ValidationError, match="ENVIRONMENT=production needs an https://"):
        make(environment="production", public_base_url="http://content.hospital.example")
    assert make(environment="production", public_base_url="https://c.example").docs_on is False


@pytest.mark.parametrize("entry", ["10.0.0.0/33", "proxy.internal", "10.0.0.1/8/1"])
def test_an_invalid_trusted_proxy_is_refused_by_name(entry: str) -> None:
    with pytest.raises(ValidationError, match=f"TRUSTED_PROXIES entry '{entry}' is not"):
        make(trusted_proxies=["127.0.0.1", entry])


def test_trusted_proxies_are_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8, 2001:db8::/32,127.0.0.1")

    assert make().trusted_proxies == ["10.0.0.0/8", "2001:db8::/32", "127.0.0.1"]


@pytest.mark.parametrize("rate", ["600", "600/fortnight", "0/minute", "many/minute"])
def test_a_malformed_rate_limit_is_refused(rate: str) -> None:
    with pytest.raises(ValidationError, match="must look like '600/minute'"):
        make(rate_limit_anon=rate)


def test_a_redis_url_must_be_redis() -> None:
    with pytest.raises(ValidationError, match="REDIS_URL must start with redis://"):
        make(redis_url="http://cache:6379")
    assert make(redis_url="").redis_url is None


def test_negative_hsts_is_refused() -> None:
    with pytest.raises(ValidationError, match="hsts_seconds"):
        make(hsts_seconds=-1)


def test_a_refused_setting_stops_serve_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from app.cli import cli
    from app.config import get_settings

    monkeypatch.setenv("TRUSTED_PROXIES", "not-a-cidr")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["serve"])
    finally:
        get_settings.cache_clear()

    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: invalid setting trusted_proxies: "
        "Value error, TRUSTED_PROXIES entry 'not-a-cidr' is not an IP address or CIDR"
    ]
