"""Shared helpers: write small organisations into a folder and load them."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics.values import Diagnostic
from generator.model.settings import Settings
from generator.project import Project, load_project
from tests.findability.harness import serve_static

REPO_ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2027, 1, 15)
"""A fixed build date for tests; every review date of the valid organisation is later."""

Data = Mapping[str, Any]
Source = Data | str
DataPath = Sequence[str | int]


class _Delete:
    """Marker for :func:`set_field`: remove the field instead of setting it."""

    def __repr__(self) -> str:
        return "DELETE"


DELETE: Any = _Delete()

_TEAMS: dict[str, Any] = {
    "organisation": "Tiny Test Ltd.",
    "teams": [
        {"id": "company", "name": "Company", "lead": "director", "channel": "#company"},
        {"id": "support", "name": "IT Support", "parent": "company", "lead": "helpdesk-lead"},
        {"id": "vendor", "name": "Fixit Vendor", "lead": "vendor-manager", "kind": "external"},
    ],
}

_DIRECTOR: dict[str, Any] = {
    "id": "director",
    "title": "Director",
    "team": "company",
    "owners": ["@dana"],
    "summary": "Leads the company.",
    "review_by": "2035-12-31",
    "responsibilities": [
        {"id": "direction", "text": "Set the direction.", "share": 60},
        {"id": "people", "text": "Lead the managers.", "share": 40},
    ],
    "expectations": [
        {
            "id": "plan-on-time",
            "text": "The plan is published on time.",
            "measure": "days after the start of the year",
            "better": "lower",
            "meets": 30,
            "exceeds": 15,
        },
    ],
    "commitments": [
        {
            "id": "decisions",
            "service": "Decisions on escalated questions",
            "customers": ["team:company"],
            "request_via": "email",
            "targets": [
                {"priority": "urgent", "response": "4h", "resolution": "1d"},
                {"priority": "normal", "response": "2d", "resolution": "1w"},
            ],
        },
    ],
    "rewards": [
        {"id": "annual-bonus", "reward": "Annual bonus", "requires": {"plan-on-time": "meets"}},
    ],
}

_HELPDESK_LEAD: dict[str, Any] = {
    "id": "helpdesk-lead",
    "title": "Helpdesk Lead",
    "team": "support",
    "reports_to": "director",
    "owners": ["@hela"],
    "summary": "Runs the *helpdesk*.",
    "review_by": "2035-06-30",
    "responsibilities": [
        {"id": "tickets", "text": "Keep the ticket queue moving.", "share": 70},
        {"id": "vendors", "text": "Manage the repair vendor."},
    ],
    "expectations": [
        {
            "id": "first-fix-rate",
            "text": "Most tickets are fixed at first contact.",
            "measure": "% of tickets closed at first contact",
            "better": "higher",
            "meets": 70,
            "exceeds": 85,
        },
        {
            "id": "ticket-rating",
            "text": "Colleagues are happy with the help.",
            "source": "feedback",
            "commitment": "it-requests",
            "better": "higher",
            "meets": 4.0,
            "exceeds": 4.5,
        },
    ],
    "commitments": [
        {
            "id": "it-requests",
            "service": "Help with computers",
            "customers": ["everyone"],
            "request_via": "#it-help",
            "requester_provides": ["the device name"],
            "targets": [
                {"priority": "urgent", "response": "1h", "resolution": "4h"},
                {"priority": "normal", "response": "4h", "resolution": "2d"},
            ],
            "hours": "business",
            "escalate_to": "director",
        },
    ],
    "rewards": [
        {
            "id": "service-star",
            "reward": "Quarterly bonus",
            "requires": {"first-fix-rate": "exceeds"},
        },
    ],
}

_HELPDESK_AGENT: dict[str, Any] = {
    "id": "helpdesk-agent",
    "title": "Helpdesk Agent",
    "team": "support",
    "reports_to": "helpdesk-lead",
    "owners": ["@hela", "@dana"],
    "summary": "Answers the phone.",
    "review_by": "2035-06-30",
    "responsibilities": [
        {"id": "phone", "text": "Answer the phone.", "share": 60},
        {"id": "passwords", "text": "Reset passwords.", "share": 40},
    ],
    "expectations": [
        {
            "id": "answer-time",
            "text": "Calls are answered quickly.",
            "measure": "seconds until a call is answered",
            "better": "lower",
            "meets": 60,
            "exceeds": 30,
        },
    ],
    "commitments": [
        {
            "id": "password-resets",
            "service": "Password resets",
            "customers": ["team:support", "role:director"],
            "request_via": "phone",
            "targets": [{"priority": "urgent", "response": "1h", "resolution": "2h"}],
            "escalate_to": "helpdesk-lead",
        },
    ],
    "rewards": [
        {"id": "quick-answer", "reward": "A day off", "requires": {"answer-time": "exceeds"}},
    ],
}

_VENDOR_MANAGER: dict[str, Any] = {
    "id": "vendor-manager",
    "title": "Vendor Account Manager",
    "team": "vendor",
    "reports_to": "helpdesk-lead",
    "owners": ["@hela"],
    "summary": "The contractor's contact for repairs.",
    "review_by": "2035-06-30",
    "responsibilities": [{"id": "repairs", "text": "Organise hardware repairs."}],
    "expectations": [
        {
            "id": "repair-time",
            "text": "Broken devices come back quickly.",
            "measure": "business days per repair",
            "better": "lower",
            "meets": 5,
        },
    ],
    "commitments": [
        {
            "id": "hardware-repairs",
            "service": "Hardware repairs",
            "customers": ["role:helpdesk-lead"],
            "request_via": "repairs@fixit.example",
            "targets": [{"priority": "normal", "response": "1d", "resolution": "1w"}],
            "escalate_to": "helpdesk-lead",
        },
    ],
    "rewards": [
        {
            "id": "contract-renewal",
            "reward": "The contract is renewed",
            "requires": {"repair-time": "meets"},
        },
    ],
}

_ROLES: dict[str, dict[str, Any]] = {
    "company/director.yaml": _DIRECTOR,
    "support/helpdesk-lead.yaml": _HELPDESK_LEAD,
    "support/helpdesk-agent.yaml": _HELPDESK_AGENT,
    "vendor/vendor-manager.yaml": _VENDOR_MANAGER,
}

ROLE_FILES: dict[str, str] = {data["id"]: name for name, data in _ROLES.items()}
"""Role id → path under ``roles/`` of the valid organisation."""

MKDOCS_BASE: dict[str, Any] = {
    "site_name": "Tiny Test Handbook",
    "docs_dir": "content",
    "theme": {"name": "material"},
}


def valid_teams() -> dict[str, Any]:
    """A fresh copy of the valid organisation's ``teams.yaml`` data."""
    return copy.deepcopy(_TEAMS)


