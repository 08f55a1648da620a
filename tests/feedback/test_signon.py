"""Single sign-on behind a trusted proxy: one voice per person, and no identity stored."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from starlette.requests import Request
from starlette.testclient import TestClient

from generator.feedback.app import create_app
from generator.feedback.clients import TrustedProxies
from generator.feedback.storage import Store, Submission
from generator.feedback.voices import Voices

from .conftest import KEYS, PRIORITIES, TEAMS

PROXY = ("10.0.0.2", 40000)
STRANGER = ("192.0.2.7", 40000)
HEADER = "X-Forwarded-Email"
SECRET = "sign-on-salt-secret-for-tests"
KEY = "benefits-specialist/benefit-documents"
OTHER = "payroll-clerk/payslips"
EMAIL = "Anna.Kowalska@Example.COM"


def make_app(store: Store, **options: Any) -> Any:
    settings: dict[str, Any] = {
        "trusted_proxies": ["10.0.0.0/24"],
        "sso_header": HEADER,
        "sso_secret": SECRET,
        **options,
    }
    return create_app(store=store, valid_keys=KEYS, teams=TEAMS, priorities=PRIORITIES, **settings)


def post(client: TestClient, email: str | None, rating: int, key: str = KEY) -> Any:
    headers = {HEADER: email} if email is not None else {}
    return client.post("/api/feedback", json={"key": key, "rating": rating}, headers=headers)


def test_a_later_answer_replaces_the_earlier(any_store: Store) -> None:
    client = TestClient(make_app(any_store), client=PROXY)
    assert post(client, EMAIL, 1).status_code == 201
    assert post(client, EMAIL.lower(), 2).status_code == 201  # the same person
    assert post(client, f" {EMAIL} ", 5).status_code == 201
    rows = list(any_store.rows())
    assert [(r.key, r.rating, r.verification) for r in rows] == [(KEY, 5, "sso")]


def test_one_person_counts_once_per_commitment_and_others_count_too(sqlite_store: Store) -> None:
    client = TestClient(make_app(sqlite_store), client=PROXY)
    for _ in range(10):
        post(client, EMAIL, 5)
    post(client, EMAIL, 3, key=OTHER)
    for person in ("bob@example.com", "carol@example.com"):
        post(client, person, 4)
    by_key: dict[str, list[int]] = {}
    for row in sqlite_store.rows():
        by_key.setdefault(row.key, []).append(row.rating)
    assert sorted(by_key[KEY]) == [4, 4, 5]
    assert by_key[OTHER] == [3]


def test_the_header_from_an_untrusted_peer_is_ignored(sqlite_store: Store) -> None:
    client = TestClient(make_app(sqlite_store), client=STRANGER)
    for rating in (1, 2, 3):
        assert post(client, EMAIL, rating).status_code == 201
    rows = list(sqlite_store.rows())
    assert [r.verification for r in rows] == ["open"] * 3  # no voice, no replacement


def test_untrusted_header_does_not_pass_a_verified_only_receiver(sqlite_store: Store) -> None:
    app = make_app(sqlite_store, open_answers=False)
    stranger = TestClient(app, client=STRANGER)
    assert post(stranger, EMAIL, 5).status_code == 403
    assert post(TestClient(app, client=PROXY), None, 5).status_code == 403
    assert post(TestClient(app, client=PROXY), EMAIL, 5).status_code == 201
    assert sqlite_store.count() == 1


def test_the_identity_is_stored_nowhere(tmp_path: Path, sqlite_store: Store) -> None:
    client = TestClient(make_app(sqlite_store), client=PROXY)
    post(client, EMAIL, 4)
    post(client, EMAIL, 2, key=OTHER)
    sqlite_store.close()
    data = b"".join(path.read_bytes() for path in tmp_path.glob("feedback.db*"))
    for form in (EMAIL, EMAIL.lower(), "kowalska", EMAIL.encode("utf-16-le").decode("latin-1")):
        assert form.encode("latin-1") not in data.lower()


def voter_for(voices: Voices, email: str, key: str, now: datetime) -> str | None:
    request = Request(
        {
            "type": "http",
            "method": "POST",
            "path": "/api/feedback",
            "headers": [(HEADER.lower().encode(), email.encode())],
            "client": PROXY,
        }
    )
    voice = voices.of(request, {}, Submission(key, 3), now=now)
    return voice.submission.voter


def test_voters_change_with_the_period_and_the_commitment() -> None:
    voices = Voices(
        proxies=TrustedProxies.parse(["10.0.0.2"]),
        sso_header=HEADER,
        sso_secret=SECRET.encode(),
        period="quarter",
    )
    march = datetime(2026, 3, 31, 23, tzinfo=UTC)
    april = datetime(2026, 4, 1, 1, tzinfo=UTC)
    assert voter_for(voices, EMAIL, KEY, march) == voter_for(voices, EMAIL, KEY, march)
    assert voter_for(voices, EMAIL, KEY, march) != voter_for(voices, EMAIL, KEY, april)
    assert voter_for(voices, EMAIL, KEY, march) != voter_for(voices, EMAIL, OTHER, march)
    other_secret = Voices(
        proxies=voices.proxies, sso_header=HEADER, sso_secret=b"x" * 32, period="quarter"
    )
    assert voter_for(voices, EMAIL, KEY, march) != voter_for(other_secret, EMAIL, KEY, march)


def test_signed_on_people_are_limited_per_person_not_per_address(sqlite_store: Store) -> None:
    """Everyone behind the proxy shares its address; the limits do not mix them up."""
    client = TestClient(
        make_app(sqlite_store, rate_limit=(1, 3600.0), person_rate_limit=(2, 3600.0)),
        client=PROXY,
    )
    assert [post(client, EMAIL, 4).status_code for _ in range(3)] == [201, 201, 429]
    assert post(client, "bob@example.com", 4).status_code == 201
    assert post(client, "carol@example.com", 4).status_code == 201


@pytest.mark.parametrize("value", ["", "   ", "a\x01b@example.com", "x" * 400])
def test_unusable_header_values_are_no_identity(sqlite_store: Store, value: str) -> None:
    client = TestClient(make_app(sqlite_store), client=PROXY)
    for _ in range(2):
        post(client, value, 3)
    assert [r.verification for r in sqlite_store.rows()] == ["open", "open"]
