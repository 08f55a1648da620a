"""Measure the handbook against plain MkDocs and a bare YAML parse, side by side in one run."""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from .handwritten import write_handwritten
from .org import write_handbook

BIN = Path(sys.executable).parent
TARGETS = {
    "build_overhead": 1.10,
    "validate_overhead": 2.0,
    "role_page_kb": 60.0,
    "role_page_growth": 0.10,
    "scaling": 2.2,
    "map_page_kb": 200.0,
    "handwritten_build": 0.6,
    "largest_page_kb": 300.0,
    "validate_small_s": 0.25,
}
SCALING_TARGETS = {2: 2.0, 10: 11.0}
"""t(k·N)/t(N) held to these (else 1.1·k)."""
SERVE_TARGETS = {1000: 0.5, 10000: 1.0}
"""Seconds from saving one role file in ``handbook serve`` to the rebuilt page, by size."""
SMALL_HANDBOOK = 30
"""Roles of the handbook whose ``handbook validate`` is timed as pre-commit runs it."""


@dataclass
class SizeResult:
    """Everything measured for one organisation size."""

    roles: int
    build: list[float] = field(default_factory=list)
    plain_build: list[float] = field(default_factory=list)
    validate: list[float] = field(default_factory=list)
    bare_parse: list[float] = field(default_factory=list)
    role_page_median: int = 0
    role_page_max: int = 0
    plain_role_page_median: int = 0
    site_bytes: int = 0
    plain_site_bytes: int = 0
    map_page: int = 0
    """Bytes of the internal-customer map's HTML (the matrix drawing and its table)."""
    serve_first: float | None = None
    serve_rebuilds: list[float] = field(default_factory=list)
    handwritten_build: list[float] = field(default_factory=list)
    """``mkdocs build`` of the equivalent hand-written pages (see ``handwritten.py``)."""
    handwritten_site_bytes: int = 0
    largest: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Page kind → (the largest generated page of that kind, its bytes of HTML)."""

    def median(self, name: str) -> float:
        """The median of one list of timings."""
        values: list[float] = getattr(self, name)
        return statistics.median(values) if values else float("nan")


def _run(command: Sequence[str | Path], cwd: Path | None = None) -> float:
    """Run a command to completion; its wall time in seconds."""
    start = time.perf_counter()
    done = subprocess.run(
        [str(c) for c in command], cwd=cwd, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed:\n{done.stderr[-3000:]}")
    return elapsed


def _tool(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else name


def _check_valid(folder: Path) -> None:
    """The synthetic organisation must pass validation without a single error."""
    done = subprocess.run(
        [_tool("handbook"), "validate", str(folder), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    found = json.loads(done.stdout or "[]")
    items = found if isinstance(found, list) else found.get("diagnostics", [])
    errors = [d for d in items if d.get("severity") == "error"]
    if done.returncode != 0 or errors:
        raise AssertionError(f"the synthetic organisation is not valid: {errors[:5]}")


def _sizes(site: Path) -> tuple[list[int], int]:
    pages = sorted(p.stat().st_size for p in (site / "roles").glob("*/index.html"))
    pages += sorted(p.stat().st_size for p in (site / "roles").glob("*.html"))
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return pages, total


def page_kind(rel: Path) -> str:
    """The kind of a built page by its address: ``roles/…`` for every role page, ``map``…"""
    parts = rel.parts[:-1] if rel.name == "index.html" else rel.with_suffix("").parts
    if not parts:
        return "home"
    return parts[0] if len(parts) == 1 else f"{parts[0]}/…"


def largest_pages(site: Path) -> dict[str, tuple[str, int]]:
    """The largest HTML page of every kind in a built site (theme assets and search aside)."""
    found: dict[str, tuple[str, int]] = {}
    for path in site.rglob("*.html"):
        rel = path.relative_to(site)
        if rel.parts[0] in {"assets", "search"}:
            continue
        kind, size = page_kind(rel), path.stat().st_size
        if size > found.get(kind, ("", -1))[1]:
            found[kind] = (rel.as_posix(), size)
    return dict(sorted(found.items()))


@dataclass
class Contenders:
    """One organisation and what it is measured against: the folders every round uses."""

    roles: int
    folder: Path
    plain: Path | None
    """``handbook render``'s output (None: the plain build is left out at this size)."""
    hand_config: Path
    site: Path
    plain_site: Path
    hand_site: Path


