"""Invitation tokens: issued, redeemed once, refused when replayed, forged or expired."""

from __future__ import annotations

import argparse
import base64
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from generator.cli.feedback import add_commands
from generator.feedback.app import create_app
from generator.feedback.invitations import InvalidInvitation, issue_token, read_token
from generator.feedback.storage import AlreadyAnswered, Store, Submission

from .conftest import KEYS, PRIORITIES, TEAMS, make_project

SECRET = "a-long-enough-invitation-secret"
KEY = "benefits-specialist/benefit-documents"
OTHER = "payroll-clerk/payslips"
TODAY = datetime.now(UTC).date()
NEXT_WEEK = TODAY + timedelta(days=7)


def make_client(store: Store, **options: Any) -> TestClient:
    settings: dict[str, Any] = {"invite_secret": SECRET, **options}
    app = create_app(store=store, valid_keys=KEYS, teams=TEAMS, priorities=PRIORITIES, **settings)
    return TestClient(app)


def answer(token: str, key: str = KEY, rating: int = 5) -> dict[str, Any]:
    return {"key": key, "rating": rating, "invite": token}


def test_a_token_is_redeemed_once(sqlite_store: Store) -> None:
    client = make_client(sqlite_store)
    token = issue_token(SECRET, KEY, NEXT_WEEK)
    first = client.post("/api/feedback", json=answer(token))
    assert first.status_code == 201, first.text
    replay = client.post("/api/feedback", json=answer(token, rating=1))
    assert replay.status_code == 409
    assert replay.json()["message"] == "this invitation has already been used"
    rows = list(sqlite_store.rows())
    assert [(r.rating, r.verification) for r in rows] == [(5, "invitation")]


def test_replays_in_one_burst_still_count_once(any_store: Store) -> None:
    """Concurrent posts of one token land in one transaction: still one answer."""
    writer = any_store.writer()
    token = issue_token(SECRET, KEY, NEXT_WEEK)
    invitation = read_token(SECRET, token, today=TODAY)
    sub = Submission(KEY, 4, verification="invitation", voter=invitation.voter)
    futures = [writer.submit(sub) for _ in range(20)]
    outcomes = [f.exception() or f.result() for f in futures]
    assert sum(isinstance(o, int) for o in outcomes) == 1
    assert sum(isinstance(o, AlreadyAnswered) for o in outcomes) == 19
    assert any_store.count() == 1


def test_every_token_is_a_voice_of_its_own(sqlite_store: Store) -> None:
    client = make_client(sqlite_store)
    for _ in range(3):
        token = issue_token(SECRET, KEY, NEXT_WEEK)
        assert client.post("/api/feedback", json=answer(token)).status_code == 201
    assert sqlite_store.count() == 3


def forge(token: str, *, subject: str | None = None, expires: str | None = None) -> str:
    version, subject_part, expiry, nonce, mac = token.split(".")
    if subject is not None:
        subject_part = base64.urlsafe_b64encode(subject.encode()).rstrip(b"=").decode()
    return ".".join([version, subject_part, expires or expiry, nonce, mac])


@pytest.mark.parametrize(
    "make_token",
    [
        lambda: issue_token("another-secret-of-some-length", KEY, NEXT_WEEK),
        lambda: forge(issue_token(SECRET, OTHER, NEXT_WEEK), subject=KEY),
        lambda: forge(issue_token(SECRET, KEY, TODAY - timedelta(days=1)), expires="29991231"),
        lambda: issue_token(SECRET, KEY, NEXT_WEEK)[:-2] + "AA",
        lambda: issue_token(SECRET, KEY, NEXT_WEEK).replace("v1.", "v2.", 1),
        lambda: "v1.....",
        lambda: "not a token at all",
        lambda: "v1.ąę.20990101.x.y",
        lambda: "x" * 600,
    ],
    ids=[
        "other-secret",
        "subject-changed",
        "expiry-changed",
        "mac-changed",
        "version",
        "empty",
        "junk",
        "non-ascii",
        "too-long",
    ],
)
def test_forged_tokens_are_refused(sqlite_store: Store, make_token: Any) -> None:
    client = make_client(sqlite_store)
    response = client.post("/api/feedback", json=answer(make_token()))
    assert response.status_code == 403, response.text
    assert response.json()["field"] == "invite"
    assert sqlite_store.count() == 0


def test_expired_and_misdirected_tokens_are_refused(sqlite_store: Store) -> None:
    client = make_client(sqlite_store)
    expired = client.post(
        "/api/feedback", json=answer(issue_token(SECRET, KEY, TODAY - timedelta(days=1)))
    )
    assert (expired.status_code, expired.json()["message"]) == (
        403,
        "this invitation link has expired",
    )
    elsewhere = client.post("/api/feedback", json=answer(issue_token(SECRET, OTHER, NEXT_WEEK)))
    assert (elsewhere.status_code, elsewhere.json()["message"]) == (
        403,
        "this invitation is for another service",
    )
    assert sqlite_store.count() == 0