def valid_roles() -> dict[str, dict[str, Any]]:
    """Fresh copies of the valid organisation's roles, by path under ``roles/``."""
    return copy.deepcopy(_ROLES)


def to_yaml(data: Any) -> str:
    """Block-style YAML as a person writes it: keys in order, list items indented."""

    class _Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1000,
    )


def _text(source: Source) -> str:
    return source if isinstance(source, str) else to_yaml(source)


def write_org(
    root: Path,
    teams: Source | None,
    roles: Mapping[str, Source],
    *,
    mkdocs: Data | bool = False,
) -> Path:
    """Write ``roles/teams.yaml`` and each role (path under ``roles/`` → data or YAML text).

    A role path without a suffix gets ``.yaml``. ``teams=None`` leaves teams.yaml out.
    ``mkdocs=True`` (or a mapping of plugin options) also writes a mkdocs.yml with the
    handbook plugin and a one-page ``content/`` folder. Returns ``root``.
    """
    roles_dir = root / "roles"
    roles_dir.mkdir(parents=True, exist_ok=True)
    if teams is not None:
        (roles_dir / "teams.yaml").write_text(_text(teams), encoding="utf-8")
    for name, source in roles.items():
        path = roles_dir / (name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_text(source), encoding="utf-8")
    if mkdocs is not False:
        options = {} if mkdocs is True else dict(mkdocs)
        config = {**MKDOCS_BASE, "plugins": ["search", {"handbook": options}]}
        (root / "mkdocs.yml").write_text(to_yaml(config), encoding="utf-8")
        content = root / "content"
        content.mkdir(exist_ok=True)
        (content / "index.md").write_text("# Tiny Test Handbook\n\nWelcome.\n", encoding="utf-8")
    return root


def write_valid_org(
    root: Path,
    *,
    teams: Source | None = None,
    roles: Mapping[str, Source | None] | None = None,
    mkdocs: Data | bool = False,
) -> Path:
    """Write the valid organisation; ``teams``/``roles`` replace or add files (None drops one)."""
    all_roles: dict[str, Source] = dict(valid_roles())
    for name, source in (roles or {}).items():
        if source is None:
            all_roles.pop(name, None)
        else:
            all_roles[name] = source
    return write_org(root, valid_teams() if teams is None else teams, all_roles, mkdocs=mkdocs)


