"""Single sign-on behind the organisation's reverse proxy, without storing who answered.

A trusted proxy (oauth2-proxy, for instance) names the signed-in person in a
header. The receiver turns that name into keyed hashes under a salt derived from
a secret and the current period, and forgets the name:

- the *voter* of an answer, per (person, commitment, period), so a person's later
  answer for a commitment replaces their earlier one in the same period, and
  answers of one person for different commitments cannot be linked;
- the *rate bucket*, per (person, period), for the per-person rate limit.

Without the secret neither hash can be recomputed from a list of names, and a new
period brings a new salt.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

MAX_IDENTITY_LENGTH = 320
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class SignOn:
    """Hashes of one signed-in person for one period."""

    salt: bytes
    identity: str

    def voter(self, key: str) -> str:
        """Stands for (person, commitment, period) in the database."""
        return "s:" + self._hash(f"voter\n{key}")[:62]

    def rate_bucket(self) -> str:
        """Stands for (person, period) in the rate limiter."""
        return "person:" + self._hash("rate")

    def _hash(self, purpose: str) -> str:
        message = f"{purpose}\n{self.identity}".encode()
        return hmac.new(self.salt, message, hashlib.sha256).hexdigest()


def period_salt(secret: bytes, period: str) -> bytes:
    """The salt of one period (``2026-Q1``), derived from the secret."""
    return hmac.new(secret, f"handbook sign-on\n{period}".encode(), hashlib.sha256).digest()


def normalise_identity(value: str | None) -> str | None:
    """The header's value, trimmed and in lower case; None when empty or unusable."""
    if value is None:
        return None
    identity = value.strip().lower()
    if not identity or len(identity) > MAX_IDENTITY_LENGTH or _CONTROL.search(identity):
        return None
    return identity
