"""The official YAML test suite: every case comes back as data or as diagnostics.

Cases live in ``shared/corpora/yaml-test-suite`` beside the repository, one
folder per case (``<id>/`` or ``<id>/<nn>/``) with ``in.yaml``, the expected
data in ``in.json`` where the input is valid, and an ``error`` file where it
is not.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics.values import Diagnostic, Severity
from generator.load import strict_yaml as loader
from generator.load.strict_yaml import Document, parse_yaml

SUITE = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "yaml-test-suite"

# Invalid YAML that libyaml 0.2.5 accepts anyway.
LIBYAML_ACCEPTS = {
    "9C9N": "flow sequence indented less than its parent key",
    "9JBA": "comment without a space after the end of a flow sequence",
    "CVW2": "comment without a space after a comma in a flow sequence",
    "DK95/01": "tab that looks like indentation inside a quoted scalar",
    "G5U8": "plain '-' entries in a flow sequence",
    "MUS6/00": "comment without a space after a %YAML directive",
    "QB6E": "multi-line quoted scalar indented less than its key",
    "S98Z": "block scalar whose leading empty lines are more indented than its content",
    "SU5Z": "comment without a space after a double-quoted scalar",
    "X4QW": "comment without a space after a block scalar indicator",
    "YJV2": "a lone '-' in a flow sequence",
}
# The pure-Python parser refuses these two, but accepts the rest of the list.
PYTHON_REFUSES = {"MUS6/00", "X4QW"}

# Valid YAML that both parsers read into different data than the spec says.
MISREAD = {
    "652Z": "'?foo' at the start of a flow key is read as an explicit key",
    "HM87/01": "'[?x]' is read as a one-pair mapping, not the scalar '?x'",
    "JEF9/02": "a keep-chomped block scalar of only spaces loses its line break",
    "L24T/01": "a trailing line of spaces in a literal block scalar is trimmed",
}


def _cases() -> list[Path]:
    if not SUITE.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the YAML test suite is missing: {SUITE}", pytrace=False)
        return []
    return sorted(path.parent for path in SUITE.rglob("in.yaml"))


def _name(case: Path) -> str:
    return case.relative_to(SUITE).as_posix()


CASES = _cases()
INVALID = [case for case in CASES if (case / "error").exists()]
VALID = [case for case in CASES if not (case / "error").exists() and (case / "in.json").exists()]

pytestmark = pytest.mark.skipif(not CASES, reason=f"the YAML test suite is not at {SUITE}")


@pytest.fixture(params=["libyaml", "python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a case with libyaml's parser and again with PyYAML's pure-Python one."""
    if request.param == "libyaml":
        if loader._FastParser is None:
            pytest.skip("PyYAML is built without libyaml")
    else:
        monkeypatch.setattr(loader, "_FastParser", None)
    yield request.param


def _parse(case: Path) -> tuple[Document | None, list[Diagnostic]]:
    return parse_yaml((case / "in.yaml").read_bytes(), _name(case))


def _json_documents(text: str) -> list[Any]:
    """Every JSON document in ``text``, which may hold several one after another."""
    decoder = json.JSONDecoder()
    documents = []
    index = 0
    text = text.strip()
    while index < len(text):
        value, index = decoder.raw_decode(text, index)
        documents.append(value)
        while index < len(text) and text[index].isspace():
            index += 1
    return documents


@pytest.mark.parametrize("case", CASES, ids=_name)
def test_data_or_diagnostics(parser: str, case: Path) -> None:
    doc, diags = _parse(case)
    assert (doc is None) == bool(diags)
    for diag in diags:
        assert diag.severity is Severity.ERROR
        assert diag.location.file == _name(case)
        assert diag.location.line >= 1, diag.headline
        assert diag.message


@pytest.mark.parametrize("case", INVALID, ids=_name)
def test_invalid_yaml_is_refused(parser: str, case: Path) -> None:
    name = _name(case)
    known = set(LIBYAML_ACCEPTS) - (PYTHON_REFUSES if parser == "python" else set())
    doc, diags = _parse(case)
    if name in known:
        assert doc is not None, f"{name} is refused now; drop it from LIBYAML_ACCEPTS"
        return
    assert doc is None
    assert any(diag.severity is Severity.ERROR for diag in diags)


@pytest.mark.parametrize("case", VALID, ids=_name)
def test_valid_yaml_gives_the_expected_data(parser: str, case: Path) -> None:
    expected = _json_documents((case / "in.json").read_text(encoding="utf-8"))
    doc, diags = _parse(case)
    if len(expected) > 1:
        assert doc is None
        assert diags
        return
    if doc is None:  # refused: anchors, tags, complex keys, or beyond PyYAML
        assert diags
        return
    if not expected:
        assert doc.data is None
        return
    if _name(case) in MISREAD:
        assert doc.data != expected[0], f"{_name(case)} reads right now; drop it from MISREAD"
        return
    assert doc.data == expected[0]
