"""The schemas as editors use them: ajv compiles both in strict mode, and
yaml-language-server finds the schema of a scaffold role in a team folder, reports its
problems and shows each field's own description on hover.

The Node packages are pinned in tests/editor/package-lock.json and installed by
``make test`` (``npm ci``); without them these tests are skipped.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import REPO_ROOT

from generator.cli import scaffold
from generator.load.schema import SCHEMA_NAMES, load_schema
from generator.load.schema_copy import modeline_for

EDITOR = REPO_ROOT / "tests" / "editor"
sys.path.insert(0, str(EDITOR))
from lsp import SERVER, LanguageServer  # noqa: E402

SCHEMAS = REPO_ROOT / "generator" / "load" / "schemas"
pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not SERVER.exists(),
    reason="node and tests/editor/node_modules are needed (make test installs them)",
)


def test_ajv_strict_mode_compiles_both_schemas() -> None:
    files = [str(SCHEMAS / f"{name}.schema.json") for name in SCHEMA_NAMES]
    done = subprocess.run(
        ["node", str(EDITOR / "compile-schemas.mjs"), *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("ok ") == len(SCHEMA_NAMES)


def test_ajv_strict_mode_rejects_a_schema_with_a_bare_constraint(tmp_path: Path) -> None:
    broken = json.loads((SCHEMAS / "teams.schema.json").read_text(encoding="utf-8"))
    broken["properties"]["organisation"]["maxLength"] = 10  # beside a $ref, without type
    path = tmp_path / "teams.schema.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    done = subprocess.run(
        ["node", str(EDITOR / "compile-schemas.mjs"), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "strictTypes" in done.stdout


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new handbook whose sample role has moved into a team folder, modeline rewritten."""
    root = tmp_path_factory.mktemp("handbook")
    for name, text in scaffold.scaffold_files().items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    sample = root / "roles" / "managing-director.yaml"
    moved = root / "roles" / "management" / "managing-director.yaml"
    moved.parent.mkdir()
    lines = sample.read_text(encoding="utf-8").splitlines()
    lines[0] = modeline_for("roles/management/managing-director.yaml", "role")
    lines.insert(5, "titel: a misspelled field")
    moved.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sample.unlink()
    return root


@pytest.fixture(scope="module")
def server(handbook: Path) -> Iterator[LanguageServer]:
    language_server = LanguageServer(handbook)
    yield language_server
    language_server.close()


ROLE = "roles/management/managing-director.yaml"


def test_the_server_finds_the_schema_from_a_team_folder(
    handbook: Path, server: LanguageServer
) -> None:
    diagnostics = server.open(handbook / ROLE)
    messages = [(d["range"]["start"]["line"], d["message"]) for d in diagnostics]
    assert any(line == 5 and "titel" in message for line, message in messages), messages


def _hover_at(server: LanguageServer, path: Path, key: str, nth: int = 0) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [i for i, line in enumerate(lines) if line.lstrip(" -").startswith(f"{key}:")]
    line = found[nth]
    return server.hover(path, line, lines[line].index(key) + 1)


def _property(schema: str, *path: str) -> dict[str, str]:
    node: dict[str, object] = dict(load_schema(schema))
    for part in path:
        if part.startswith("$"):
            node = dict(load_schema(schema)["$defs"][part[1:]])  # type: ignore[index]
        else:
            node = dict(node["properties"][part])  # type: ignore[index]
    return {k: str(v) for k, v in node.items()}


@pytest.mark.parametrize(
    ("key", "where"),
    [
        ("title", ("title",)),
        ("summary", ("summary",)),
        ("measure", ("$expectation", "measure")),
        ("service", ("$commitment", "service")),
        ("request_via", ("$commitment", "request_via")),
        ("reward", ("$reward", "reward")),
        ("text", ("$responsibility", "text")),
        ("response", ("$target", "response")),
    ],
)
def test_hover_shows_the_fields_own_title_and_description(
    handbook: Path, server: LanguageServer, key: str, where: tuple[str, ...]
) -> None:
    server.open(handbook / ROLE)
    shown = _hover_at(server, handbook / ROLE, key)
    own = _property("role", *where)
    assert own["title"] in shown and own["description"] in shown, shown
    assert "Plain text on a single line." not in shown