def set_field(data: Any, path: DataPath, value: Any) -> Any:
    """Set (or, with :data:`DELETE`, remove) the field at ``path`` in place; return ``data``."""
    *parents, last = path
    node = data
    for part in parents:
        node = node[part]
    if value is DELETE:
        del node[last]
    elif isinstance(node, list) and isinstance(last, int) and last == len(node):
        node.append(value)
    else:
        node[last] = value
    return data


def role_with(role_id: str, path: DataPath, value: Any) -> dict[str, dict[str, Any]]:
    """The ``roles`` argument of :func:`write_valid_org` that changes one field of one role."""
    name = ROLE_FILES[role_id]
    return {name: set_field(valid_roles()[name], path, value)}


def teams_with(path: DataPath, value: Any) -> dict[str, Any]:
    """The valid ``teams.yaml`` data with one field changed (or removed)."""
    return set_field(valid_teams(), path, value)


def load(
    root: Path, settings: Settings | None = None, *, today: dt.date | None = TODAY
) -> tuple[Project, list[Diagnostic]]:
    """``load_project`` with the fixed test date (``today=None`` uses the real build date)."""
    return load_project(root, settings, today=today)


def diagnostics(
    root: Path, settings: Settings | None = None, *, today: dt.date | None = TODAY
) -> list[Diagnostic]:
    """Every diagnostic of the handbook at ``root``."""
    return load(root, settings, today=today)[1]


COVER_NOTES = frozenset({"HB125", "HB126"})
"""Notes on promises only one role keeps and escalations that reach nobody on duty: the
examples and the small fixture keep a few on purpose, for the workload page to show."""


def cover_notes(diags: Sequence[Diagnostic]) -> list[str]:
    """The codes of the diagnostics, which must all be cover notes (else they are listed)."""
    assert all(d.code in COVER_NOTES for d in diags), [d.headline for d in diags]
    return sorted(d.code for d in diags)


def with_code(diags: Sequence[Diagnostic], code: str) -> list[Diagnostic]:
    """The diagnostics with one code."""
    return [d for d in diags if d.code == code]


def locate(text: str, needle: str, *, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) where ``needle`` starts in ``text`` (its ``nth`` occurrence)."""
    index = -1
    for _ in range(nth + 1):
        index = text.find(needle, index + 1)
        if index < 0:
            raise ValueError(f"{needle!r} not found")
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def locate_in(root: Path, file: str, needle: str, *, nth: int = 0) -> tuple[int, int]:
    """:func:`locate` in the file ``root/file``."""
    return locate((root / file).read_text(encoding="utf-8"), needle, nth=nth)


def tree_digest(root: Path) -> dict[str, str]:
    """SHA-256 of every file below ``root`` by relative POSIX path, for before/after checks."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def epoch_of(day: dt.date) -> str:
    """``SOURCE_DATE_EPOCH`` for noon UTC on ``day``."""
    moment = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    return str(int(moment.timestamp()))


