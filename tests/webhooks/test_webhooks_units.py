"""Webhook building blocks: signatures, the README's verifier, target checks,
event patterns and the retry schedule."""

import socket
from typing import Any

import pytest

from app.config import Settings
from app.jobs.webhook_worker import backoff_seconds
from app.services.webhook_outbox import matches, pattern_problem
from app.webhooks import signing
from app.webhooks.targets import TargetRefused, check_url
from tests.support.webhook_support import readme_verifier

SECRET = "whsec_sample-secret-for-tests-only"
BODY = b'{"id":"d1","type":"faq.updated"}'


def test_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    import hashlib
    import hmac

    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()

    assert signing.sign(SECRET, 1_700_000_000, BODY) == f"v1={expected}"


def test_verify_accepts_fresh_and_refuses_tampered_or_stale() -> None:
    headers = signing.headers(SECRET, "d1", BODY, now=1_700_000_000)
    stamp, signature = headers["Webhook-Timestamp"], headers["Webhook-Signature"]

    assert headers["Webhook-Id"] == "d1"
    assert signing.verify(
        SECRET, timestamp=stamp, signature=signature, body=BODY, now=1_700_000_100
    )
    assert not signing.verify(
        SECRET, timestamp=stamp, signature=signature, body=BODY + b" ", now=1_700_000_100
    )
    assert not signing.verify(
        "whsec_other", timestamp=stamp, signature=signature, body=BODY, now=1_700_000_100
    )
    assert not signing.verify(
        SECRET, timestamp=stamp, signature=signature, body=BODY, now=1_700_001_000
    )
    assert not signing.verify(SECRET, timestamp="soon", signature=signature, body=BODY)


def test_the_readme_snippet_verifies_what_the_sender_signs() -> None:
    verify = readme_verifier()
    headers = signing.headers(SECRET, "d1", BODY)

    assert verify(SECRET, headers, BODY)
    assert not verify(SECRET, headers, BODY.replace(b"faq", b"doc"))
    assert not verify(SECRET, {**headers, "Webhook-Timestamp": "1000"}, BODY)


def _settings(**overrides: Any) -> Settings:
    return Settings(database_url="sqlite:///unused.db", _env_file=None, **overrides)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://0.0.0.0/hook",
        "https://224.0.0.1/hook",
    ],
)
def test_non_public_addresses_are_refused(url: str) -> None:
    with pytest.raises(TargetRefused, match="non-public"):
        check_url(url, _settings())


def test_http_credentials_and_allow_list_rules() -> None:
    with pytest.raises(TargetRefused, match="https"):
        check_url("http://93.184.215.14/hook", _settings())
    with pytest.raises(TargetRefused, match="credentials"):
        check_url("https://user:pw@93.184.215.14/hook", _settings())
    with pytest.raises(TargetRefused, match="prefix"):
        check_url(
            "https://93.184.215.14/hook",
            _settings(webhook_url_allowlist=["https://hooks.partner.example/"]),
        )
    assert check_url("https://93.184.215.14/hook", _settings()).address == "93.184.215.14"


def test_allowed_networks_and_hosts_open_private_ranges() -> None:
    allowed = _settings(webhook_allowed_networks=["127.0.0.0/8"], webhook_allow_http=True)
    target = check_url("http://127.0.0.1:8123/hook", allowed)

    assert (target.address, target.port, target.host) == ("127.0.0.1", 8123, "127.0.0.1")
    assert check_url("https://localhost/h", _settings(webhook_allowed_hosts=["LOCALHOST"]))
    with pytest.raises(TargetRefused):
        check_url("https://10.0.0.1/hook", allowed)


def test_unresolvable_hosts_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise socket.gaierror("no such host")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(TargetRefused, match="does not resolve"):
        check_url("https://nowhere.invalid/hook", _settings())


def test_bad_allowed_network_setting_stops_start_up() -> None:
    with pytest.raises(ValueError, match="CIDR"):
        _settings(webhook_allowed_networks="10.0.0.0/8,not-a-network")
    with pytest.raises(ValueError, match="LEASE"):
        _settings(webhook_lease_seconds=5, webhook_timeout_seconds=10)


def test_event_patterns() -> None:
    assert matches(["treatment.published"], event="treatment.published")
    assert not matches(["treatment.published"], event="treatment.updated")
    assert matches(["faq.*"], event="faq.updated")
    assert matches(["*.deleted"], event="doctor.deleted")
    assert not matches(["*.deleted"], event="doctor.created")
    assert matches(["*"], event="media.archived")
    assert pattern_problem("faq.*") is None
    assert pattern_problem("faqs.updated") is not None
    assert pattern_problem("faq.edited") is not None
    assert pattern_problem("faq") is not None


def test_backoff_grows_exponentially_with_full_jitter_and_a_cap() -> None:
    settings = _settings(webhook_backoff_base_seconds=10, webhook_backoff_max_seconds=60)

    assert backoff_seconds(1, settings, lambda: 1.0) == 10
    assert backoff_seconds(3, settings, lambda: 1.0) == 40
    assert backoff_seconds(9, settings, lambda: 1.0) == 60
    assert backoff_seconds(3, settings, lambda: 0.5) == 20
    assert backoff_seconds(100, settings, lambda: 0.0) == 0


def test_sender_pins_the_checked_address_keeps_the_host_and_never_follows_redirects() -> None:
    from app.webhooks import sender
    from tests.support.webhook_support import Receiver, running_receiver

    settings = _settings(webhook_allow_http=True, webhook_allowed_networks=["127.0.0.0/8"])
    with (
        running_receiver(Receiver(script=[302])) as receiver,
        sender.make_client(settings) as client,
    ):
        url = receiver.url.replace("127.0.0.1", "localhost")
        moved = sender.send(client, settings, url=url, secret=SECRET, delivery_id="d1", body=BODY)
        sent = sender.send(client, settings, url=url, secret=SECRET, delivery_id="d1", body=BODY)
        refused = sender.send(
            client, _settings(), url=url, secret=SECRET, delivery_id="d1", body=BODY
        )

    assert (moved.ok, moved.status_code, moved.error) == (False, 302, "HTTP 302")
    assert (sent.ok, sent.status_code, sent.error) == (True, 200, None)
    assert refused.ok is False
    assert refused.error is not None and refused.error.startswith("refused: ")
    assert len(receiver.hits) == 2
    assert receiver.hits[1].headers["Host"] == url.split("/")[2]
    assert receiver.hits[1].body == BODY
