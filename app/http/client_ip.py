"""Who is calling: the peer address, or X-Forwarded-For behind trusted proxies.

X-Forwarded-For is written by whoever sent the request, so it is believed
only when the direct peer is one of our own proxies (TRUSTED_PROXIES). Each
proxy appends the address it saw, so the list is read from the right and the
first address that is not a trusted proxy is the client; anything to its left
was supplied by that client and could be anything. Rate limits and logs key
on this address, so a client cannot pick its own bucket by sending the header.

The rate limiter counts an IPv6 client by its network (`ip_bucket`), not its
address: one customer is routinely given a whole /64, so per-address buckets
would give one client 2^64 of them.
"""

import ipaddress
from functools import lru_cache

from starlette.types import Scope

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class ClientIpResolver:
    def __init__(self, trusted_proxies: list[str]) -> None:
        self.networks: tuple[IPNetwork, ...] = tuple(
            ipaddress.ip_network(cidr, strict=False) for cidr in trusted_proxies
        )

    def _trusted(self, address: str) -> bool:
        parsed = _parse(address)
        return parsed is not None and any(parsed in network for network in self.networks)

    def resolve(self, scope: Scope) -> str:
        client = scope.get("client")
        peer: str = client[0] if client else "unknown"
        if not self.networks or not self._trusted(peer):
            return peer
        forwarded = b",".join(v for k, v in scope["headers"] if k == b"x-forwarded-for")
        if not forwarded:
            return peer
        hops = [h.strip() for h in forwarded.decode("latin-1").split(",") if h.strip()]
        nearest = peer
        for hop in reversed(hops):
            if _parse(hop) is None:
                # A trusted proxy never writes garbage; stop at the last hop we believe.
                return nearest
            if not self._trusted(hop):
                return hop
            nearest = hop
        return nearest


@lru_cache(maxsize=4096)
def _parse(address: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def ip_bucket(address: str, ipv6_prefix: int) -> str:
    """The rate-limit bucket of a client address: IPv4 as is, IPv6 by network.

    An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is its IPv4 address, so a
    dual-stack listener does not lump every IPv4 client into `::ffff:0:0/96`.
    Anything that is not an address ("testclient", "unknown") is its own bucket.
    """
    if ":" not in address:
        return address
    return _ipv6_bucket(address, ipv6_prefix)


@lru_cache(maxsize=4096)
def _ipv6_bucket(address: str, prefix: int) -> str:
    parsed = _parse(address)
    if not isinstance(parsed, ipaddress.IPv6Address):
        return address
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.IPv6Network((parsed, prefix), strict=False))
