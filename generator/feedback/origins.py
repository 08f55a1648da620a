"""Which web pages may post feedback: the site's own origin and configured extra origins.

The allowed origins come from configuration only — never from the request's
``Host`` header, which the sender controls (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers


def normalise_origin(value: str) -> str | None:
    """``scheme://host[:port]`` in lower case, or None when ``value`` has no origin."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    default = {"http": 80, "https": 443}[parts.scheme]
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    suffix = f":{port}" if port and port != default else ""
    return f"{parts.scheme}://{host}{suffix}"


def normalise_origins(values: Iterable[str]) -> frozenset[str]:
    """The configured origins, normalised; unusable entries raise ValueError."""
    result = set()
    for value in values:
        origin = normalise_origin(value)
        if origin is None:
            raise ValueError(f"not an http(s) origin: {value!r}")
        result.add(origin)
    return frozenset(result)


def allowed_origins(site_url: str | None, extra: Iterable[str] = ()) -> frozenset[str]:
    """The origin of ``site_url`` (when set) and the extra origins, normalised."""
    return normalise_origins([*([site_url] if site_url else []), *extra])


def local_origins(address: str) -> tuple[str, ...]:
    """The origins a browser uses for a development server at ``host:port``.

    A loopback address also gets its ``localhost`` spelling (and the reverse).
    """
    host, _, port = address.rpartition(":")
    host = host.strip("[]")
    if host in ("", "0.0.0.0", "::"):  # every interface: the browser uses the loopback
        host = "127.0.0.1"
    names = {host}
    try:
        if ipaddress.ip_address(host).is_loopback:
            names.add("localhost")
    except ValueError:
        if host == "localhost":
            names.update({"127.0.0.1", "[::1]"})
    spelled = sorted(
        f"[{name}]" if ":" in name and not name.startswith("[") else name for name in names
    )
    return tuple(f"http://{name}:{port}" for name in spelled)


def request_origin(headers: Headers) -> str | None:
    """The origin a browser says the request comes from (Origin, else Referer), or None."""
    origin = headers.get("origin")
    if origin is not None:
        return normalise_origin(origin) or "null"
    referer = headers.get("referer")
    if referer:
        return normalise_origin(referer) or "null"
    return None


def origin_allowed(headers: Headers, allowed: frozenset[str]) -> bool:
    """True for requests without an origin (not from a browser page) or from an allowed one."""
    origin = request_origin(headers)
    return origin is None or origin in allowed
