"""The feedback form partial: labelled, unique per commitment, one Markdown-safe HTML block."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import markdown
import pytest

from generator.render.forms import FeedbackForms
from generator.render.pages import environment

TEMPLATES = Path(__file__).resolve().parents[2] / "generator" / "render" / "templates"
PARTIAL = "partials/feedback_form.html.j2"


def plain_env(language: str = "en") -> jinja2.Environment:
    """The renderer's own environment, in which the partial is always rendered."""
    return environment(language)


def render_form(env: jinja2.Environment | None = None, **overrides: object) -> str:
    variables: dict[str, object] = {
        "role_id": "benefits-specialist",
        "commitment_id": "benefit-documents",
        "service": 'Processing <b>benefit</b> "documents"',
        "endpoint": "/api/feedback",
        "priorities": ["speed", "quality"],
        "teams": [("people", "People & Culture"), ("finance", "Finance")],
        "return_to": "/roles/people/benefits-specialist/",
    }
    variables.update(overrides)
    return (env or plain_env()).get_template(PARTIAL).render(**variables)


class Controls(HTMLParser):
    """Collects ids, label targets and form controls."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(str(attributes["id"]))
        if tag == "label" and attributes.get("for"):
            self.label_for.add(str(attributes["for"]))
        if tag in ("input", "select", "textarea", "button"):
            self.controls.append({"tag": tag, **attributes})


ENVIRONMENTS = {
    "english": plain_env("en"),
    "polish": plain_env("pl"),
}


@pytest.mark.parametrize("env", ENVIRONMENTS.values(), ids=ENVIRONMENTS.keys())
def test_every_visible_control_is_labelled(env: jinja2.Environment) -> None:
    parsed = Controls()
    parsed.feed(render_form(env))
    for control in parsed.controls:
        if control["tag"] == "button" or control.get("type") == "hidden":
            continue
        assert control.get("id") in parsed.label_for, control
    names = {c.get("name") for c in parsed.controls}
    assert names >= {"rating", "comment", "priority", "team", "website", "key", "return_to"}


@pytest.mark.parametrize("env", ENVIRONMENTS.values(), ids=ENVIRONMENTS.keys())
def test_one_block_without_blank_lines(env: jinja2.Environment) -> None:
    html = render_form(env)
    assert html.startswith("<form")
    assert html.rstrip().endswith("</form>")
    assert not re.search(r"\n\s*\n", html)


def test_survives_markdown() -> None:
    html = render_form()
    page = markdown.markdown(
        f"# Role\n\nText before.\n\n{html}\n\nText after.\n", extensions=["md_in_html"]
    )
    assert page.count("<form") == 1
    assert 'name="rating" value="5"' in page
    assert "<p><form" not in page


def test_text_is_escaped() -> None:
    page = render_form()
    assert "<b>" not in page
    legend = re.search(r'<legend class="hb-feedback__legend">(.*?)</legend>', page)
    assert legend is not None
    expected = 'Rate this service: Processing <b>benefit</b> "documents"'
    assert html.unescape(legend.group(1)) == expected
    assert "People &#38; Culture" in page or "People &amp; Culture" in page


def test_ids_are_unique_across_commitments() -> None:
    parsed = Controls()
    parsed.feed(render_form(role_id="a-b", commitment_id="c"))
    parsed.feed(render_form(role_id="a", commitment_id="b-c"))
    assert len(parsed.ids) == len(set(parsed.ids))


def test_structure_and_accessibility_hooks() -> None:
    html = render_form()
    assert 'method="post" action="/api/feedback"' in html
    assert "data-hb-feedback" in html
    assert "How well did this service meet your needs?" in html
    assert "1 – Poor" in html and "5 – Excellent" in html
    assert 'aria-live="polite"' in html
    assert html.count("<legend") == 2
    assert 'value="benefits-specialist/benefit-documents"' in html
    honeypot = re.search(r'<div class="hb-feedback__hp" aria-hidden="true">.*?</div>', html)
    assert honeypot and 'tabindex="-1"' in honeypot[0] and 'autocomplete="off"' in honeypot[0]


def test_optional_selects_are_left_out_when_empty() -> None:
    html = render_form(priorities=[], teams=[])
    assert 'name="priority"' not in html
    assert 'name="team"' not in html


def test_renders_in_the_handbook_environment() -> None:
    render = pytest.importorskip("generator.render.environment")
    html = render_form(render.environment())
    assert html.startswith("<form")
    assert not re.search(r"\n\s*\n", html)


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize(
    ("service", "return_to"),
    [
        (
            'Processing <b>benefit</b> "documents" & {{ more }}',
            "/roles/people/benefits-specialist/",
        ),
        ("A \x00role\x00 and \x00service\x00 lookalike", "/a page/?q=<x>&y='1'"),
        ("  spaced\tout  ", ""),
    ],
)
def test_a_filled_form_is_the_form_the_template_renders(
    language: str, service: str, return_to: str
) -> None:
    forms = FeedbackForms(
        language, "/api/feedback?x=<1>", ["speed", "quality"], [("people", "People & Culture")]
    )
    args = ("benefits-specialist", "benefit-documents", service, return_to)
    assert forms.form(*args) == forms.render(*args)
    assert forms.form(*args) != forms.form("other-role", *args[1:])
