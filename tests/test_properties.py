"""Property tests: generated valid organisations round-trip; mutated ones give only diagnostics."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import MKDOCS_BASE
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from generator.diagnostics.values import Diagnostic, Severity
from generator.load.schema import load_schemas, validate_role
from generator.load.strict_yaml import parse_yaml, resolve_plain
from generator.model.settings import Settings
from generator.project import load_project
from generator.render import addresses, text
from generator.render.pages import render_site

TODAY = dt.date(2027, 1, 15)
ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
FAST = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BUILDS = settings(
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
"""For tests that build whole sites: few examples, no shrinking."""

# --- strategies ------------------------------------------------------------------------------

_CHARS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cn", "Co"))
_WORDS = st.text(_CHARS, min_size=1, max_size=40)
_LINE = _WORDS.filter(lambda s: s.strip() != "")
_MARKDOWN = st.text(st.one_of(_CHARS, st.just("\n")), min_size=1, max_size=200).filter(
    lambda s: s.strip() != ""
)
_IDS = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,5}){0,2}", fullmatch=True)

SCHEMAS = load_schemas()


def _unique_ids(min_size: int, max_size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(_IDS, min_size=min_size, max_size=max_size, unique=True)


@st.composite
def _expectation(draw: st.DrawFn, ident: str) -> dict[str, Any]:
    better = draw(st.sampled_from(["lower", "higher"]))
    meets = draw(st.integers(1, 1000))
    gap = draw(st.integers(1, 50))
    item: dict[str, Any] = {
        "id": ident, "text": draw(_MARKDOWN), "measure": draw(_LINE), "better": better,
        "meets": meets,
    }  # fmt: skip
    if draw(st.booleans()):
        item["exceeds"] = meets - gap if better == "lower" else meets + gap
    if draw(st.booleans()):
        item["volume"] = draw(_LINE)
    return item


_UNIT_MINUTES = {"m": 1, "h": 60, "d": 8 * 60, "w": 5 * 8 * 60}


@st.composite
def _target(draw: st.DrawFn, priority: str) -> dict[str, Any]:
    amount, unit = draw(st.integers(1, 30)), draw(st.sampled_from(sorted(_UNIT_MINUTES)))
    target: dict[str, Any] = {"priority": priority, "response": f"{amount}{unit}"}
    if draw(st.booleans()):
        later = draw(
            st.sampled_from([u for u in _UNIT_MINUTES if _UNIT_MINUTES[u] >= _UNIT_MINUTES[unit]])
        )
        target["resolution"] = f"{amount + draw(st.integers(0, 10))}{later}"
    return target


@st.composite
def organisations(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """A valid organisation: (teams.yaml data, role data by id)."""
    team_ids = draw(_unique_ids(1, 4))
    teams = []
    for i, ident in enumerate(team_ids):
        team: dict[str, Any] = {"id": ident, "name": draw(_LINE)}
        if i and draw(st.booleans()):
            team["parent"] = draw(st.sampled_from(team_ids[:i]))
        if draw(st.booleans()):
            team["channel"] = draw(_LINE)
        if draw(st.booleans()):
            team["kind"] = draw(st.sampled_from(["internal", "external"]))
        teams.append(team)
    role_ids = draw(_unique_ids(1, 5))
    roles: dict[str, dict[str, Any]] = {}
    for i, ident in enumerate(role_ids):
        shares = draw(st.lists(st.integers(1, 33), min_size=1, max_size=3))
        expectation_ids = draw(_unique_ids(1, 2))
        role: dict[str, Any] = {
            "id": ident, "title": draw(_LINE), "team": draw(st.sampled_from(team_ids)),
            "owners": draw(st.lists(_LINE, min_size=1, max_size=2, unique=True)),
            "summary": draw(_MARKDOWN), "review_by": "2099-12-31",
            "responsibilities": [
                {"id": f"work-{n}", "text": draw(_MARKDOWN), "share": share}
                for n, share in enumerate(shares)
            ],
            "expectations": [draw(_expectation(e)) for e in expectation_ids],
        }  # fmt: skip
        if i:
            role["reports_to"] = draw(st.sampled_from(role_ids[:i]))
        commitments = []
        for n in range(draw(st.integers(0, 2))):
            customers = draw(
                st.lists(
                    st.one_of(
                        st.just("everyone"),
                        st.sampled_from(team_ids).map(lambda t: f"team:{t}"),
                        st.sampled_from(role_ids).map(lambda r: f"role:{r}"),
                    ),
                    min_size=1, max_size=3, unique=True,
                )
            )  # fmt: skip
            priorities = draw(st.sampled_from([["urgent"], ["normal"], ["urgent", "normal"]]))
            commitment: dict[str, Any] = {
                "id": f"service-{n}", "service": draw(_LINE), "customers": customers,
                "request_via": draw(_LINE), "targets": [draw(_target(p)) for p in priorities],
                "hours": draw(st.sampled_from(["business", "always"])),
            }  # fmt: skip
            if draw(st.booleans()):
                commitment["requester_provides"] = draw(st.lists(_LINE, min_size=1, max_size=2))
            if i:
                commitment["escalate_to"] = role_ids[0]
            commitments.append(commitment)
        if commitments:
            role["commitments"] = commitments
        if draw(st.booleans()):
            role["rewards"] = [
                {"id": "reward", "reward": draw(_LINE),
                 "requires": {expectation_ids[0]: draw(st.sampled_from(["meets", "exceeds"]))}}
            ]  # fmt: skip
        roles[ident] = role
    organisation = draw(_LINE)
    return {"organisation": organisation, "teams": teams}, roles


# --- writing YAML that means what it says --------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block YAML that quotes every string a YAML 1.2 reader would not read back as that string."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None if value and resolve_plain(value) == value else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=80)


def _write(root: Path, teams: dict[str, Any], roles: dict[str, dict[str, Any]]) -> Path:
    folder = root / "roles"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "teams.yaml").write_text(_dump(teams), encoding="utf-8")
    for ident, role in roles.items():
        (folder / role["team"]).mkdir(exist_ok=True)
        (folder / role["team"] / f"{ident}.yaml").write_text(_dump(role), encoding="utf-8")
    return root


def _errors(diags: list[Diagnostic]) -> list[str]:
    return [d.headline for d in diags if d.severity is Severity.ERROR]


# --- round trip ------------------------------------------------------------------------------


@FAST
@given(org=organisations())
def test_valid_organisations_round_trip(org: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """A generated valid organisation loads without errors, as written, and renders whole."""
    teams, roles = org
    with tempfile.TemporaryDirectory() as folder:
        project, diags = load_project(_write(Path(folder), teams, roles), today=TODAY)
    assert not _errors(diags)
    loaded = project.organisation
    assert loaded.name == teams["organisation"]
    assert set(loaded.teams) == {t["id"] for t in teams["teams"]}
    assert set(loaded.roles) == set(roles)
    for ident, data in roles.items():
        role = loaded.roles[ident]
        assert (role.title, role.summary, role.owners) == (
            data["title"],
            data["summary"],
            tuple(data["owners"]),
        )
        assert [r.text for r in role.responsibilities] == [
            r["text"] for r in data["responsibilities"]
        ]
        assert [c.service for c in role.commitments] == [
            c["service"] for c in data.get("commitments", [])
        ]
    site = render_site(loaded, Settings(), schemas=SCHEMAS)
    for ident, role in loaded.roles.items():
        page = site.pages[addresses.role_page(ident)]
        assert str(text.plain(role.title)) in page
        for commitment in role.commitments:
            assert str(text.plain(commitment.service)) in page
            assert str(text.plain(commitment.request_via)) in page
    for ident, team in loaded.teams.items():
        assert str(text.plain(team.name)) in site.pages[addresses.team_page(ident)]


@settings(BUILDS, max_examples=2)
@given(org=organisations())
def test_generated_organisation_builds(org: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """A real MkDocs build of a generated organisation succeeds with a page per role."""
    from generator.site.build import build_site  # noqa: PLC0415 - imports MkDocs

    teams, roles = org
    with tempfile.TemporaryDirectory() as folder:
        root = _write(Path(folder), teams, roles)
        config = {**MKDOCS_BASE, "plugins": ["search", "handbook"]}
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        (root / "content").mkdir()
        (root / "content" / "index.md").write_text("# Home\n", encoding="utf-8")
        assert build_site(root / "mkdocs.yml")
        for ident in roles:
            assert (root / "site" / "roles" / ident / "index.html").is_file()


# --- mutations -------------------------------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_NOISE = [
    ":", "-", "\t", "&a", "*a", "!!str", "[", "{", "]", "}", "\x00", "'", '"', "\n", "#", "%",
    "@", "`", "|", ">", "<<", "---", "? ", "\ufeff", "\x85", "\u2028", " ", "\\",
]  # fmt: skip


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _nodes(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _nodes(value, (*path, index))
    return found


def _mutate_data(draw: st.DrawFn, data: Any) -> Any:
    """Replace, delete or rename one node of ``data`` (in place), or replace the whole."""
    path = draw(st.sampled_from(_nodes(data)))
    if not path:
        return draw(_JSON)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    action = draw(st.sampled_from(["replace", "delete", "rename"]))
    if action == "replace":
        parent[last] = draw(_JSON)
    elif action == "delete":
        del parent[last]
    elif isinstance(parent, dict):
        parent[draw(st.text(max_size=12))] = parent.pop(last)
    return data


def _mutate_text(draw: st.DrawFn, source: str) -> bytes:
    """Insert, delete or overwrite a few characters with YAML syntax and other trouble."""
    chars = list(source)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(chars)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        noise = draw(st.sampled_from(_NOISE) | st.text(max_size=3))
        if action == "insert":
            chars[at:at] = list(noise)
        elif action == "delete":
            del chars[at : at + draw(st.integers(1, 5))]
        else:
            chars[at : at + 1] = list(noise)
    raw = "".join(chars).encode("utf-8", errors="surrogatepass")
    if draw(st.booleans()):
        return raw
    cut = draw(st.integers(0, len(raw)))
    return raw[:cut] + draw(st.binary(max_size=4)) + raw[cut:]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, bytes]]:
    """A valid organisation with one file damaged in its data or in its text."""
    teams, roles = draw(organisations())
    files = {"teams.yaml": _dump(teams).encode()} | {
        f"{r['team']}/{i}.yaml": _dump(r).encode() for i, r in roles.items()
    }
    victim = draw(st.sampled_from(sorted(files)))
    if draw(st.booleans()):
        data = yaml.safe_load(files[victim])
        files[victim] = _dump(_mutate_data(draw, data)).encode("utf-8", errors="surrogatepass")
    else:
        files[victim] = _mutate_text(draw, files[victim].decode("utf-8"))
    return teams, files


def _check_diagnostics(diags: list[Diagnostic], files: set[str]) -> None:
    for diag in diags:
        assert isinstance(diag, Diagnostic)
        assert diag.location.file in files, diag.headline
        assert diag.message
        if diag.location.line:
            assert diag.location.line >= 1


@FAST
@given(case=mutated())
def test_mutated_organisations_give_only_diagnostics(
    case: tuple[dict[str, Any], dict[str, bytes]],
) -> None:
    """Loading, checking and linting a damaged organisation never raises."""
    _teams, files = case
    with tempfile.TemporaryDirectory() as folder:
        roles = Path(folder) / "roles"
        for name, raw in files.items():
            (roles / name).parent.mkdir(parents=True, exist_ok=True)
            (roles / name).write_bytes(raw)
        project, diags = load_project(Path(folder), today=TODAY)
        _check_diagnostics(diags, {f"roles/{name}" for name in files})
        if not _errors(diags):
            render_site(project.organisation, Settings(), schemas=SCHEMAS)


@settings(max_examples=300, deadline=None, database=None)
@given(
    raw=st.binary(max_size=300)
    | st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass"))
)
def test_parser_never_raises(raw: bytes) -> None:
    """Any bytes at all give a document or diagnostics, never an exception."""
    doc, diags = parse_yaml(raw, "roles/x.yaml")
    assert (doc is None) == bool(diags)
    _check_diagnostics(diags, {"roles/x.yaml"})
    if doc is not None:
        validate_role(doc)


# --- ids and paths ---------------------------------------------------------------------------


def _role_with_id(ident: str) -> bytes:
    expectation = {"id": "e", "text": "E", "measure": "m", "better": "lower", "meets": 1}
    data = {
        "id": ident, "title": "T", "team": "t", "summary": "S",
        "responsibilities": [{"id": "r", "text": "R"}], "expectations": [expectation],
    }  # fmt: skip
    return _dump(data).encode("utf-8", errors="surrogatepass")


@settings(max_examples=200, deadline=None, database=None)
@given(
    ident=st.text(max_size=70)
    | st.sampled_from(["..", "../x", "a/b", "a\\b", "%2e%2e", "a\n", "A"])
)
def test_only_safe_ids_pass_the_schema(ident: str) -> None:
    """An id passes the schema only when it is kebab-case, so no page path can leave the site."""
    doc, diags = parse_yaml(_role_with_id(ident), "roles/x.yaml")
    assume(doc is not None and not diags)
    problems = validate_role(doc)
    id_problems = [d for d in problems if d.path == "$.id"]
    if ID.fullmatch(ident) and len(ident) <= 64:
        assert not id_problems
        for page in (
            addresses.role_page(ident),
            addresses.team_page(ident),
            addresses.serves_page(ident),
        ):
            normal = posixpath.normpath(page)
            assert not normal.startswith(("..", "/")) and normal.count("/") <= 2
    else:
        assert id_problems, ident


# --- what validation accepts, the build survives --------------------------------------------

_TROUBLE = st.lists(st.sampled_from(list("[]()*_<>`\\!&#|~{}:-+.=\"' ")), min_size=4, max_size=24)
_STARTS = st.lists(
    st.sampled_from(["", "> " * 6, "- ", "1. ", "# ", "    ", "| a | b |", "<a ", "<!--", "[x]: "]),
    min_size=1,
    max_size=4,
)


_SENTENCE_CHARS = st.one_of(
    st.characters(codec="utf-8", categories=("L", "N", "M", "P", "S", "Zs")),
    st.sampled_from(" ,.;:?!'\"()/%–—-"),
)


@settings(max_examples=2000, deadline=None, database=None)
@given(written=st.text(_SENTENCE_CHARS, min_size=1, max_size=60))
def test_a_plain_sentence_is_shown_as_its_conversion_shows_it(written: str) -> None:
    """Text the fast path takes is never text the Markdown conversion would change."""
    assume(text._SENTENCE.fullmatch(written))
    assert text.rich.__wrapped__(written) == text.converted(written)


@pytest.mark.parametrize(
    "written",
    [
        "Keep colleagues informed (see the guide).",
        "Ask: \"why\"? 100% – yes/no; it's 'fine'!",
        "Żółć gęślą jaźń — x  y",
        "Plan (see) this) and ((that",
    ],
)
def test_plain_sentences_take_the_fast_path_unchanged(written: str) -> None:
    assert text._SENTENCE.fullmatch(written)
    assert text.rich.__wrapped__(written) == text.converted(written)


@pytest.mark.parametrize(
    "written", ["1. first", "- item", "A *word*", "a_b_c", "x\ny", "line  ", "A & B", "a <b>"]
)
def test_text_with_syntax_is_converted(written: str) -> None:
    assert not text._SENTENCE.fullmatch(written)


@st.composite
def _trouble(draw: st.DrawFn) -> Callable[..., str]:
    """Text of any length and number of lines made of Markdown's most costly characters."""
    alphabet, starts = draw(_TROUBLE), draw(_STARTS)

    def text(length: int, *, lines: int = 1, seed: int = 0) -> str:
        per_line = max(1, length // lines - 1)
        rows = []
        for row in range(lines):
            start = starts[(row + seed) % len(starts)] if lines > 1 else ""
            body = "".join(alphabet[(seed + k) % len(alphabet)] for k in range(per_line))
            rows.append((start + body)[:per_line].strip() or "[")
        return "\n".join(rows)[:length]

    return text


FULL = "zz-full-costly-text"
"""The id of the role of costly text (no generated id has three dashes)."""
_TINY_TEAMS = {
    "organisation": "Tiny",
    "teams": [{"id": "top", "name": "Top"}, {"id": "a", "name": "A", "parent": "top"}],
}
_HELPER = {
    "id": "helper", "title": "Helper", "team": "top", "owners": ["@h"], "summary": "Helps.",
    "review_by": "2099-12-31", "responsibilities": [{"id": "r", "text": "Help."}],
    "expectations": [{"id": "e", "text": "E", "measure": "m", "better": "lower", "meets": 1}],
}  # fmt: skip


def _full_role(text: Callable[..., str], most: int) -> dict[str, Any]:
    from bench.worst_role import full_role  # noqa: PLC0415 - the benchmark's worst role

    return full_role(FULL, "a", ["helper"], ["top", "a"], text, most=most)


@settings(BUILDS, max_examples=3)
@given(text=_trouble())
def test_a_role_of_costly_text_builds_within_three_times_its_plain_twin(
    text: Callable[..., str],
) -> None:
    """Every text at its longest, of Markdown's costliest characters: at most 3× plain words.

    That holds for the handbook's build. An engine building ``render --out`` reads all of
    every page as Markdown (``md_in_html``), escaped syntax characters one by one: it is
    held to 5× (bench/RESULTS.md has the measured ratios of both).
    """
    from bench.worst_role import build_once, prose, write_handbook  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as folder:
        worst = write_handbook(Path(folder) / "w", [_HELPER, _full_role(text, 3)], _TINY_TEAMS)
        plain = write_handbook(Path(folder) / "p", [_HELPER, _full_role(prose, 3)], _TINY_TEAMS)
        for export in (False, True):
            build_once(worst, export=export)  # fail early if it does not validate
            times = {worst: [], plain: []}
            for _ in range(5):
                for root, found in times.items():
                    found.append(build_once(root, export=export))
            ratio = min(times[worst]) / min(times[plain])
            bound = 5.0 if export else 3.0
            assert ratio <= bound, f"export={export}: {ratio:.2f}× the plain twin"


@settings(BUILDS, max_examples=2)
@given(org=organisations(), text=_trouble())
def test_accepted_organisations_render_out_and_build_with_every_link_working(
    org: tuple[dict[str, Any], dict[str, Any]], text: Callable[..., str]
) -> None:
    """``render --out`` of a valid organisation (a role of costly text in it) builds strictly."""
    from built_links import broken_links  # noqa: PLC0415
    from helpers import subprocess_env  # noqa: PLC0415

    from generator.site.export import render_markdown  # noqa: PLC0415 - imports MkDocs

    teams, roles = org
    full = _full_role(text, 2)
    first = teams["teams"][0]["id"]
    full["team"], full["reports_to"] = first, next(iter(roles))
    for commitment in full["commitments"]:
        commitment["customers"] = ["everyone", f"team:{first}"]
        commitment["escalate_to"] = next(iter(roles))
        commitment["targets"] = commitment["targets"][:1]
        commitment["targets"][0]["priority"] = "urgent"
    with tempfile.TemporaryDirectory() as folder:
        root = _write(Path(folder), teams, {**roles, FULL: full})
        config = {**MKDOCS_BASE, "plugins": ["search", "handbook"]}
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        (root / "content").mkdir()
        (root / "content" / "index.md").write_text("# Home\n", encoding="utf-8")
        project, diags = load_project(root, today=TODAY)
        assert not _errors(diags)
        render_markdown(root / "mkdocs.yml", project, root / "out")
        site = root / "built"
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
            cwd=root / "out",
            capture_output=True,
            text=True,
            env=subprocess_env(NO_MKDOCS_2_WARNING="1"),
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        for ident in (*roles, FULL):
            assert (site / "roles" / ident / "index.html").is_file()
        assert broken_links(site) == []
