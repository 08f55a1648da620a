"""Untrusted text stays text: every injection vector, in every author-written field, is inert.

Two organisations of identical shape are built with the real ``handbook build``: one
with plain words and one where each role and team carries one attack in every field an
author writes. The built HTML is parsed and compared with the plain build's.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from helpers import subprocess_env, write_org

pytestmark = pytest.mark.slow

JINJA = "{{ 7*7 }}"

VECTORS: list[str] = [
    "{{ 7*7 }} {% if true %}evaluated{% endif %} {{ config }} {# gone #}",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<iframe src="https://evil.example/"></iframe>',
    "[click](javascript:alert(1))",
    "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[j](JaVaScRiPt:alert(1)) [k](java&#x73;cript:alert(1)) [l]( javascript:alert(1))",
    'text {: onclick="alert(1)" } more {: .x onmouseover=alert(1) }',
    "# Not a heading --- ## nor this === | a | b |",
    "\" onmouseover=\"alert(1)\" x=\"' onfocus='alert(1)' '><svg onload=alert(1)>",
    '<a href="javascript:alert(1)">a</a> <svg><script>alert(1)</script></svg>',
    "![i](javascript:alert(1)) <style>*{display:none}</style> <object data=x></object>",
    "]]> --> </textarea></script></style> <!-- open comment",
    '<div markdown="1">**md**<form action="javascript:alert(1)"><button>b</button></form></div>',
    "&lt;script&gt;alert(1)&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62;",
    "%}{{ '' }}{% raw %} ${7*7} #{7*7} [[7*7]] <%= 7*7 %>",
]
"""One attack per role and team; each fits the shortest single-line field (100 characters)."""

MARKDOWN_TAIL = (
    "\n\n# Injected heading\n\n---\n\nSetext heading\n===\n\n"
    'para {: onclick="alert(1)" }\n\n'
    '<script>alert("md")</script>\n\n[m](javascript:alert(1))\n\n```\ncode\n```\n'
)
"""Appended to Markdown fields (summary, text), which may span lines."""

_DANGEROUS_SCHEME = re.compile(r"^\s*(javascript|data|vbscript)\s*:", re.IGNORECASE)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}


def _marker(index: int) -> str:
    return f"ZQ{index:02d}"


def _org(words: list[str], markdown_tail: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Teams and roles: role ``r-i`` in team ``t-i`` writes ``words[i]`` in every text field."""
    teams: list[dict[str, Any]] = [{"id": "top", "name": "Top", "lead": "boss"}]
    roles: dict[str, Any] = {
        "top/boss": {
            "id": "boss", "title": "Boss", "team": "top", "owners": ["@boss"],
            "summary": "Leads.", "review_by": "2099-12-31",
            "responsibilities": [{"id": "lead", "text": "Lead."}],
            "expectations": [{"id": "plan", "text": "Plan.", "measure": "days",
                              "better": "lower", "meets": 5}],
        },
    }  # fmt: skip
    for i, word in enumerate(words):
        text = f"{_marker(i)} {word}"
        rich = text + markdown_tail
        teams.append(
            {"id": f"t-{i}", "name": text, "parent": "top", "lead": f"r-{i}", "channel": text}
        )
        roles[f"t{i}/r-{i}"] = {
            "id": f"r-{i}", "title": text, "team": f"t-{i}", "reports_to": "boss",
            "owners": [text], "summary": rich, "review_by": "2099-12-31",
            "responsibilities": [{"id": "work", "text": rich, "share": 50}],
            "expectations": [
                {"id": "speed", "text": rich, "measure": text, "better": "lower",
                 "meets": 5, "exceeds": 2, "volume": text},
                {"id": "rating", "text": rich, "source": "feedback", "commitment": "help",
                 "better": "higher", "meets": 4},
            ],
            "commitments": [
                {"id": "help", "service": text, "keywords": [text, "plain"],
                 "customers": ["everyone", f"team:t-{i}"],
                 "request_via": text, "requester_provides": [text, text + " 2"],
                 "targets": [{"priority": "urgent", "response": "1h", "resolution": "1d"}],
                 "escalate_to": "boss"},
            ],
            "rewards": [{"id": "bonus", "reward": text, "requires": {"speed": "meets"}}],
        }  # fmt: skip
    organisation = VECTORS[0][:60] + " " + VECTORS[1] + " " + VECTORS[2]
    return {"organisation": organisation, "teams": teams}, roles


# --- reading the built site ------------------------------------------------------------------


