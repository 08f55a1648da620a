"""The receiver against a hostile network: Host and Origin, proxy headers, security headers."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from generator.feedback.app import create_app
from generator.feedback.storage import Store

from .conftest import KEYS, PRIORITIES, TEAMS

SITE = "https://handbook.example.com"
GOOD = {"key": "benefits-specialist/benefit-documents", "rating": 4}
SECURITY = {
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def make_app(store: Store, **options: Any) -> Any:
    settings: dict[str, Any] = {"origins": [SITE], **options}
    return create_app(store=store, valid_keys=KEYS, teams=TEAMS, priorities=PRIORITIES, **settings)


@pytest.mark.parametrize(
    ("host", "origin"),
    [
        ("evil.example", "http://evil.example"),
        ("evil.example:8001", "http://evil.example:8001"),
        ("127.0.0.1:8001", "http://127.0.0.1:8001"),
        ("localhost", "http://localhost"),
        ("handbook.example.com", "http://handbook.example.com"),
        ("handbook.example.com.evil.example", "https://handbook.example.com.evil.example"),
    ],
)
def test_the_host_header_never_makes_an_origin_allowed(
    sqlite_store: Store, host: str, origin: str
) -> None:
    """DNS rebinding: the attacker's page names the host it was loaded from."""
    client = TestClient(make_app(sqlite_store))
    response = client.post("/api/feedback", json=GOOD, headers={"Host": host, "Origin": origin})
    assert response.status_code == 403
    referred = client.post(
        "/api/feedback", json=GOOD, headers={"Host": host, "Referer": origin + "/page"}
    )
    assert referred.status_code == 403
    assert sqlite_store.count() == 0


def test_the_site_origin_is_allowed_whatever_the_host(sqlite_store: Store) -> None:
    client = TestClient(make_app(sqlite_store))
    response = client.post(
        "/api/feedback", json=GOOD, headers={"Host": "internal:8001", "Origin": SITE}
    )
    assert response.status_code == 201


def test_trailing_slash_is_not_redirected_to_the_host(sqlite_store: Store) -> None:
    client = TestClient(make_app(sqlite_store), follow_redirects=False)
    response = client.post("/api/feedback/", json=GOOD, headers={"Host": "evil.example"})
    assert response.status_code == 404
    assert "location" not in response.headers
    assert "evil.example" not in response.text
    assert sqlite_store.count() == 0


def test_rotating_forwarded_for_from_an_untrusted_peer_does_not_bypass_the_limit(
    sqlite_store: Store,
) -> None:
    client = TestClient(make_app(sqlite_store, rate_limit=(2, 3600.0)), client=("127.0.0.1", 5))
    statuses = [
        client.post(
            "/api/feedback", json=GOOD, headers={"X-Forwarded-For": f"203.0.113.{n}"}
        ).status_code
        for n in range(5)
    ]
    assert statuses == [201, 201, 429, 429, 429]


def test_forwarded_for_from_a_trusted_proxy_names_the_client(sqlite_store: Store) -> None:
    app = make_app(sqlite_store, rate_limit=(1, 3600.0), trusted_proxies=["10.0.0.2"])
    proxy = TestClient(app, client=("10.0.0.2", 5))

    def post(forwarded: str) -> int:
        headers = {"X-Forwarded-For": forwarded}
        return proxy.post("/api/feedback", json=GOOD, headers=headers).status_code

    assert post("198.51.100.1") == 201
    assert post("198.51.100.2") == 201  # another office, another budget
    assert post("198.51.100.1") == 429
    assert post("1.2.3.4, 198.51.100.1") == 429  # a forged left part does not help
    assert post("198.51.100.3, 10.0.0.2") == 201  # our own proxy hops are skipped


RESPONSE_KINDS = [
    ("POST", "/api/feedback", {"Origin": SITE}, GOOD, 201),
    ("POST", "/api/feedback", {"Origin": "https://evil.example"}, GOOD, 403),
    ("POST", "/api/feedback", {}, {"key": "x/y", "rating": 1}, 422),
    ("POST", "/api/feedback/", {}, GOOD, 404),
    ("GET", "/api/feedback", {}, None, 405),
    ("GET", "/api/nothing", {}, None, 404),
    ("GET", "/api/openapi.json", {}, None, 200),
    ("GET", "/api/health", {}, None, 200),
    (
        "OPTIONS",
        "/api/feedback",
        {"Origin": SITE, "Access-Control-Request-Method": "POST"},
        None,
        200,
    ),
    (
        "OPTIONS",
        "/api/feedback",
        {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        None,
        400,
    ),
]


@pytest.mark.parametrize("case", RESPONSE_KINDS)
def test_every_response_has_the_security_headers(sqlite_store: Store, case: Any) -> None:
    method, path, headers, body, status = case
    client = TestClient(make_app(sqlite_store), follow_redirects=False)
    response = client.request(method, path, headers=headers, json=body)
    assert response.status_code == status
    for name, value in SECURITY.items():
        assert response.headers.get(name) == value, (name, response.headers)
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_html_answers_allow_no_scripts(sqlite_store: Store) -> None:
    client = TestClient(make_app(sqlite_store))
    for form in ({"key": GOOD["key"], "rating": "4"}, {"key": "x/y", "rating": "4"}):
        response = client.post("/api/feedback", data=form)
        assert response.headers["content-type"].startswith("text/html")
        policy = response.headers["content-security-policy"]
        assert "script-src" not in policy
        assert policy.startswith("default-src 'none'")
        assert response.headers["cache-control"] == "no-store"
