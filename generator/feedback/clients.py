"""Who sent a request: the direct peer, or the client a trusted proxy names.

``X-Forwarded-For`` (and a sign-on header) are believed only when the direct
peer is one of the configured trusted proxies; from anyone else they are
ignored, so a client cannot choose its own address or identity.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class TrustedProxies:
    """The networks whose forwarding headers count."""

    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, values: Iterable[str]) -> TrustedProxies:
        """Addresses or networks (``10.0.0.5``, ``10.1.0.0/16``, ``::1``); ValueError if not."""
        networks = []
        for value in values:
            try:
                networks.append(ipaddress.ip_network(value.strip(), strict=False))
            except ValueError:
                raise ValueError(f"not an IP address or network: {value!r}") from None
        return cls(tuple(networks))

    def trusts(self, address: str | None) -> bool:
        """True when ``address`` is one of the trusted proxies."""
        parsed = _address(address)
        return parsed is not None and any(parsed in network for network in self.networks)


def client_address(peer: str | None, forwarded_for: str | None, proxies: TrustedProxies) -> str:
    """The client's address for rate limiting.

    From an untrusted peer, the peer itself. From a trusted proxy, the nearest
    address in ``X-Forwarded-For`` that is not itself a trusted proxy (read from
    the right, since only the part our proxies appended can be believed).
    """
    if not peer:
        return UNKNOWN
    if not forwarded_for or not proxies.trusts(peer):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",")]
    nearest = peer
    for hop in reversed(hops):
        parsed = _address(hop)
        if parsed is None:
            return nearest  # a hop we cannot read: stop at the last one we could
        nearest = str(parsed)
        if not proxies.trusts(nearest):
            return nearest
    return nearest


def _address(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not value:
        return None
    try:
        return ipaddress.ip_address(value.strip().removeprefix("[").removesuffix("]"))
    except ValueError:
        return None
