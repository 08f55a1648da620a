"""The feedback forms of a site: the form's template rendered once, filled per commitment.

Every form of a site has the same wording, lists and endpoint; only the commitment's
key, its service's name and the page to return to differ. :class:`FeedbackForms`
renders the template once with a slot for each of these and fills the slots with the
values escaped as the template escapes them, in one pass, so a value that looks like a
slot stays text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from generator.render import text
from generator.render.environment import environment

TEMPLATE = "partials/feedback_form.html.j2"
_SLOT = re.compile("\x00(role|commitment|service|return)\x00")


def _slot(name: str) -> str:
    return f"\x00{name}\x00"


@dataclass(frozen=True)
class FeedbackForms:
    """The feedback form of every commitment of one site."""

    language: str
    endpoint: str
    priorities: Sequence[str]
    teams: Sequence[tuple[str, str]]

    @functools.cached_property
    def choices(self) -> dict[str, Markup]:
        """The options of the form's lists (priorities, teams), made once."""
        made = environment(self.language).get_template("partials/feedback_choices.html.j2")
        return {
            "priorities": made.module.priority_options(self.priorities),  # type: ignore[attr-defined]
            "teams": made.module.team_options(self.teams),  # type: ignore[attr-defined]
        }

    @functools.cached_property
    def _skeleton(self) -> str:
        return self.render(_slot("role"), _slot("commitment"), _slot("service"), _slot("return"))

    def form(self, role_id: str, commitment_id: str, service: str, return_to: str) -> Markup:
        """The form of one commitment, as :meth:`render` makes it."""
        values = {
            "role": text.plain(role_id),
            "commitment": text.plain(commitment_id),
            "service": text.plain(service),
            "return": text.plain(return_to),
        }
        return Markup(_SLOT.sub(lambda found: values[found[1]], self._skeleton))

    def render(self, role_id: str, commitment_id: str, service: str, return_to: str) -> Markup:
        """The form of one commitment, rendered from the template."""
        rendered = (
            environment(self.language)
            .get_template(TEMPLATE)
            .render(
                role_id=role_id,
                commitment_id=commitment_id,
                service=service,
                endpoint=self.endpoint,
                priorities=self.priorities,
                teams=self.teams,
                choices=self.choices,
                return_to=return_to,
            )
        )
        return Markup(rendered.strip())