def test_a_token_bound_to_a_request_is_for_its_commitment(sqlite_store: Store) -> None:
    client = make_client(sqlite_store)
    token = issue_token(SECRET, f"{KEY}#REQ-1042", NEXT_WEEK)
    invitation = read_token(SECRET, token, today=TODAY)
    assert (invitation.key, invitation.subject) == (KEY, f"{KEY}#REQ-1042")
    assert client.post("/api/feedback", json=answer(token)).status_code == 201
    other_request = issue_token(SECRET, f"{KEY}#REQ-1043", NEXT_WEEK)
    assert client.post("/api/feedback", json=answer(other_request)).status_code == 201
    assert client.post("/api/feedback", json=answer(token)).status_code == 409


def test_tokens_are_refused_without_a_secret(sqlite_store: Store) -> None:
    client = make_client(sqlite_store, invite_secret=None)
    response = client.post("/api/feedback", json=answer(issue_token(SECRET, KEY, NEXT_WEEK)))
    assert response.status_code == 403
    assert sqlite_store.count() == 0


def test_tokens_work_where_open_answers_are_refused(sqlite_store: Store) -> None:
    client = make_client(sqlite_store, open_answers=False)
    refused = client.post("/api/feedback", json={"key": KEY, "rating": 3})
    assert refused.status_code == 403
    assert "invitation" in refused.json()["message"]
    token = issue_token(SECRET, KEY, NEXT_WEEK)
    assert client.post("/api/feedback", json=answer(token)).status_code == 201


def test_invitation_answers_are_not_rate_limited_by_address(sqlite_store: Store) -> None:
    """A shared office address does not hold back invited people."""
    client = make_client(sqlite_store, rate_limit=(1, 3600.0))
    for _ in range(4):
        token = issue_token(SECRET, KEY, NEXT_WEEK)
        assert client.post("/api/feedback", json=answer(token)).status_code == 201
    assert client.post("/api/feedback", json={"key": KEY, "rating": 2}).status_code == 201
    assert client.post("/api/feedback", json={"key": KEY, "rating": 2}).status_code == 429


@pytest.mark.parametrize(
    ("secret", "subject"),
    [("short", KEY), (SECRET, "Not A Key"), (SECRET, f"{KEY}#"), (SECRET, f"{KEY}#a b")],
)
def test_issue_refuses_weak_secrets_and_odd_subjects(secret: str, subject: str) -> None:
    with pytest.raises(ValueError):
        issue_token(secret, subject, NEXT_WEEK)


def test_read_token_round_trip_and_voter_is_not_the_token() -> None:
    token = issue_token(SECRET, KEY, date(2099, 1, 31))
    invitation = read_token(SECRET, token, today=date(2099, 1, 31))
    assert invitation.expires == date(2099, 1, 31)
    assert invitation.voter.startswith("i:")
    assert len(invitation.voter) <= 64
    assert not set(token.split(".")) & set(invitation.voter.split(":"))
    with pytest.raises(InvalidInvitation, match="expired"):
        read_token(SECRET, token, today=date(2099, 2, 1))


# --- handbook feedback invite ------------------------------------------------------------


def run_invite(argv: list[str], root: Path, **feedback: Any) -> int:
    project = make_project(root, **feedback)
    parser = argparse.ArgumentParser(prog="handbook")
    add_commands(parser.add_subparsers(dest="command", required=True), lambda _root: project)
    args = parser.parse_args(["feedback", "invite", str(root), *argv])
    status: int = args.func(args)
    return status


def test_invite_prints_links_that_the_receiver_accepts(
    tmp_path: Path,
    sqlite_store: Store,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HANDBOOK_INVITE_SECRET", SECRET)
    code = run_invite(
        [KEY, f"{OTHER}#REQ-7", "--count", "2"], tmp_path, site_url="https://hb.example.org/"
    )
    assert code == 0
    out, err = capsys.readouterr()
    links = out.split()
    assert len(links) == 4
    assert links[0].startswith("https://hb.example.org/roles/benefits-specialist/?invite=v1.")
    assert links[0].endswith("#hb-fb--benefits-specialist--benefit-documents")
    assert "Issued 4 invitations, valid until " in err
    client = make_client(sqlite_store)
    for link, key in zip(links, [KEY, KEY, OTHER, OTHER], strict=True):
        token = link.split("invite=", 1)[1].split("#", 1)[0]
        assert client.post("/api/feedback", json=answer(token, key)).status_code == 201
    assert sqlite_store.count() == 4


def test_invite_without_a_secret_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HANDBOOK_INVITE_SECRET", raising=False)
    assert run_invite([KEY], tmp_path) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "HANDBOOK_INVITE_SECRET" in err


def test_invite_refuses_unknown_keys_and_the_past(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HANDBOOK_INVITE_SECRET", SECRET)
    assert run_invite(["nobody/nothing"], tmp_path) == 1
    assert run_invite([KEY, "--expires", "2020-01-01"], tmp_path) == 2
    assert run_invite([KEY, "--count", "0"], tmp_path) == 2
    err = capsys.readouterr().err
    assert "no such role/commitment" in err
    assert "in the past" in err


def test_invite_tokens_expire_at_the_end_of_the_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HANDBOOK_INVITE_SECRET", SECRET)
    assert run_invite([KEY, "--tokens"], tmp_path, period="month") == 0
    token = capsys.readouterr().out.strip()
    invitation = read_token(SECRET, token, today=TODAY)
    following = invitation.expires + timedelta(days=1)
    assert following.day == 1
    assert invitation.expires >= TODAY
