"""Where webhooks may be sent: a guard against server-side request forgery.

A URL is checked when it is registered and again before every attempt, since
DNS answers change: every address its host resolves to must be public
(not loopback, private, link-local, multicast, unspecified or reserved)
unless it lies in WEBHOOK_ALLOWED_NETWORKS or the host is listed in
WEBHOOK_ALLOWED_HOSTS. The sender then connects to the address checked here
(app/webhooks/sender.py), so a second lookup cannot swap in another one.
"""

import ipaddress
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from app.webhooks.allowlist import allowed

if TYPE_CHECKING:  # the settings type only: config imports app.webhooks.allowlist
    from app.config import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(Exception):
    """The URL may not receive webhooks; the message says why (never secrets)."""


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str
    port: int
    address: str  # the checked IP to connect to


def _is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return _is_public(address.ipv4_mapped)
    return not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
        or not address.is_global
    )


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused(f"the host {host!r} does not resolve") from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def check_url(url: str, settings: "Settings") -> Target:
    """The checked target for `url`, or TargetRefused."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # e.g. an unclosed IPv6 bracket: "https://[x"
        raise TargetRefused("the URL is not valid") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise TargetRefused("the URL must be https://")
    if scheme == "http" and not settings.webhook_allow_http:
        raise TargetRefused("the URL must be https:// (WEBHOOK_ALLOW_HTTP is off)")
    if parts.username or parts.password:
        raise TargetRefused("the URL must not carry credentials; sign with the secret instead")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise TargetRefused("the URL has no host")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise TargetRefused("the URL's port is not valid") from exc
    if not allowed(url, settings.webhook_url_allowlist):
        raise TargetRefused("the URL is not under an allowed prefix (WEBHOOK_URL_ALLOWLIST)")
    addresses = _resolve(host, port)
    if host.lower() not in settings.webhook_allowed_hosts:
        networks = [
            ipaddress.ip_network(n, strict=False) for n in settings.webhook_allowed_networks
        ]
        for address in addresses:
            if not _is_public(address) and not any(address in net for net in networks):
                raise TargetRefused(
                    f"the host {host!r} resolves to {address}, a non-public address; "
                    "allow it with WEBHOOK_ALLOWED_NETWORKS if intended"
                )
    return Target(url=url, scheme=scheme, host=host, port=port, address=str(addresses[0]))
