"""WEBHOOK_URL_ALLOWLIST compares parsed scheme, host, port and a path prefix.

A string prefix let `https://hooks.example.com` allow
`https://hooks.example.com.evil.net/`; these pin each way around it, at
registration (a 422 problem) and in the check every attempt repeats.
"""

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.config import Settings
from app.webhooks.allowlist import allowed, parse_entry
from app.webhooks.targets import TargetRefused, check_url
from tests.support.apps import SettingsApp
from tests.support.editorial import auth

ORIGIN = "https://hooks.example.com"
PREFIX = "https://hooks.example.com/hooks"
PUBLIC_ADDRESS = "93.184.215.14"


@pytest.fixture(autouse=True)
def _every_host_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Name resolution answers a public address, so only the allowlist decides."""

    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_ADDRESS, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def _settings(*entries: str, **overrides: Any) -> Settings:
    return Settings(  # type: ignore[call-arg]
        database_url="sqlite:///unused.db",
        _env_file=None,
        webhook_url_allowlist=list(entries),
        **overrides,
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com.evil.net/",  # the host only starts the same
        "https://hooks.example.com.evil.net/hooks",
        "http://hooks.example.com/",  # another scheme
        "https://hooks.example.com:8443/",  # another port
        "https://evil.net/https://hooks.example.com/",
        "https://hooks.example.comevil.net/",
    ],
)
def test_an_origin_entry_refuses_lookalikes(url: str) -> None:
    with pytest.raises(TargetRefused, match="WEBHOOK_URL_ALLOWLIST"):
        check_url(url, _settings(ORIGIN, webhook_allow_http=True))


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com@evil.net/",
        "https://hooks.example.com:443@evil.net/hooks",
        "https://hooks.example.com\\@evil.net/",
    ],
)
def test_userinfo_tricks_are_refused(url: str) -> None:
    with pytest.raises(TargetRefused, match="credentials"):
        check_url(url, _settings(ORIGIN))
    assert not allowed(url, [ORIGIN])  # refused by the allowlist on its own too


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com",
        "https://hooks.example.com/",
        "https://HOOKS.example.com./any/path?x=1",
        "https://hooks.example.com:443/x",
    ],
)
def test_an_origin_entry_allows_its_own_urls(url: str) -> None:
    assert check_url(url, _settings(ORIGIN)).address == PUBLIC_ADDRESS


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://hooks.example.com/hooks", True),
        ("https://hooks.example.com/hooks/", True),
        ("https://hooks.example.com/hooks/partner-a?x=1", True),
        ("https://hooks.example.com/hookssss", False),
        ("https://hooks.example.com/hooks.evil", False),
        ("https://hooks.example.com/", False),
        ("https://hooks.example.com/other/hooks", False),
        ("https://hooks.example.com/hooks/../admin", False),
        ("https://hooks.example.com/hooks/%2e%2e/admin", False),
        ("https://hooks.example.com/hooks%2F..%2Fadmin", False),
    ],
)
def test_a_path_prefix_holds_on_segment_boundaries(url: str, ok: bool) -> None:
    for entry in (PREFIX, PREFIX + "/"):
        assert allowed(url, [entry]) is ok, (entry, url)


def test_any_entry_may_allow_and_an_empty_list_allows_all() -> None:
    entries = ["https://a.example", "https://b.example:8443/in"]

    assert allowed("https://b.example:8443/in/x", entries)
    assert not allowed("https://b.example/in/x", entries)
    assert allowed("https://anything.example/", [])


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("hooks.example.com", "must start with https://"),
        ("ftp://hooks.example.com", "must start with https://"),
        ("https://user@hooks.example.com", "user information"),
        ("https://", "has no host"),
        ("https://hooks.example.com/x?y=1", "query or fragment"),
        ("https://hooks.example.com/x#y", "query or fragment"),
        ("https://hooks.example.com/a/../b", ". or .. path segments"),
        ("https://hooks.example.com:99999", "not a valid URL"),
    ],
)
def test_bad_entries_stop_settings_from_loading(entry: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _settings(ORIGIN, entry)
    with pytest.raises(ValueError, match="WEBHOOK_URL_ALLOWLIST entry"):
        parse_entry(entry)


def test_entries_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL_ALLOWLIST", f"{ORIGIN}, https://other.example:8443/in/")
    settings = Settings(database_url="sqlite:///unused.db", _env_file=None)  # type: ignore[call-arg]

    assert [parse_entry(e).port for e in settings.webhook_url_allowlist] == [443, 8443]
    monkeypatch.setenv("WEBHOOK_URL_ALLOWLIST", "hooks.example.com")
    with pytest.raises(ValidationError, match="WEBHOOK_URL_ALLOWLIST entry"):
        Settings(database_url="sqlite:///unused.db", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def allowlisted_client(settings_app: SettingsApp) -> Iterator[TestClient]:
    with TestClient(settings_app(webhook_url_allowlist=[PREFIX])) as test_client:
        yield test_client


def test_registration_applies_the_allowlist(
    allowlisted_client: TestClient, keys: dict[str, str]
) -> None:
    def register(url: str) -> Any:
        return allowlisted_client.post(
            "/v1/webhooks", json={"url": url, "events": ["*"]}, headers=auth(keys["admin"])
        )

    refused = register("https://hooks.example.com.evil.net/hooks/x")
    lookalike = register("https://hooks.example.com/hookssss")
    accepted = register("https://hooks.example.com/hooks/partner")

    for response in (refused, lookalike):
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert "WEBHOOK_URL_ALLOWLIST" in response.text
    assert accepted.status_code == 201, accepted.text
