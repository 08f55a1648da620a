"""The worst role file validation accepts, against ordinary ones: what one role costs to build.

The worst role fills every list to the schema's ``maxItems`` and every text to its
``maxLength`` with the characters that cost Markdown most (``[``, ``*``, ``_``, ``<``, …,
quotes nested on 100 lines). Its *plain twin* has the same fields, lengths and items
written in ordinary words, so ``worst / twin`` is what the characters cost; a *typical
role* is one of the synthetic organisation's (bench/org.py), compared per kilobyte of
role file. A role's cost is the time the organisation takes with it, less the time it
takes without it: loading and checking, rendering every page, and converting them to
HTML, as ``handbook build`` does (headings read by Markdown, the HTML kept) and as any
engine building ``handbook render --out`` does (every page through Markdown with
``md_in_html``). Each is the minimum of repeated runs in one process.
"""

from __future__ import annotations

import itertools
import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import markdown
import yaml

from generator.load.schema import load_schemas
from generator.model.settings import Priority, Settings
from generator.project import load_project
from generator.render import text as render_text
from generator.render.pages import render_site
from generator.site.pages import PageConverter
from generator.site.portable import SourceMap, portable_page

from .org import organisation

TARGET = 3.0
"""The worst role may cost at most this many times its plain twin (and a typical role per KB)."""
SCHEMA = json.loads(
    (Path(__file__).parents[1] / "generator/load/schemas/role.schema.json").read_text()
)
DEFS = SCHEMA["$defs"]
PRIORITIES = (
    Priority("urgent"),
    Priority("normal"),
    *(
        Priority(f"priority-{n}")
        for n in range(3, DEFS["commitment"]["properties"]["targets"]["maxItems"] + 1)
    ),
)
SETTINGS = Settings(priorities=PRIORITIES)
KINDS = ("build", "export")
EXTENSION_CONFIGS = {"toc": {"permalink": True}}
EXTENSIONS = ["attr_list", "md_in_html", "admonition", "tables", "toc"]
_PATHOLOGICAL = ("[", "*", "_", "<", "`", "]", "(", "\\", "!", "&", ">", "#", "|", "~")
_WORDS = [
    "the",
    "team",
    "keeps",
    "every",
    "request",
    "moving",
    "and",
    "tells",
    "the",
    "requester",
    "what",
    "happens",
    "next",
]


def limit(definition: str, key: str) -> int:
    """A bound of the schema: ``limit("text", "maxLength")``."""
    return int(DEFS[definition][key])


def items(field: str, owner: dict[str, Any] | None = None) -> int:
    """The most items a list of the role (or of one of its parts) may hold."""
    return int((owner or SCHEMA)["properties"][field]["maxItems"])


