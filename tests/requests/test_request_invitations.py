"""`handbook requests invite`: one invitation per resolved request, bound to that request."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from request_helpers import EXAMPLES, handbook, import_file

from generator.feedback.invitations import read_token

SECRET = "a long and random secret for the tests"


def test_resolved_requests_get_one_link_each(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setenv("HANDBOOK_INVITE_SECRET", SECRET)
    import_file(capsys, database_url, EXAMPLES / "generic.csv")
    status, out, err = handbook(
        capsys, "requests", "invite", str(EXAMPLES.parents[1]), "--database",
        database_url, "--resolved-since", "2026-01-01",
    )  # fmt: skip
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    # generic.csv holds five requests; three of them are resolved
    assert [row["id"] for row in rows] == ["HD-1001", "HD-1003", "HD-1005"]
    today = datetime.now(UTC).date()
    for row in rows:
        link = urlsplit(row["link"])
        assert link.path == f"/roles/{row['commitment'].partition('/')[0]}/"
        token = unquote(parse_qs(link.query)["invite"][0])
        invitation = read_token(SECRET, token, today=today)
        assert invitation.subject == f"{row['commitment']}#generic:{row['id']}"
    assert "Issued 3 invitations, valid until " in err


def test_invitations_need_the_secret(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.delenv("HANDBOOK_INVITE_SECRET", raising=False)
    status, _out, err = handbook(
        capsys, "requests", "invite", str(EXAMPLES.parents[1]), "--database", database_url
    )
    assert status == 1 and "HANDBOOK_INVITE_SECRET" in err and "Traceback" not in err