def run_handbook(
    *args: str, cwd: Path | None = None, check: bool = False, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    """The ``handbook`` command line of this checkout, its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=subprocess_env(),
        check=check,
        timeout=timeout,
    )


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for running the console script: this checkout first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env.pop("SOURCE_DATE_EPOCH", None)
    env.update(extra)
    return env


SAMPLE_EXPORTS = {
    "": REPO_ROOT / "examples" / "requests" / "northwind-2026.csv",
    "examples/pl": REPO_ROOT / "examples" / "pl" / "requests" / "zgloszenia-2026.csv",
}
"""The sample request export of each example handbook, by its folder in the repository."""
MEASURED_AS_OF = "2026-12-01"
"""The moment the examples' sample requests and measurements are measured at."""


def measure_handbook(handbook: Path, export: Path, *, as_of: str = MEASURED_AS_OF) -> Path:
    """Import ``export`` into the handbook's own database and write its measured report."""
    database = f"sqlite:///{handbook / 'feedback.db'}"
    for command in (
        ["requests", "import", str(export), "-C", str(handbook), "--database", database],
        ["report", str(handbook), "--database", database, "--as-of", as_of],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "generator.cli", *command],
            capture_output=True,
            text=True,
            env=subprocess_env(),
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    return handbook / "measured-report.json"


EXAMPLE_PARTS = ("mkdocs.yml", "roles", "content", "theme", "measurements", "schema")
"""What a copy of the English example handbook needs."""


def copy_example(target: Path, *, measured: bool = True) -> Path:
    """A copy of the English example handbook at ``target``, its sample requests measured."""
    target.mkdir(parents=True, exist_ok=True)
    for name in EXAMPLE_PARTS:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    if measured:
        measure_handbook(target, SAMPLE_EXPORTS[""])
    return target


PAGE_KINDS = {
    "en": {
        "home": "/",
        "role": "/roles/benefits-specialist/",
        "measured role": "/roles/it-helpdesk-technician/",
        "team": "/teams/people/",
        "teams": "/teams/",
        "directory": "/directory/",
        "who serves me": "/who-serves-me/",
        "who serves a team": "/who-serves-me/finance/",
        "services for everyone": "/everyone/",
        "rewards": "/rewards/",
        "map": "/map/",
        "scorecard": "/scorecard/",
        "workload": "/workload/",
        "priorities": "/priorities/",
        "rules": "/reference/rules/",
        "reference": "/reference/role-format/",
        "guide": "/guide/internal-customers/",
    },
    "pl": {
        "home": "/",
        "role": "/roles/specjalista-ds-kadr/",
        "measured role": "/roles/administrator-systemow/",
        "team": "/teams/kadry/",
        "teams": "/teams/",
        "directory": "/directory/",
        "who serves me": "/who-serves-me/",
        "who serves a team": "/who-serves-me/finanse/",
        "services for everyone": "/everyone/",
        "rewards": "/rewards/",
        "map": "/map/",
        "scorecard": "/scorecard/",
        "workload": "/workload/",
        "priorities": "/priorities/",
        "rules": "/reference/rules/",
        "reference": "/reference/role-format/",
        "guide": "/guide/klienci-wewnetrzni/",
    },
}
"""One page of every kind in each example handbook's leaders' edition, by language."""
EXAMPLES = {
    "en": (REPO_ROOT, ("roles", "content", "theme"), SAMPLE_EXPORTS[""]),
    "pl": (REPO_ROOT / "examples" / "pl", ("roles", "content"), SAMPLE_EXPORTS["examples/pl"]),
}
"""Each example handbook by language: its folder, the parts a copy needs, its requests."""
COMMITTED_AT = "2026-11-20T10:00:00+00:00"
"""When :func:`built_example` commits the copy it builds (with ``committed=True``)."""


def feedback_report(keys: list[str]) -> dict[str, Any]:
    """A feedback report over ``keys``: the first hidden as too small, the rest scored."""
    entries: list[dict[str, Any]] = [{"key": keys[0], "suppressed": True}]
    entries += [
        {
            "key": key,
            "suppressed": False,
            "count": 6 + i,
            "mean": 3.0 + (i % 3) * 0.7,
            "distribution": {"1": 0, "2": 1, "3": 2, "4": 2 + i, "5": 1},
            "priorities": [{"priority": "speed", "count": 4}],
        }
        for i, key in enumerate(keys[1:])
    ]
    return {
        "version": 1,
        "period": {"since": None, "until": None},
        "min_responses": 5,
        "entries": entries,
    }


def _commit_all(handbook: Path) -> None:
    """Make ``handbook`` a git repository with one commit of everything, at COMMITTED_AT."""
    env = subprocess_env(
        GIT_AUTHOR_NAME="Handbook Tests",
        GIT_AUTHOR_EMAIL="tests@example.org",
        GIT_COMMITTER_NAME="Handbook Tests",
        GIT_COMMITTER_EMAIL="tests@example.org",
        GIT_AUTHOR_DATE=COMMITTED_AT,
        GIT_COMMITTER_DATE=COMMITTED_AT,
    )
    for command in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "-A"],
        ["git", "commit", "-q", "-m", "Describe the roles"],
    ):
        subprocess.run(command, cwd=handbook, env=env, check=True, capture_output=True)


def built_example(language: str, handbook: Path, *, committed: bool = False) -> Path:
    """Copy an example handbook to ``handbook``, give it a feedback report and its
    measurements, build the leaders' edition (every kind of content a page can show) and
    return its site. ``committed`` makes the copy a git repository first (role history)."""
    source, parts, export = EXAMPLES[language]
    for name in (*parts, "measurements", "schema"):
        shutil.copytree(source / name, handbook / name)
    config = (source / "mkdocs.yml").read_text("utf-8")
    config = config.replace(
        "        endpoint: /api/feedback\n",
        "        endpoint: /api/feedback\n        report: report.json\n",
    )
    (handbook / "mkdocs.yml").write_text(config, "utf-8")
    project, _ = load_project(handbook)
    keys = sorted(project.organisation.feedback_keys())
    (handbook / "report.json").write_text(json.dumps(feedback_report(keys)), "utf-8")
    measure_handbook(handbook, export)
    if committed:
        _commit_all(handbook)
    build = ["build", str(handbook), "--strict", "--audience", "leaders"]
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", *build],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return handbook / "site"


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """A built site served on a free local port while the block runs; its base URL."""
    with serve_static(site) as url:
        yield url.rstrip("/")
