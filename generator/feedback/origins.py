"""Which web pages may post feedback: the configured origins and the receiver's own."""

from __future__ import annotations

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
    """True for requests without an origin, from an allowed origin, or from the receiver's host."""
    origin = request_origin(headers)
    return origin is None or origin in allowed or same_host(origin, headers)


def same_host(origin: str, headers: Headers) -> bool:
    """True when ``origin`` names the host the request was sent to."""
    host = headers.get("host", "").lower()
    return bool(host) and origin.split("://", 1)[-1] in _host_forms(host)


def _host_forms(host: str) -> set[str]:
    """``host`` as it may appear in an origin: with and without its default port."""
    forms = {host}
    for default in (":80", ":443"):
        if host.endswith(default):
            forms.add(host[: -len(default)])
    return forms