def pathological(length: int, *, lines: int = 1, seed: int = 0) -> str:
    """``length`` characters of Markdown trouble on ``lines`` lines (quotes, brackets, tags)."""
    per_line = max(1, length // lines - 1)
    rows = []
    for row in range(lines):
        kind = (row + seed) % 4
        if kind == 0:
            body = "> " * 6 + "[" * per_line
        elif kind == 1:
            body = "<a" + "*_" * per_line
        elif kind == 2:
            body = "[](" * per_line
        else:
            body = "".join(itertools.islice(itertools.cycle(_PATHOLOGICAL), per_line))
        rows.append(body[:per_line].rstrip() or "[")
    return "\n".join(rows)[:length]


def prose(length: int, *, lines: int = 1, seed: int = 0) -> str:
    """``length`` characters of ordinary words on ``lines`` lines."""
    per_line = max(1, length // lines - 1)
    words = itertools.cycle(_WORDS[seed % len(_WORDS) :] + _WORDS[: seed % len(_WORDS)])
    rows = []
    for _ in range(lines):
        row = ""
        while len(row) < per_line:
            row += next(words) + " "
        rows.append(row[:per_line].strip() or "a")
    return "\n".join(rows)[:length]


Text = Callable[..., str]


def full_role(
    ident: str,
    team: str,
    others: list[str],
    teams: list[str],
    text: Text,
    *,
    most: int | None = None,
) -> dict[str, Any]:
    """A role with every list at its maximum (or ``most``) and every text at its maximum length."""
    commitment = DEFS["commitment"]

    def count(field: str, owner: dict[str, Any] | None = None) -> int:
        return min(items(field, owner), most or items(field, owner))

    lines = 100

    def markdown_text(kind: str, seed: int) -> str:
        return text(limit(kind, "maxLength"), lines=lines, seed=seed)

    def line(kind: str, seed: int, unique: int | None = None) -> str:
        if unique is None:
            return text(limit(kind, "maxLength"), seed=seed)
        mark = f"{unique} "
        return mark + text(limit(kind, "maxLength") - len(mark), seed=seed)

    def long_id(stem: str, n: int) -> str:
        return f"{stem}-{n}-" + "x" * (limit("id", "maxLength") - len(stem) - len(str(n)) - 2)

    expectation_ids = [long_id("expectation", n) for n in range(count("expectations"))]
    customers = ["everyone", *(f"team:{t}" for t in teams), *(f"role:{r}" for r in others)]
    return {
        "id": ident,
        "title": line("name", 1),
        "team": team,
        "reports_to": others[0],
        "owners": [
            f"@{n} " + text(limit("handle", "maxLength") - 2 - len(str(n)), seed=n)
            for n in range(count("owners"))
        ],
        "summary": markdown_text("long-text", 2),
        "review_by": "2099-12-31",
        "responsibilities": [
            {"id": long_id("duty", n), "text": markdown_text("text", n), "share": 2}
            for n in range(count("responsibilities"))
        ],
        "expectations": [
            {
                "id": ident_,
                "text": markdown_text("text", n),
                "measure": line("phrase", n),
                "better": "lower",
                "meets": 999_999_999_999,
                "exceeds": -999_999_999_999,
                "volume": line("phrase", n + 1),
            }
            for n, ident_ in enumerate(expectation_ids)
        ],
        "commitments": [
            {
                "id": long_id("service", n),
                "service": line("phrase", n),
                "keywords": [
                    line("handle", n + k, unique=k) for k in range(count("keywords", commitment))
                ],
                "customers": customers[: items("customers", commitment)],
                "request_via": line("sentence", n),
                "requester_provides": [
                    line("sentence", n + k, unique=k)
                    for k in range(count("requester_provides", commitment))
                ],
                "targets": [
                    {"priority": p.id, "response": "40w", "resolution": "48w"} for p in PRIORITIES
                ],
                "hours": "always",
                "escalate_to": others[0],
            }
            for n in range(count("commitments"))
        ],
        "rewards": [
            {
                "id": long_id("reward", n),
                "reward": line("sentence", n),
                "requires": dict.fromkeys(
                    expectation_ids[: DEFS["reward"]["properties"]["requires"]["maxProperties"]],
                    "exceeds",
                ),
            }
            for n in range(count("rewards"))
        ],
    }


@dataclass(frozen=True, slots=True)
class RoleCost:
    """What one role costs to build, in seconds, and its file's size."""

    name: str
    build: float
    export: float
    size: int

    def per_kb(self, kind: str) -> float:
        """Seconds per kilobyte of role file."""
        return float(getattr(self, kind)) / (self.size / 1024)


def _base() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    return organisation(10)


TYPICAL = 30
"""How many typical roles are added at once (their cost is the mean)."""


def candidates() -> dict[str, list[dict[str, Any]]]:
    """The roles measured, each with the organisation they are added to.

    The worst role and its twin join the 10 roles of the base organisation; the typical
    roles are those of the same synthetic organisation grown to ``10 + TYPICAL`` roles.
    """
    teams, base = _base()
    team_ids = [t["id"] for t in teams["teams"]]
    needed = items("customers", DEFS["commitment"]) - 1 - len(team_ids)
    others = [r["id"] for r in base][: max(1, needed)]
    _, grown = organisation(len(base) + TYPICAL)
    return {
        "worst": [*base, full_role("worst-role", team_ids[-1], others, team_ids, pathological)],
        "plain twin": [*base, full_role("plain-role", team_ids[-1], others, team_ids, prose)],
        "typical": grown,
    }


def write_handbook(
    root: Path, roles: list[dict[str, Any]], teams: dict[str, Any] | None = None
) -> Path:
    """A handbook folder of ``roles`` (in the base organisation's teams unless ``teams``)."""
    teams = teams or _base()[0]
    folder = root / "roles"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "teams.yaml").write_text(yaml.safe_dump(teams, allow_unicode=True), encoding="utf-8")
    for role in roles:
        (folder / f"{role['id']}.yaml").write_text(
            yaml.safe_dump(role, allow_unicode=True, sort_keys=False, width=10_000),
            encoding="utf-8",
        )
    return root


def build_once(root: Path, *, export: bool) -> float:
    """One in-process build of the handbook at ``root``: its wall time.

    Author Markdown is converted afresh (the renderer keeps conversions for serving).
    """
    render_text.rich.cache_clear()
    start = time.perf_counter()
    project, diags = load_project(root, SETTINGS)
    errors = [d.headline for d in diags if d.severity.name == "ERROR"]
    if errors:
        raise RuntimeError(f"the organisation does not validate: {errors[:3]}")
    site = render_site(project.organisation, SETTINGS, schemas=load_schemas(), directory_urls=True)
    if export:  # an engine reads every exported page as Markdown
        links = SourceMap.of(site.pages, directory_urls=True)
        converter = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
        for src, page in site.pages.items():
            converter.reset().convert(portable_page(page, src, links))
    else:  # the plugin's converter reads the headings and keeps the HTML as written
        config = SimpleNamespace(markdown_extensions=EXTENSIONS, mdx_configs=EXTENSION_CONFIGS)
        pages = PageConverter(cast(Any, config))
        whole = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
        for page in site.pages.values():
            if pages.convert(page) is None:  # a page of another shape goes through MkDocs
                whole.reset().convert(page)
    return time.perf_counter() - start


def _timed(root: Path, repeat: int, *, export: bool) -> float:
    return min(build_once(root, export=export) for _ in range(repeat))


def _size(root: Path) -> int:
    return sum(p.stat().st_size for p in (root / "roles").glob("*.yaml"))


def measure(repeat: int = 5) -> list[RoleCost]:
    """Each candidate's cost: the organisation's build with it less the build without it."""
    _, base = _base()
    costs = []
    with tempfile.TemporaryDirectory(prefix="handbook-worst-") as folder:
        without = write_handbook(Path(folder) / "without", base)
        times = {kind: _timed(without, repeat, export=kind == "export") for kind in KINDS}
        for name, roles in candidates().items():
            root = write_handbook(Path(folder) / name.replace(" ", "-"), roles)
            added = len(roles) - len(base)
            size = (_size(root) - _size(without)) // added
            build, export = (
                (_timed(root, repeat, export=kind == "export") - times[kind]) / added
                for kind in KINDS
            )
            costs.append(RoleCost(name, build, export, size))
    return costs


def ratios(costs: list[RoleCost]) -> list[tuple[str, float]]:
    """(what, ratio) for the targets: the worst role against its twin and per KB against typical."""
    by = {c.name: c for c in costs}
    worst, twin, typical = by["worst"], by["plain twin"], by["typical"]
    found = []
    for kind, label in (("build", "handbook build"), ("export", "engine build of render --out")):
        found.append(
            (f"worst role / its plain twin, {label}", getattr(worst, kind) / getattr(twin, kind))
        )
        found.append(
            (
                f"worst role / typical role per KB, {label}",
                worst.per_kb(kind) / typical.per_kb(kind),
            )
        )
    return found


def section(costs: list[RoleCost], repeat: int) -> str:
    """The benchmark results' section for the worst role."""
    by = {c.name: c for c in costs}
    lines = [
        HEADING,
        "",
        "Every list at the schema's `maxItems`, every text at its `maxLength`, made of",
        "Markdown-pathological characters; its plain twin has the same shape in ordinary words.",
        "A role's cost is the organisation's in-process build with it less without it (the",
        f"minimum of {repeat} runs each): loading and checking, rendering, and converting every",
        "page to HTML as `handbook build` does, or as an engine building `render --out` does.",
        "",
        "| role | file | handbook build | engine build of `render --out` | per KB (handbook) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for cost in costs:
        lines.append(
            f"| {cost.name} | {cost.size / 1024:.1f} KB | {cost.build * 1000:.0f} ms "
            f"| {cost.export * 1000:.0f} ms | {cost.per_kb('build') * 1000:.2f} ms |"
        )
    lines += [
        "",
        "Run alone with `python -m bench.worst_role` (it replaces this section).",
        "Profiling this role first showed fan-out, not Markdown: each reward repeated the",
        "2,000-character texts of all 40 expectations it requires, and every Who-serves page",
        "repeated each service's 50 customers (16 MB of pages; 20 s for this role in the",
        "handbook's build). Rewards now name an expectation by its start, and those pages",
        "list five customers and link the rest. What remains in an engine's build is",
        "Markdown reading the escaped syntax characters of link texts on Who-serves pages.",
        f"The worst role's file is {by['worst'].size / by['typical'].size:.0f} times a typical "
        "role's, so its time is compared with its twin's, and per KB with a typical role's.",
        "",
        "| measure | value | target | met |",
        "| --- | ---: | ---: | --- |",
    ]
    for label, value in ratios(costs):
        lines.append(
            f"| {label} | {value:.2f} | {TARGET:g} | {'yes' if value <= TARGET else 'no'} |"
        )
    return "\n".join(lines) + "\n"


def main(repeat: int = 3) -> str:
    """Measure and print the ratios; the section's text."""
    costs = measure(repeat)
    for label, value in ratios(costs):
        print(f"{label}: {value:.2f} (target ≤ {TARGET:g})")
    return section(costs, repeat)


HEADING = "## The worst role file validation accepts"


def record(results: Path, text: str) -> None:
    """Put this section into ``results`` in place of its previous version (or at the end)."""
    old = results.read_text(encoding="utf-8") if results.exists() else ""
    start = old.find(HEADING)
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", start + len(HEADING))
        new = old[:start] + text + (old[end + 1 :] if end >= 0 else "")
    results.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    record(Path(__file__).with_name("RESULTS.md"), main())