def prepare_size(roles: int, work: Path, *, plain_baseline: bool = True) -> Contenders:
    """Write the organisation, its ``render --out`` pages and its hand-written equivalent.

    Without ``plain_baseline``, the plain build of ``handbook render``'s output is left out
    (at 10,000 roles it alone takes longer than the handbook's build).
    """
    folder = write_handbook(work / f"org-{roles}", roles)
    _check_valid(folder)
    plain = work / f"plain-{roles}"
    shutil.rmtree(plain, ignore_errors=True)
    if plain_baseline:
        _run([_tool("handbook"), "render", folder, "--out", plain])
    hand = work / f"hand-{roles}"
    shutil.rmtree(hand, ignore_errors=True)
    return Contenders(
        roles,
        folder,
        plain if plain_baseline else None,
        write_handwritten(hand, roles),
        work / f"site-{roles}",
        work / f"plain-site-{roles}",
        work / f"hand-site-{roles}",
    )


def measure_round(size: Contenders, result: SizeResult) -> None:
    """Build, validate and parse one organisation once, every contender in turn."""
    result.build.append(_run([_tool("handbook"), "build", size.folder, "--site-dir", size.site]))
    if size.plain is not None:
        config = size.plain / "mkdocs.yml"
        result.plain_build.append(
            _run([_tool("mkdocs"), "build", "-q", "-f", config, "-d", size.plain_site])
        )
    result.handwritten_build.append(
        _run([_tool("mkdocs"), "build", "-q", "-f", size.hand_config, "-d", size.hand_site])
    )
    result.validate.append(_run([_tool("handbook"), "validate", size.folder]))
    result.bare_parse.append(
        _run([sys.executable, "-m", "bench.bare_parse", size.folder / "roles"], cwd=_repo())
    )


def measure_sizes(
    sizes: Sequence[Contenders],
    repeats: Mapping[int, int],
    *,
    serve_edits: Mapping[int, int],
    log: Callable[[str], None],
) -> dict[int, SizeResult]:
    """Every size's rounds, the sizes in turn within each round, then what each site holds.

    Taking turns makes a machine that slows down or speeds up during the run weigh on
    every size alike, so the ratios between sizes compare like with like.
    """
    results = {size.roles: SizeResult(size.roles) for size in sizes}
    for k in range(max(repeats.values(), default=0)):
        for size in sizes:
            result = results[size.roles]
            if k >= repeats[size.roles]:
                continue
            measure_round(size, result)
            log(
                f"  N={size.roles} run {k + 1}/{repeats[size.roles]}: "
                f"build {result.build[-1]:.2f}s, "
                f"plain {result.median('plain_build'):.2f}s, "
                f"hand-written {result.handwritten_build[-1]:.2f}s, "
                f"validate {result.validate[-1]:.2f}s, "
                f"bare parse {result.bare_parse[-1]:.2f}s"
            )
    for size in sizes:
        _measure_site(size, results[size.roles])
        if serve_edits.get(size.roles):
            _measure_serve(size, results[size.roles], serve_edits[size.roles], log)
    return results


def _measure_site(size: Contenders, result: SizeResult) -> None:
    """Page and site sizes of the last builds."""
    pages, result.site_bytes = _sizes(size.site)
    result.map_page = (size.site / "map" / "index.html").stat().st_size
    plain_pages, result.plain_site_bytes = (
        _sizes(size.plain_site) if size.plain is not None else ([0], 0)
    )
    result.handwritten_site_bytes = _sizes(size.hand_site)[1]
    result.largest = largest_pages(size.site)
    result.role_page_median = int(statistics.median(pages))
    result.role_page_max = max(pages)
    result.plain_role_page_median = int(statistics.median(plain_pages))


