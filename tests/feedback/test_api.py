"""The receiver's HTTP API, friendly and hostile."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from generator.feedback.app import create_app
from generator.feedback.storage import Store

from .conftest import KEYS, PRIORITIES, TEAMS

SITE = "https://handbook.example.com"
KEY = "benefits-specialist/benefit-documents"
GOOD = {
    "key": KEY,
    "rating": 4,
    "comment": "Fast and friendly",
    "priority": "speed",
    "team": "people",
}
FORM = "application/x-www-form-urlencoded"


def make_app(store: Store, **options: Any) -> Starlette:
    settings: dict[str, Any] = {
        "store": store,
        "valid_keys": KEYS,
        "teams": TEAMS,
        "priorities": PRIORITIES,
        "origins": [SITE],
    }
    return create_app(**(settings | options))


@pytest.fixture
def client(sqlite_store: Store) -> TestClient:
    return TestClient(make_app(sqlite_store))


def test_json_post_is_stored(client: TestClient, sqlite_store: Store) -> None:
    response = client.post("/api/feedback", json=GOOD, headers={"Origin": SITE})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "ok"
    rows = list(sqlite_store.rows())
    assert [r.id for r in rows] == [body["id"]]
    assert (rows[0].rating, rows[0].comment, rows[0].priority, rows[0].team) == (
        4,
        "Fast and friendly",
        "speed",
        "people",
    )
    assert response.headers["access-control-allow-origin"] == SITE


def test_minimal_json_post(client: TestClient, sqlite_store: Store) -> None:
    response = client.post("/api/feedback", json={"key": KEY, "rating": 1, "comment": None})
    assert response.status_code == 201
    row = next(sqlite_store.rows())
    assert (row.comment, row.priority, row.team) == (None, None, None)


def test_form_post_answers_with_thank_you_page(client: TestClient, sqlite_store: Store) -> None:
    form = {**GOOD, "rating": "5", "website": "", "return_to": "/roles/people/benefits/"}
    response = client.post("/api/feedback", data=form, headers={"Origin": SITE})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Thank you" in response.text
    assert f'href="{SITE}/roles/people/benefits/"' in response.text
    assert '<html lang="en">' in response.text
    assert sqlite_store.count() == 1


def test_form_without_origin_links_back_relatively(client: TestClient) -> None:
    form = {"key": KEY, "rating": "3", "return_to": "/roles/x/?a=1#card"}
    response = client.post("/api/feedback", data=form)
    assert response.status_code == 200
    assert 'href="/roles/x/?a=1#card"' in response.text


@pytest.mark.parametrize(
    "return_to",
    [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "",
        "/a b",
    ],
)
def test_unsafe_return_to_links_home(client: TestClient, return_to: str) -> None:
    form = {"key": KEY, "rating": "3", "return_to": return_to}
    response = client.post("/api/feedback", data=form)
    assert response.status_code == 200
    assert 'href="/"' in response.text


def test_site_url_for_return_is_used(sqlite_store: Store) -> None:
    client = TestClient(make_app(sqlite_store, site_url_for_return="https://docs.example.org"))
    response = client.post("/api/feedback", data={"key": KEY, "rating": "3", "return_to": "/r/"})
    assert 'href="https://docs.example.org/r/"' in response.text


def test_form_errors_are_html_pages_with_a_way_back(
    client: TestClient, sqlite_store: Store
) -> None:
    form = {"key": "nobody/nothing", "rating": "3", "return_to": "/roles/x/"}
    response = client.post("/api/feedback", data=form)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "unknown role/commitment" in response.text
    assert 'href="/roles/x/"' in response.text
    assert sqlite_store.count() == 0


def test_health_and_openapi(client: TestClient) -> None:
    assert client.get("/api/health").json() == {"status": "ok"}
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {"/api/feedback", "/api/health"}


def test_there_is_no_read_endpoint(client: TestClient) -> None:
    assert client.get("/api/feedback").status_code == 405
    assert client.get("/api/feedback/1").status_code == 404
    assert client.get("/api/export").status_code == 404


BAD_JSON_FIELDS = [
    ({**GOOD, "key": "nobody/nothing"}, 422, "unknown role/commitment"),
    ({**GOOD, "key": ["x"]}, 422, "unknown role/commitment"),
    ({**GOOD, "rating": 0}, 422, "rating"),
    ({**GOOD, "rating": 6}, 422, "rating"),
    ({**GOOD, "rating": 4.5}, 422, "rating"),
    ({**GOOD, "rating": "4"}, 201, None),
    ({**GOOD, "rating": True}, 422, "rating"),
    ({**GOOD, "rating": None}, 422, "rating"),
    ({**GOOD, "comment": "x" * 2001}, 422, "longer than 2000"),
    ({**GOOD, "comment": "nul\x00byte"}, 422, "not allowed"),
    ({**GOOD, "comment": 12}, 422, "text"),
    ({**GOOD, "priority": "cheapness"}, 422, "unknown priority"),
    ({**GOOD, "team": "board"}, 422, "unknown team"),
    ({**GOOD, "ip": "1.2.3.4"}, 422, "unknown field"),
    ({"rating": 3}, 422, "missing field"),
    ({**GOOD, "website": "http://spam.example"}, 400, "automated"),
]


@pytest.mark.parametrize(("payload", "status", "message"), BAD_JSON_FIELDS)
def test_field_validation(
    client: TestClient,
    sqlite_store: Store,
    payload: dict[str, Any],
    status: int,
    message: str | None,
) -> None:
    response = client.post("/api/feedback", json=payload)
    assert response.status_code == status, response.text
    if message is None:
        return
    body = response.json()
    assert body["status"] == "error"
    assert message in body["message"]
    assert sqlite_store.count() == 0


def test_lone_surrogate_comment_is_refused(client: TestClient, sqlite_store: Store) -> None:
    body = json.dumps({"key": KEY, "rating": 3, "comment": "\ud800"}).encode()
    response = client.post(
        "/api/feedback", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert sqlite_store.count() == 0


RAW_BODIES = [
    (b"{not json", "application/json", 400),
    (b"[1, 2]", "application/json", 400),
    (b'{"key": "a", "key": "b", "rating": 3}', "application/json", 400),
    (b'{"rating": NaN}', "application/json", 400),
    (b"[" * 4000 + b"]" * 4000, "application/json", 400),
    (b"\xff\xfe", "application/json", 400),
    (b"key=a&key=b&rating=3", FORM, 422),
    (b"key=%FF&rating=3", FORM, 400),
    (b"rating", FORM, 400),
    (b"", FORM, 422),
    (b"key=x", "text/plain", 415),
    (b"key=x", "multipart/form-data; boundary=x", 415),
    (b"<feedback/>", "application/xml", 415),
]


@pytest.mark.parametrize(("body", "content_type", "status"), RAW_BODIES)
def test_malformed_bodies(
    client: TestClient, sqlite_store: Store, body: bytes, content_type: str, status: int
) -> None:
    response = client.post("/api/feedback", content=body, headers={"Content-Type": content_type})
    assert response.status_code == status, response.text
    assert sqlite_store.count() == 0


def test_missing_content_type_is_415(client: TestClient, sqlite_store: Store) -> None:
    response = client.post("/api/feedback", content=b'{"key": "x"}')
    assert response.status_code == 415
    assert sqlite_store.count() == 0


def test_oversize_body_is_413(client: TestClient, sqlite_store: Store) -> None:
    payload = {**GOOD, "comment": "x" * 9000}
    response = client.post("/api/feedback", json=payload)
    assert response.status_code == 413
    assert sqlite_store.count() == 0


def test_oversize_stream_without_length_is_413(client: TestClient, sqlite_store: Store) -> None:
    def chunks() -> Any:
        yield b'{"key": "' + KEY.encode() + b'", "rating": 3, "comment": "'
        for _ in range(100):
            yield b"y" * 1000
        yield b'"}'

    response = client.post(
        "/api/feedback", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert sqlite_store.count() == 0


def test_lying_content_length_is_refused(client: TestClient, sqlite_store: Store) -> None:
    response = client.post(
        "/api/feedback",
        content=b"{}",
        headers={"Content-Type": "application/json", "Content-Length": "99999999"},
    )
    assert 400 <= response.status_code < 500
    assert sqlite_store.count() == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/page"},
        {"Origin": "https://handbook.example.com.evil.example"},
        {"Origin": "http://handbook.example.com"},
    ],
)
def test_foreign_origin_is_403(
    client: TestClient, sqlite_store: Store, headers: dict[str, str]
) -> None:
    response = client.post("/api/feedback", json=GOOD, headers=headers)
    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers
    assert sqlite_store.count() == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": SITE},
        {"Origin": "https://HANDBOOK.example.com:443"},
        {"Referer": f"{SITE}/roles/x/"},
        {},
    ],
)
def test_allowed_origins(client: TestClient, headers: dict[str, str]) -> None:
    assert client.post("/api/feedback", json=GOOD, headers=headers).status_code == 201


def test_without_configured_origins_no_page_may_post(sqlite_store: Store) -> None:
    client = TestClient(make_app(sqlite_store, origins=[]))
    assert client.post("/api/feedback", json=GOOD, headers={"Origin": SITE}).status_code == 403
    own = client.post("/api/feedback", json=GOOD, headers={"Origin": "http://testserver"})
    assert own.status_code == 403
    assert client.post("/api/feedback", json=GOOD).status_code == 201
    assert sqlite_store.count() == 1


def test_cors_preflight(client: TestClient) -> None:
    allowed = client.options(
        "/api/feedback",
        headers={
            "Origin": SITE,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == SITE
    assert "POST" in allowed.headers["access-control-allow-methods"]
    refused = client.options(
        "/api/feedback",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers


def test_flood_is_429_with_retry_after(sqlite_store: Store) -> None:
    client = TestClient(make_app(sqlite_store, rate_limit=(3, 60.0)))
    statuses = [client.post("/api/feedback", json=GOOD).status_code for _ in range(5)]
    assert statuses == [201, 201, 201, 429, 429]
    limited = client.post("/api/feedback", json=GOOD)
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert sqlite_store.count() == 3


def test_rate_limit_counts_per_client(sqlite_store: Store) -> None:
    app = make_app(sqlite_store, rate_limit=(1, 60.0))
    first = TestClient(app, client=("10.0.0.1", 1234))
    second = TestClient(app, client=("10.0.0.2", 1234))
    assert first.post("/api/feedback", json=GOOD).status_code == 201
    assert first.post("/api/feedback", json=GOOD).status_code == 429
    assert second.post("/api/feedback", json=GOOD).status_code == 201


class BrokenStore(Store):
    def write_batch(self, batch: Any) -> list[int | BaseException]:
        return [OSError("disk on fire") for _ in batch]

    def ping(self) -> None:
        raise OSError("disk on fire")

    def probe(self) -> None:
        raise OSError("disk on fire")


def test_storage_outage_is_503(sqlite_store: Store) -> None:
    client = TestClient(make_app(BrokenStore(sqlite_store.engine)))
    response = client.post("/api/feedback", json=GOOD)
    assert response.status_code == 503
    assert "try again later" in response.json()["message"]
    assert client.get("/api/health").status_code == 503


def test_keys_may_come_from_a_function(sqlite_store: Store) -> None:
    keys = {"current": frozenset({"a/b"})}
    client = TestClient(make_app(sqlite_store, valid_keys=lambda: keys["current"]))
    assert client.post("/api/feedback", json={"key": "a/b", "rating": 2}).status_code == 201
    keys["current"] = frozenset({"c/d"})
    assert client.post("/api/feedback", json={"key": "a/b", "rating": 2}).status_code == 422
    assert client.post("/api/feedback", json={"key": "c/d", "rating": 2}).status_code == 201


# --- a Polish handbook's receiver answers in Polish ---------------------------------

POLISH_RATING = "ocena musi być liczbą całkowitą od 1 do 5"


@pytest.fixture
def polish(sqlite_store: Store) -> TestClient:
    return TestClient(make_app(sqlite_store, language="pl"))


def test_polish_json_refusal_is_in_polish(polish: TestClient, sqlite_store: Store) -> None:
    response = polish.post("/api/feedback", json={**GOOD, "rating": 9})
    assert response.status_code == 422
    assert response.json() == {"status": "error", "message": POLISH_RATING, "field": "rating"}
    assert sqlite_store.count() == 0


def test_polish_form_refusal_is_a_polish_page(polish: TestClient, sqlite_store: Store) -> None:
    form = {"key": KEY, "rating": "9", "return_to": "/roles/x/"}
    response = polish.post("/api/feedback", data=form)
    assert response.status_code == 422
    assert '<html lang="pl">' in response.text
    assert POLISH_RATING in response.text
    assert "Opinia nie została wysłana" in response.text
    assert "whole number" not in response.text
    assert sqlite_store.count() == 0


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({**GOOD, "ip": "1.2.3.4"}, "ip", "nieznane pola: 'ip'"),
        ({"rating": 3}, "key", "brakujące pola: key"),
        ({**GOOD, "comment": "x" * 2001}, "comment", "pole comment ma więcej niż 2000 znaków"),
        ({**GOOD, "key": "nobody/nothing"}, "key", "nieznana rola lub usługa"),
        ({**GOOD, "team": "board"}, "team", "nieznany zespół"),
    ],
)
def test_polish_messages_fill_in_their_values(
    polish: TestClient, payload: dict[str, Any], field: str, message: str
) -> None:
    body = polish.post("/api/feedback", json=payload).json()
    assert (body["status"], body["field"], body["message"]) == ("error", field, message)


def test_polish_transport_refusals(sqlite_store: Store) -> None:
    polish = TestClient(make_app(sqlite_store, language="pl"))
    too_large = polish.post("/api/feedback", json={**GOOD, "comment": "x" * 9000})
    assert (too_large.status_code, too_large.json()["message"]) == (
        413,
        "treść żądania przekracza limit 8192 B",
    )
    wrong_type = polish.post("/api/feedback", content=b"x", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415
    assert wrong_type.json()["message"].startswith("wyślij dane jako")
    foreign = polish.post("/api/feedback", json=GOOD, headers={"Origin": "https://evil.example"})
    assert foreign.json()["message"] == "ta strona nie może wysyłać tutaj opinii"
    assert polish.get("/api/export").json()["message"] == "nie znaleziono"
    used = polish.post("/api/feedback", json={**GOOD, "invite": "v1.a.b.c.d"})
    assert used.json()["message"] == "zaproszenia nie są tu przyjmowane"


def test_polish_rate_limit_says_when_to_retry(sqlite_store: Store) -> None:
    polish = TestClient(make_app(sqlite_store, language="pl", rate_limit=(1, 60.0)))
    assert polish.post("/api/feedback", json=GOOD).status_code == 201
    flood = polish.post("/api/feedback", json=GOOD)
    assert flood.status_code == 429
    seconds = flood.headers["retry-after"]
    assert flood.json()["message"] == f"zbyt wiele odpowiedzi; spróbuj ponownie za {seconds} s"


def test_polish_outage_is_in_polish(sqlite_store: Store) -> None:
    client = TestClient(make_app(BrokenStore(sqlite_store.engine), language="pl"))
    response = client.post("/api/feedback", json=GOOD)
    assert response.status_code == 503
    assert response.json()["message"] == "nie można teraz zapisać opinii; spróbuj ponownie później"
    assert client.get("/api/health").json()["message"] == "baza opinii nie może zapisać odpowiedzi"
