"""Whose voice an answer is: an invitation's, a signed-in person's, or an open one.

- An ``invite`` field must carry a valid token for the answer's commitment; the
  answer is *invitation*-verified and its voter is the token's hash (one answer
  per token).
- A person signed in by a trusted proxy (the configured header, from a trusted
  peer only) answers *sso*-verified: one answer per person per commitment per
  period, a later one replacing the earlier, rate-limited per person.
- Anything else is *open*, rate-limited per client address — or refused when
  the organisation accepts verified answers only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from starlette.requests import Request

from generator.feedback.clients import TrustedProxies, client_address
from generator.feedback.invitations import MAX_TOKEN_LENGTH, InvalidInvitation, read_token
from generator.feedback.periods import period_label
from generator.feedback.signon import SignOn, normalise_identity, period_salt
from generator.feedback.storage import Submission
from generator.feedback.submission import INVITE_FIELD, InvalidSubmission


@dataclass(frozen=True, slots=True)
class Voice:
    """The answer, marked verified or open, and the rate bucket it counts against."""

    submission: Submission
    rate_bucket: str | None


@dataclass(frozen=True, slots=True)
class Voices:
    """How this receiver tells verified answers from open ones."""

    proxies: TrustedProxies = field(default_factory=TrustedProxies)
    sso_header: str | None = None
    sso_secret: bytes | None = None
    invite_secret: bytes | None = None
    open_answers: bool = True
    period: str = "quarter"

    def of(
        self,
        request: Request,
        fields: Mapping[str, object],
        submission: Submission,
        *,
        now: datetime | None = None,
    ) -> Voice:
        """Decide whose voice ``submission`` is; raise :class:`InvalidSubmission` to refuse."""
        now = now or datetime.now(UTC)
        peer = request.client.host if request.client else None
        signon = self.signon(peer, request.headers.get(self.sso_header or ""), now)
        if signon is not None:
            marked = dataclasses.replace(
                submission, verification="sso", voter=signon.voter(submission.key)
            )
            return Voice(marked, signon.rate_bucket())
        token = fields.get(INVITE_FIELD)
        if token not in (None, ""):
            return Voice(self._invited(submission, token, now), None)
        if not self.open_answers:
            raise InvalidSubmission("sign in or use your invitation link to answer", status=403)
        client = client_address(peer, request.headers.get("x-forwarded-for"), self.proxies)
        return Voice(submission, f"address:{client}")

    def signon(self, peer: str | None, header: str | None, now: datetime) -> SignOn | None:
        """The signed-in person, when a trusted proxy names one."""
        if not (self.sso_header and self.sso_secret) or not self.proxies.trusts(peer):
            return None
        identity = normalise_identity(header)
        if identity is None:
            return None
        return SignOn(period_salt(self.sso_secret, period_label(now, self.period)), identity)

    def _invited(self, submission: Submission, token: object, now: datetime) -> Submission:
        if self.invite_secret is None:
            raise InvalidSubmission(
                "invitations are not accepted here", field=INVITE_FIELD, status=403
            )
        if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
            raise InvalidSubmission(
                "this invitation link is not valid", field=INVITE_FIELD, status=403
            )
        try:
            invitation = read_token(self.invite_secret, token.strip(), today=now.date())
        except InvalidInvitation as exc:
            raise InvalidSubmission(str(exc), field=INVITE_FIELD, status=403) from None
        if invitation.key != submission.key:
            raise InvalidSubmission(
                "this invitation is for another service", field=INVITE_FIELD, status=403
            )
        return dataclasses.replace(submission, verification="invitation", voter=invitation.voter)