def _measure_serve(
    size: Contenders, result: SizeResult, edits: int, log: Callable[[str], None]
) -> None:
    """The first build and ``edits`` one-role rebuilds in ``handbook serve``'s builder."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.serve_worker", str(size.folder), str(edits)],
        capture_output=True,
        text=True,
        check=False,
        cwd=_repo(),
    )
    if done.returncode != 0:
        raise RuntimeError(f"serve benchmark failed:\n{done.stderr[-3000:]}")
    serve = json.loads(done.stdout.strip().splitlines()[-1])
    result.serve_first = float(serve["first_build"])
    result.serve_rebuilds = [float(t) for t in serve["rebuilds"]]
    log(
        f"  N={size.roles} serve: first build {result.serve_first:.2f}s, rebuilds "
        + ", ".join(f"{t:.2f}s" for t in result.serve_rebuilds)
    )


@dataclass
class SmallValidate:
    """``handbook validate`` of a small handbook, as pre-commit runs it, beside check-jsonschema."""

    roles: int
    validate: list[float] = field(default_factory=list)
    check_jsonschema: list[float] = field(default_factory=list)


def measure_small_validate(work: Path, runs: int, roles: int = SMALL_HANDBOOK) -> SmallValidate:
    """Time ``handbook validate`` of a ``roles``-role handbook and check-jsonschema of its files."""
    folder = write_handbook(work / f"org-{roles}", roles)
    _check_valid(folder)
    files = sorted((folder / "roles").rglob("role-*.yaml"))
    schema = _repo() / "generator" / "load" / "schemas" / "role.schema.json"
    result = SmallValidate(roles)
    for _ in range(runs):
        result.validate.append(_run([_tool("handbook"), "validate", folder]))
        if (BIN / "check-jsonschema").exists():
            result.check_jsonschema.append(
                _run([_tool("check-jsonschema"), "--schemafile", schema, *files])
            )
    return result


def small_validate_section(small: SmallValidate) -> list[str]:
    """Its section of the results."""
    baseline = (
        f"{statistics.median(small.check_jsonschema):.2f} s"
        if small.check_jsonschema
        else "not installed"
    )
    return [
        "",
        "## Validation at pre-commit speed",
        "",
        "| roles | runs | `handbook validate` (median) | all runs | target "
        "| `check-jsonschema` of the role files |",
        "| ---: | ---: | ---: | --- | ---: | ---: |",
        f"| {small.roles} | {len(small.validate)} | {statistics.median(small.validate):.3f} s "
        f"| {', '.join(f'{t:.3f}' for t in small.validate)} "
        f"| {TARGETS['validate_small_s']:g} s | {baseline} |",
    ]


def _repo() -> Path:
    return Path(__file__).resolve().parents[1]


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    """The machine and the versions the numbers were taken with."""
    cpu = platform.processor() or platform.machine()
    model = Path("/proc/cpuinfo")
    if model.exists():
        for line in model.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "MkDocs": _version("mkdocs"),
        "Material": _version("mkdocs-material"),
        "PyYAML": f"{_version('PyYAML')} (libyaml {_libyaml()})",
        "jsonschema": _version("jsonschema"),
        "fastjsonschema": _version("fastjsonschema"),
        "Markdown": _version("Markdown"),
        "Load average (1, 5, 15 min) when written": ", ".join(
            f"{load:.1f}" for load in os.getloadavg()
        ),
    }


def _libyaml() -> str:
    try:
        from yaml import _yaml  # type: ignore[attr-defined]  # noqa: PLC0415
    except ImportError:
        return "missing"
    return str(_yaml.get_version_string())


@dataclass
class Summary:
    """The ratios the benchmark reports, with the targets they are held to."""

    rows: list[tuple[str, float, float, bool, str]]
    """(measure, value, upper bound, met, note) of every figure held to a target."""

    def lines(self) -> list[str]:
        """One line per ratio."""
        return [
            f"{name}: {value:.3g} (target ≤ {target:g}) "
            f"{'met' if ok else 'NOT met'}{' — ' + note if note else ''}"
            for name, value, target, ok, note in self.rows
        ]


Row = tuple[str, float, float, bool, str]


def _row(name: str, value: float, target: float, note: str = "") -> Row:
    """A ratio or figure held to an upper bound."""
    return (name, value, target, value <= target, note)


def _reference_rows(ref: SizeResult, reference: int) -> list[Row]:
    """The ratios at the reference size: each build and check against its baseline."""
    note = f"N={reference}"
    rows: list[Row] = []
    if ref.plain_build:
        rows.append(
            _row(
                "generator overhead (handbook build / plain mkdocs build)",
                ref.median("build") / ref.median("plain_build"),
                TARGETS["build_overhead"],
                note,
            )
        )
    rows.append(
        _row(
            "validation overhead (handbook validate / bare C-loader parse)",
            ref.median("validate") / ref.median("bare_parse"),
            TARGETS["validate_overhead"],
            note,
        )
    )
    if ref.handwritten_build:
        rows.append(
            _row(
                "handbook build / mkdocs build of equivalent hand-written pages",
                ref.median("build") / ref.median("handwritten_build"),
                TARGETS["handwritten_build"],
                note,
            )
        )
    rows.append(
        _row(
            f"internal-customer map page at N={reference} (KB)",
            ref.map_page / 1024,
            TARGETS["map_page_kb"],
        )
    )
    return rows


def _serve_rows(results: dict[int, SizeResult]) -> list[Row]:
    """Seconds from a saved role file to its rebuilt page in ``handbook serve``, by size."""
    return [
        _row(
            f"one-role edit → rebuilt page in serve at N={roles} (s, median)",
            result.median("serve_rebuilds"),
            SERVE_TARGETS.get(roles, SERVE_TARGETS[1000] * max(1.0, roles / 1000) ** 0.5),
        )
        for roles, result in sorted(results.items())
        if result.serve_rebuilds
    ]


def _scaling_rows(results: dict[int, SizeResult], reference: int) -> list[Row]:
    """Build and validate times and site sizes at every larger size against the reference."""
    ref = results[reference]
    rows: list[Row] = []
    for roles, result in sorted(results.items()):
        if roles <= reference:
            continue
        factor = roles / reference
        target = SCALING_TARGETS.get(round(factor), 1.1 * factor)
        for name in ("build", "validate"):
            scale = result.median(name) / ref.median(name)
            rows.append(_row(f"scaling t({roles})/t({reference}) {name}", scale, target))
        sites = result.site_bytes / ref.site_bytes
        rows.append(_row(f"scaling site size({roles})/size({reference})", sites, target))
    return rows


def _large_rows(big: SizeResult, large: int, low: SizeResult | None, small: int) -> list[Row]:
    """The largest pages at the largest size, and how role pages grew on the way there."""
    rows: list[Row] = []
    if big.largest:
        kind, (page, size) = max(big.largest.items(), key=lambda item: item[1][1])
        rows.append(
            _row(
                f"largest generated page at N={large} (KB of HTML)",
                size / 1024,
                TARGETS["largest_page_kb"],
                f"{kind}: {page}",
            )
        )
    rows.append(
        _row(f"largest role page at N={large} (KB)", big.role_page_max / 1024,
             TARGETS["role_page_kb"])
    )  # fmt: skip
    if low is not None and low is not big:
        growth = big.role_page_median / low.role_page_median - 1
        rows.append(
            _row(f"median role page growth N={small}→{large}", growth,
                 TARGETS["role_page_growth"])
        )  # fmt: skip
    return rows


def summarise(
    results: dict[int, SizeResult],
    reference: int,
    large: int,
    small: int,
    *,
    small_validate: SmallValidate | None = None,
) -> Summary:
    """Ratios at the reference size (1,000), serve, scaling to larger sizes, growth, pre-commit."""
    rows: list[Row] = []
    ref = results.get(reference)
    if ref is not None:
        rows += _reference_rows(ref, reference)
    rows += _serve_rows(results)
    big = results.get(large)
    if big is not None:
        rows += _large_rows(big, large, results.get(small), small)
    if ref is not None:
        rows += _scaling_rows(results, reference)
    if small_validate is not None and small_validate.validate:
        rows.append(
            _row(
                f"handbook validate of {small_validate.roles} roles (s, median)",
                statistics.median(small_validate.validate),
                TARGETS["validate_small_s"],
            )
        )
    return Summary(rows)


def _s(seconds: float) -> str:
    return "—" if math.isnan(seconds) else f"{seconds:.2f} s"


def _ratio(value: float, baseline: float) -> str:
    return "—" if math.isnan(value / baseline) else f"{value / baseline:.2f}"


def _kb(value: float) -> str:
    return f"{value / 1024:.1f} KB" if value else "—"


def _mb(value: float) -> str:
    return f"{value / 1024 / 1024:.1f} MB" if value else "—"


def largest_section(results: dict[int, SizeResult]) -> list[str]:
    """The largest generated page of every kind at every size."""
    sizes = sorted(r for r in results if results[r].largest)
    if not sizes:
        return []
    kinds = sorted({kind for r in sizes for kind in results[r].largest})
    out = [
        "",
        "## Largest page of every kind",
        "",
        "Bytes of HTML of the largest built page of each kind (`roles/…`: every role page,",
        "`who-serves-me/…`: every team's page, and so on), the page named beside it.",
        "",
        "| kind | " + " | ".join(f"N={r:,}" for r in sizes) + " |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " |",
    ]
    for kind in kinds:
        cells = []
        for r in sizes:
            page, size = results[r].largest.get(kind, ("", 0))
            cells.append(f"{_kb(size)} (`{page}`)" if page else "—")
        out.append(f"| {kind} | " + " | ".join(cells) + " |")
    return out


def write_results(
    path: Path,
    results: dict[int, SizeResult],
    summary: Summary,
    repeat: dict[int, int],
    elapsed: float,
    *,
    small: SmallValidate | None = None,
    command: str = "python -m bench",
) -> None:
    """Write the results table, the machine and the ratios as Markdown."""
    out = [
        "# Benchmark results",
        "",
        "Written by `python -m bench` (`make bench`). Times are wall-clock medians of the",
        "runs shown, each command a fresh process; ratios compare timings of the same run.",
        "Every round builds each size once, the sizes in turn, so that a machine whose speed",
        "drifts during the run weighs on every size alike.",
        "",
        "This run:",
        "",
        "```sh",
        command,
        "```",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
    ]
    out += [f"| {k} | {v} |" for k, v in machine().items()]
    out += ["", "## Ratios", "", "| measure | value | target | met |", "| --- | --- | --- | --- |"]
    for name, value, target, ok, note in summary.rows:
        label = f"{name} ({note})" if note else name
        out.append(f"| {label} | {value:.3g} | {target:g} | {'yes' if ok else '**no**'} |")
    out += [
        "",
        "## Timings and sizes",
        "",
        "| roles | runs | handbook build | plain mkdocs build | ratio "
        "| hand-written mkdocs build | ratio | handbook validate "
        "| bare C-loader parse | ratio | role page median | role page max "
        "| plain role page median | map page | site | plain site | hand-written site |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for roles, r in sorted(results.items()):
        out.append(
            f"| {roles:,} | {repeat[roles]} | {r.median('build'):.2f} s | "
            f"{_s(r.median('plain_build'))} | "
            f"{_ratio(r.median('build'), r.median('plain_build'))} | "
            f"{r.median('handwritten_build'):.2f} s | "
            f"{r.median('build') / r.median('handwritten_build'):.2f} | "
            f"{r.median('validate'):.2f} s | {r.median('bare_parse'):.2f} s | "
            f"{r.median('validate') / r.median('bare_parse'):.2f} | {_kb(r.role_page_median)} | "
            f"{_kb(r.role_page_max)} | {_kb(r.plain_role_page_median)} | {_kb(r.map_page)} | "
            f"{_mb(r.site_bytes)} | "
            f"{_mb(r.plain_site_bytes)} | {_mb(r.handwritten_site_bytes)} |"
        )
    out += largest_section(results)
    serve = [r for r in results.values() if r.serve_rebuilds]
    if serve:
        out += [
            "",
            "## Incremental rebuilds in `handbook serve`",
            "",
            "| roles | first build (same process) | one-role edit → rebuilt page "
            "(median) | all rebuilds | target | full `handbook build` |",
            "| ---: | ---: | ---: | --- | ---: | ---: |",
        ]
        for r in serve:
            bound = SERVE_TARGETS.get(r.roles)
            out.append(
                f"| {r.roles:,} | {r.serve_first or 0:.2f} s | {r.median('serve_rebuilds'):.2f} s "
                f"| {', '.join(f'{t:.2f}' for t in r.serve_rebuilds)} "
                f"| {f'{bound:g} s' if bound else '—'} | {r.median('build'):.2f} s |"
            )
    if small is not None:
        out += small_validate_section(small)
    out += [
        "",
        "## What is measured",
        "",
        "- *handbook build*: `handbook build ORG --site-dir D` (load, validate, lint, render,",
        "  MkDocs with the Material theme, search index), with the default `--jobs`: one",
        "  process per usable CPU renders the generated pages.",
        "- *plain mkdocs build*: `mkdocs build` of what `handbook render ORG --out P` writes",
        "  (the same pages as Markdown, same theme and features, no plugin).",
        "- *hand-written mkdocs build*: `mkdocs build` of what a user would otherwise write:",
        "  one Markdown page per role with the same content (about 2.4 KB each), a folder",
        "  per team nested as the team tree (teams as navigation sections), Material with the",
        "  same features and `navigation.prune`, its own search (`bench/handwritten.py`).",
        "- *largest page of every kind*: the built HTML, theme and navigation included.",
        "- *validation at pre-commit speed*: `handbook validate` of a 30-role synthetic",
        "  handbook, a fresh process each run, beside `check-jsonschema --schemafile",
        "  role.schema.json` of its role files (schema only: no team tree, no rules).",
        "- *handbook validate*: `handbook validate ORG`; *bare C-loader parse*: a Python",
        "  process that reads every role file with `yaml.load(..., CSafeLoader)`.",
        "- *serve*: the builder `handbook serve` gives its live-reload server, in one process:",
        "  a role file is saved, the organisation loaded, checked and assembled again, and only",
        "  the pages whose Markdown changed (and their neighbours when a title changed) go",
        "  through MkDocs' page steps into the kept site, the search index patched; the time",
        "  runs from the save to the rebuilt page on disk.",
        "- *map page*: the internal-customer map's HTML: the matrix drawn as SVG (one",
        "  row per providing team, one column per customer team and one for everyone) and",
        "  the same numbers as a table, with the theme's page around them.",
        "- Synthetic organisation: N/25 teams (at least 10) under about one department per",
        "  six teams (40 teams under 7 departments at 1,000 roles, 400 under 67 at 10,000);",
        "  each role has 6 responsibilities, 4 expectations, 2 commitments and 2 rewards; one",
        "  commitment in five is for everyone, the others for another team and a role; it",
        "  validates without errors.",
        "",
        f"The measurements above took {elapsed / 60:.1f} minutes.",
        "",
    ]
    path.write_text("\n".join(out), encoding="utf-8")