@dataclass
class Page:
    """What matters about one built page."""

    scripts: list[str] = field(default_factory=list)
    tags: Counter[str] = field(default_factory=Counter)
    handlers: list[tuple[str, str, str]] = field(default_factory=list)
    bad_urls: list[tuple[str, str, str]] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    text: str = ""
    nav_titles: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    """Collects scripts, tags, event handlers, URLs, headings and text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._texts: list[str] = []
        self._script: list[str] | None = None
        self._heading: list[str] | None = None
        self._nav_link: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.tags[tag] += 1
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.page.handlers.append((tag, name, value))
            if name in _URL_ATTRIBUTES and _DANGEROUS_SCHEME.match(value):
                self.page.bad_urls.append((tag, name, value))
        if tag == "script":
            self._script = [values.get("src", "")]
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._heading = [tag + ":"]
        if tag == "a" and "md-nav__link" in values.get("class", ""):
            self._nav_link = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.page.scripts.append("".join(self._script))
            self._script = None
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"} and self._heading is not None:
            self.page.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None
        if tag == "a" and self._nav_link is not None:
            self.page.nav_titles.append(" ".join("".join(self._nav_link).split()))
            self._nav_link = None

    def handle_data(self, data: str) -> None:
        for sink in (self._script, self._heading, self._nav_link):
            if sink is not None:
                sink.append(data)
        if self._script is None:
            self._texts.append(data)

    def close(self) -> None:
        super().close()
        self.page.text = " ".join(" ".join(self._texts).split())


_RCDATA = re.compile(r"(<(title|textarea)\b[^>]*>)(.*?)(</\2\s*>)", re.IGNORECASE | re.DOTALL)


def _rcdata_as_text(raw: str) -> str:
    """Escape what browsers read as text inside <title> and <textarea> (up to the first close)."""
    return _RCDATA.sub(lambda m: m[1] + html.escape(m[3], quote=False) + m[4], raw)


def _read(path: Path) -> Page:
    reader = _Reader()
    reader.feed(_rcdata_as_text(path.read_text(encoding="utf-8")))
    reader.close()
    return reader.page


def _pages(site: Path) -> dict[str, Page]:
    return {p.relative_to(site).as_posix(): _read(p) for p in sorted(site.rglob("*.html"))}


def _build(root: Path, words: list[str], tail: str) -> Path:
    teams, roles = _org(words, tail)
    write_org(root, teams, roles, mkdocs={"feedback": {"endpoint": "/api/feedback"}})
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", str(root)],
        capture_output=True,
        text=True,
        timeout=180,
        env=subprocess_env(),
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    return root / "site"


@dataclass(frozen=True)
class Builds:
    """The plain and the hostile site, page by page."""

    plain: dict[str, Page]
    hostile: dict[str, Page]
    hostile_dir: Path


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Builds]:
    """Both sites, built once for the module."""
    plain_words = [f"Plain words {i}" for i in range(len(VECTORS))]
    plain = _build(tmp_path_factory.mktemp("plain"), plain_words, "\n\nMore plain words.\n")
    hostile = _build(tmp_path_factory.mktemp("hostile"), VECTORS, MARKDOWN_TAIL)
    yield Builds(_pages(plain), _pages(hostile), hostile)


def _role_pages(pages: dict[str, Page]) -> list[str]:
    return [p for p in pages if p.startswith("roles/r-")]


# --- the checks --------------------------------------------------------------------------------


def test_same_pages(builds: Builds) -> None:
    """Attacks neither add nor remove pages (no file lands elsewhere)."""
    assert set(builds.hostile) == set(builds.plain)
    assert len(_role_pages(builds.hostile)) == len(VECTORS)


def test_no_author_scripts(builds: Builds) -> None:
    """Every script on every page is one the plain site has too (the theme's own)."""
    allowed = {s for page in builds.plain.values() for s in page.scripts}
    for name, page in builds.hostile.items():
        extra = [s for s in page.scripts if s not in allowed]
        assert not extra, f"{name}: {extra}"
        assert not any("alert" in s for s in page.scripts), name


def test_no_dangerous_elements(builds: Builds) -> None:
    """No iframe, object, embed, style, svg, img, form or button arrives from an author."""
    watched = ("iframe", "object", "embed", "style", "svg", "img", "form", "button", "textarea")
    for name, page in builds.hostile.items():
        plain = builds.plain[name]
        for tag in watched:
            assert page.tags[tag] == plain.tags[tag], f"{name}: <{tag}>"
        assert page.tags["script"] == plain.tags["script"], name


def test_no_event_handlers(builds: Builds) -> None:
    """No on* attribute anywhere (neither from raw HTML nor from attr_list)."""
    for name, page in builds.hostile.items():
        assert page.handlers == builds.plain[name].handlers, name


def test_no_script_urls(builds: Builds) -> None:
    """No javascript:, data: or vbscript: URL in any href, src or action."""
    for name, page in builds.hostile.items():
        assert not page.bad_urls, f"{name}: {page.bad_urls}"


def test_templates_are_not_evaluated(builds: Builds) -> None:
    """``{{ 7*7 }}`` is shown literally and is never 49, in every field of every role."""
    for name in _role_pages(builds.hostile):
        text = builds.hostile[name].text
        marker = _marker(0)
        if name.startswith("roles/r-0/"):
            assert text.count(f"{marker} {JINJA}") >= 8, name
            assert "evaluated" not in text.replace("{% if true %}evaluated", "")
        for i in range(len(VECTORS)):
            assert f"{_marker(i)} 49" not in text


def test_every_field_is_shown_as_text(builds: Builds) -> None:
    """Each attack is visible as the literal text the author wrote, in every field."""
    role_page = builds.hostile["roles/r-1/index.html"].text
    literal = f"{_marker(1)} {VECTORS[1]}"
    # title, owners, measure, volume, service ×2, request_via, requester_provides ×2, reward
    assert role_page.count(literal) >= 9, role_page
    team_page = builds.hostile["teams/t-2/index.html"].text
    assert f"{_marker(2)} {VECTORS[2]}" in team_page


def test_structure_is_unchanged(builds: Builds) -> None:
    """Newlines, ``#``, ``---`` and ``===`` in text add no headings and no rules."""
    for name, page in builds.hostile.items():
        plain = builds.plain[name]
        assert len(page.headings) == len(plain.headings), f"{name}: {page.headings}"
        for tag in ("hr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "dl", "details"):
            assert page.tags[tag] == plain.tags[tag], f"{name}: <{tag}>"


def test_nav_titles_are_escaped(builds: Builds) -> None:
    """Navigation shows team names and role titles as text."""
    titles = {t for page in builds.hostile.values() for t in page.nav_titles}
    for i in (1, 2, 3):
        assert any(t.startswith(_marker(i)) and "<" in t for t in titles), (i, sorted(titles))


def test_search_index_holds_no_markup(builds: Builds) -> None:
    """The search index, which the theme shows as HTML, carries author markup only escaped."""
    index = json.loads((builds.hostile_dir / "search" / "search_index.json").read_text("utf-8"))
    for doc in index["docs"]:
        for key in ("title", "text", "keywords"):
            value = " ".join(doc.get(key, [])) if key == "keywords" else doc.get(key, "")
            for needle in ("<script", "<img", "<iframe", "<svg", "<object", "<style", "<a "):
                assert needle not in value.lower(), (doc["location"], key, value[:300])


SVG_ELEMENTS = {"svg", "title", "desc", "defs", "marker", "g", "text", "tspan", "path", "rect"}


@pytest.mark.parametrize("page", ["map/index.html", "teams/t-1/index.html"])
def test_drawings_hold_author_text_only_as_text(builds: Builds, page: str) -> None:
    """The map's matrix and a team's connections: only the drawing's own elements, and
    every team name as text (shortened names in full in a title)."""
    raw = (builds.hostile_dir / page).read_text(encoding="utf-8")
    drawings = re.findall(r"<svg class=\"hb-.*?</svg>", raw, flags=re.DOTALL)
    assert len(drawings) == 1
    assert set(re.findall(r"<([a-zA-Z][\w:-]*)", drawings[0])) <= SVG_ELEMENTS
    assert not re.search(r"\son\w+\s*=", drawings[0])
    words = html.unescape(re.sub(r"<[^>]+>", " ", drawings[0]))
    shown = range(len(VECTORS)) if page.startswith("map/") else (1,)
    for i in shown:
        assert f"{_marker(i)} {VECTORS[i]}" in words, i


def test_page_title_cannot_close_the_title_element(tmp_path: Path) -> None:
    """A title written as ``</title><script>…`` stays inside the page's <title>."""
    site = _build(tmp_path, ["</title><script>alert(1)</script>"], "")
    for name in ("roles/r-0/index.html", "teams/t-0/index.html"):
        page = _read(site / name)
        assert not [s for s in page.scripts if "alert" in s], name
