"""``handbook render --out``: what it writes builds with MkDocs and Zensical, every link working."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest
import yaml
from built_links import broken_links, internal_link_count
from helpers import REPO_ROOT, subprocess_env

from generator.site.portable import SourceMap, portable_html, portable_page

EXAMPLES = {"en": REPO_ROOT, "pl": REPO_ROOT / "examples" / "pl"}
ZENSICAL = Path(sys.executable).with_name("zensical")
RAW_LINK = re.compile(r'<a\s[^>]*href="([^"]*)"')


def run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command of this environment to completion."""
    return subprocess.run(
        [str(c) for c in command],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=subprocess_env(NO_MKDOCS_2_WARNING="1"),
        timeout=300,
        check=False,
    )


def _internal(href: str) -> bool:
    """Whether a link leads to another page of the site."""
    parts = urlsplit(unescape(href))
    return not (parts.scheme or parts.netloc) and bool(parts.path)


def render(example: str, out: Path, *options: str) -> Path:
    """``handbook render EXAMPLE --out OUT``; the folder written."""
    done = run(
        sys.executable, "-m", "generator.cli", "render", EXAMPLES[example], "--out", out, *options
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each example handbook rendered with ``--out``."""
    return render(request.param, tmp_path_factory.mktemp(f"render-{request.param}") / "out")


def test_exported_pages_link_to_markdown_files(rendered: Path) -> None:
    pages = {p: p.read_text(encoding="utf-8") for p in (rendered / "docs").rglob("*.md")}
    raw = {p.name for p, text in pages.items() if any(map(_internal, RAW_LINK.findall(text)))}
    assert not raw, f"raw HTML links to site URLs in {sorted(raw)}"
    role = next(p for p in (rendered / "docs" / "roles").glob("*.md"))
    assert re.search(r"\]\(\.\./teams/[a-z0-9-]+/index\.md\)", pages[role])
    assert 'markdown="1"' in pages[role]


def test_exported_config_keeps_the_theme_and_what_the_plugin_adds(rendered: Path) -> None:
    config = yaml.safe_load((rendered / "mkdocs.yml").read_text(encoding="utf-8"))
    original = yaml.safe_load((EXAMPLES[rendered.parent.name[7:9]] / "mkdocs.yml").read_text())
    assert config["site_name"] == original["site_name"]
    assert config.get("repo_url") == original.get("repo_url")
    assert config.get("edit_uri") == original.get("edit_uri")
    theme = config["theme"]
    assert theme["palette"] == original["theme"]["palette"]
    assert theme["features"] == original["theme"]["features"]
    assert theme["language"] == original["theme"].get("language", "en")
    assert theme["custom_dir"] == "overrides"
    assert (rendered / "overrides" / "partials" / "source.html").is_file()
    if "custom_dir" in original["theme"]:
        assert (rendered / "overrides" / "main.html").is_file()
    assert {"toc": {"permalink": True}} in config["markdown_extensions"]
    names = {e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]}
    assert {"attr_list", "md_in_html", "admonition", "tables", "toc"} <= names
    assert config["plugins"] == ["search"]
    assert config["validation"]["links"]["unrecognized_links"] == "warn"
    for asset in config["extra_css"] + config["extra_javascript"]:
        assert (rendered / "docs" / asset).is_file(), asset
    assert "assets/handbook/handbook.js" in config["extra_javascript"]


@pytest.mark.slow
def test_mkdocs_builds_the_export_strictly_with_every_link_working(rendered: Path) -> None:
    site = rendered.parent / "mkdocs-site"
    done = run(
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-f",
        rendered / "mkdocs.yml",
        "-d",
        site,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stderr
    assert internal_link_count(site) > 1000
    assert broken_links(site) == []


@pytest.mark.slow
def test_zensical_builds_the_export_with_every_link_working(rendered: Path) -> None:
    work = rendered.parent / "zensical"
    shutil.copytree(rendered, work)
    done = run(ZENSICAL, "build", "--strict", "-f", "mkdocs.yml", cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr
    site = work / "site"
    assert (site / "index.html").is_file()
    assert internal_link_count(site) > 1000
    assert broken_links(site) == []


class _Article(HTMLParser):
    """A page's article as a list of tags and words, without the theme's edit button."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, ...]] = []
        self.depth = 0
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        if not self.depth:
            return
        if self.skip or dict(attrs).get("rel") == "edit":
            self.skip += 1
            return
        kept = sorted((k, None if v in (k, "") else v) for k, v in attrs)
        self.items.append((tag, *(f"{k}={v}" for k, v in kept if k != "data-search-exclude")))

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1
            return
        if self.depth:
            self.items.append((f"/{tag}",))
        self.depth -= tag == "article"

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip and data.split():
            self.items.append((" ".join(data.split()),))


def article(page: Path) -> list[tuple[str, ...]]:
    parser = _Article()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.items


@pytest.mark.slow
def test_the_export_built_by_mkdocs_shows_what_the_handbook_build_shows(tmp_path: Path) -> None:
    """Page for page, the exported site's content is the handbook's own, links included."""
    own = tmp_path / "own"
    done = run(sys.executable, "-m", "generator.cli", "build", EXAMPLES["en"], "--site-dir", own)
    assert done.returncode == 0, done.stdout + done.stderr
    out = render("en", tmp_path / "out")
    site = tmp_path / "exported"
    done = run(sys.executable, "-m", "mkdocs", "build", "-f", out / "mkdocs.yml", "-d", site)
    assert done.returncode == 0, done.stdout + done.stderr
    pages = sorted(p.relative_to(own) for p in own.rglob("index.html"))
    assert len(pages) > 50
    different = [str(p) for p in pages if article(own / p) != article(site / p)]
    assert different == []


# --- the link transform on its own ------------------------------------------------------------

SOURCES = SourceMap.of(
    ["index.md", "roles/a.md", "teams/t/index.md", "schema/role.schema.json"],
    directory_urls=True,
)
CONVERT = {"extensions": ["md_in_html", "attr_list"]}


def test_a_block_without_internal_links_is_left_as_it_was() -> None:
    block = '<div><p>a *b* [c] <a href="https://example.org/">out</a> <a href="#y">y</a></p></div>'
    assert portable_html(block, "roles/a.md", SOURCES) == block


def test_links_become_markdown_links_and_the_text_around_them_stays_literal() -> None:
    block = (
        '<div class="x"><dl><dt>Team</dt><dd><a href="../../teams/t/">T *1* [x]</a>'
        ' and _b_ `c` <span class="s">\\*</span></dd></dl>'
        '<p><a class="k" title="say &quot;hi&quot; {ok}" href="../../#top">home</a></p></div>'
    )
    written = portable_html(block, "roles/a.md", SOURCES)
    assert "[T \\*1\\* \\[x\\]](../teams/t/index.md)" in written
    assert "(../index.md#top){: " in written
    shown = unescape(markdown.markdown(written, **CONVERT))
    assert (
        '<a href="../teams/t/index.md">T *1* [x]</a> and _b_ `c` <span class="s">\\*</span>'
        in shown
    )
    assert '<a class="k" href="../index.md#top" title="say "hi" {ok}">home</a>' in shown


def test_form_fields_inside_a_changed_block_stay_inside_their_paragraph() -> None:
    block = (
        '<div class="c"><p><a href="../../teams/t/">T</a></p><form><p class="f">'
        '<label for="x">Comment</label>\n<textarea id="x" name="c"></textarea></p>'
        '<p><select name="s">\n<option value="">No</option>\n<option value="1">Yes</option>'
        "</select></p></form></div>"
    )
    html = markdown.markdown(portable_html(block, "roles/a.md", SOURCES), **CONVERT)
    assert re.search(
        r'<p class="f"><label for="x">Comment</label> <textarea[^>]*></textarea></p>', html
    )
    assert re.search(
        r'<p><select name="s"> <option value="">No</option> '
        r'<option value="1">Yes</option></select></p>',
        html,
    )


def test_links_resolve_to_pages_and_files_of_either_url_layout() -> None:
    flat = SourceMap.of(["index.md", "roles/a.md", "teams/t/index.md"], directory_urls=False)
    assert flat.source_link("../teams/t/index.html#x", "roles/a.md") == "../teams/t/index.md#x"
    assert flat.source_link("a.html", "roles/a.md") == "a.md"
    assert SOURCES.source_link("../../schema/role.schema.json", "roles/a.md") == (
        "../schema/role.schema.json"
    )
    assert SOURCES.source_link("../../", "teams/t/index.md") == "../../index.md"
    assert SOURCES.source_link("../", "teams/t/index.md") is None  # teams/ is no page
    assert SOURCES.source_link("../missing/", "roles/a.md") is None
    assert SOURCES.source_link("https://example.org/a/", "roles/a.md") is None


def test_only_html_blocks_of_a_page_change() -> None:
    page = '# Title {: #t }\n\n<p><a href="../../teams/t/">T</a></p>\n\n## Next'
    written = portable_page(page, "roles/a.md", SOURCES)
    assert written.startswith('# Title {: #t }\n\n<p markdown="1">[T](../teams/t/index.md)</p>')
    assert written.endswith("\n\n## Next")


@pytest.mark.slow
def test_the_leaders_edition_exported_keeps_its_notice_and_its_links(tmp_path: Path) -> None:
    out = render("en", tmp_path / "out", "--audience", "leaders")
    site = tmp_path / "site"
    done = run(
        sys.executable, "-m", "mkdocs", "build", "--strict", "-f", out / "mkdocs.yml", "-d", site
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for page in ("index.html", "workload/index.html", "roles/recruiter/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert html.count('class="hb-edition"') == 1, page
    assert broken_links(site) == []
