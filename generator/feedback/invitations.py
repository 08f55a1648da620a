"""Invitation links: signed one-time tokens, each good for one answer.

A token names a *subject* — a commitment key ``<role-id>/<commitment-id>``,
optionally followed by ``#`` and anything that tells invitations for the same
commitment apart, such as a request id (``payroll-clerk/payslips#REQ-1042``) —
and the last day it may be used. It is signed with HMAC-SHA256 under a secret
from the environment, so nobody without the secret can make one.

The receiver stores only a keyed hash of a redeemed token (its *voter*), so a
token counts once; the token and whom it was given to are never stored.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date

from generator.i18n import mark

VERSION = "v1"
MIN_SECRET_LENGTH = 16
MAX_TOKEN_LENGTH = 512
MAX_SUBJECT_LENGTH = 256
_KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$")
_PRINTABLE = re.compile(r"^[\x21-\x7e]*$")


class InvalidInvitation(Exception):  # noqa: N818 - names the verdict on the token
    """The token is malformed, forged, expired or for another commitment."""


@dataclass(frozen=True, slots=True)
class Invitation:
    """A token whose signature checked out."""

    subject: str
    expires: date
    voter: str
    """Keyed hash that stands for this token in the database."""

    @property
    def key(self) -> str:
        """The commitment the invitation is for."""
        return self.subject.partition("#")[0]


def check_secret(secret: str | bytes) -> bytes:
    """The secret as bytes; ValueError when it is too short to be safe."""
    raw = secret.encode() if isinstance(secret, str) else secret
    if len(raw) < MIN_SECRET_LENGTH:
        raise ValueError(f"the invitation secret must be at least {MIN_SECRET_LENGTH} characters")
    return raw


def check_subject(subject: str) -> str:
    """``subject`` if it is ``<role>/<commitment>`` with an optional ``#suffix``."""
    key, hash_sign, suffix = subject.partition("#")
    if not _KEY.match(key):
        raise ValueError(f"not a <role-id>/<commitment-id> key: {key!r}")
    if hash_sign and not suffix:
        raise ValueError("nothing after '#' in the subject")
    if len(subject) > MAX_SUBJECT_LENGTH or not _PRINTABLE.match(suffix):
        raise ValueError("the part after '#' must be at most 256 printable ASCII characters")
    return subject


def issue_token(secret: str | bytes, subject: str, expires: date) -> str:
    """A new one-time token for ``subject``, valid until the end of ``expires`` (UTC)."""
    key = _signing_key(check_secret(secret))
    body = ".".join(
        [
            VERSION,
            _b64(check_subject(subject).encode("ascii")),
            expires.strftime("%Y%m%d"),
            _b64(secrets.token_bytes(12)),
        ]
    )
    return f"{body}.{_b64(_mac(key, body))}"


def read_token(secret: str | bytes, token: str, *, today: date) -> Invitation:
    """The invitation a token carries; :class:`InvalidInvitation` when it must be refused."""
    key = _signing_key(check_secret(secret))
    if len(token) > MAX_TOKEN_LENGTH or not _PRINTABLE.match(token) or token.count(".") != 4:
        raise InvalidInvitation(mark("this invitation link is not valid"))
    body, _, signature = token.rpartition(".")
    version, subject_part, expiry_part, _nonce = body.split(".")
    if version != VERSION or not hmac.compare_digest(_unb64(signature), _mac(key, body)):
        raise InvalidInvitation(mark("this invitation link is not valid"))
    try:
        subject = check_subject(_unb64(subject_part).decode("ascii"))
        expires = date(int(expiry_part[:4]), int(expiry_part[4:6]), int(expiry_part[6:]))
    except (ValueError, UnicodeDecodeError):
        raise InvalidInvitation(mark("this invitation link is not valid")) from None
    if today > expires:
        raise InvalidInvitation(mark("this invitation link has expired"))
    voter = hmac.new(key, b"voter\n" + body.encode(), hashlib.sha256).hexdigest()
    return Invitation(subject=subject, expires=expires, voter=f"i:{voter[:62]}")


def _signing_key(secret: bytes) -> bytes:
    return hmac.new(secret, b"handbook feedback invitation", hashlib.sha256).digest()


def _mac(key: bytes, body: str) -> bytes:
    return hmac.new(key, body.encode("ascii"), hashlib.sha256).digest()[:16]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return b""
