"""Strict YAML loading: data, positions, and every refusal as a diagnostic."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics.values import Diagnostic, Severity
from generator.load import strict_yaml as loader
from generator.load.strict_yaml import (
    MAX_BYTES,
    MAX_DEPTH,
    Document,
    load_yaml,
    parse_yaml,
    resolve_plain,
)

ROLES = Path(__file__).resolve().parents[1] / "roles"

ROLE = """\
# A role file as managers write it.
id: payroll-specialist
title: Payroll Specialist
team: finance
reports_to: finance-controller
owners: ["@ana", "@ben"]
summary: >
  Pays everyone correctly and on time.
review_by: 2027-06-30

responsibilities:
  - id: payroll-run
    text: Run the monthly payroll.
    share: 60
  - id: queries
    text: 'Answer pay questions: quickly.'

commitments:
  - id: pay-questions
    service: Answering pay questions
    customers: [everyone]
    request_via: payroll@example.com
    targets:
      - priority: urgent
        response: 4h
        resolution: 1d
"""


@pytest.fixture(params=["libyaml", "python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a test with libyaml's parser and again with PyYAML's pure-Python one."""
    if request.param == "libyaml":
        if loader._FastParser is None:
            pytest.skip("PyYAML is built without libyaml")
    else:
        monkeypatch.setattr(loader, "_FastParser", None)
    yield request.param


def parse(text: str | bytes) -> tuple[Document | None, list[Diagnostic]]:
    raw = text.encode() if isinstance(text, str) else text
    return parse_yaml(raw, "roles/x.yaml")


def data_of(text: str | bytes) -> Any:
    doc, diags = parse(text)
    assert diags == []
    assert doc is not None
    return doc.data


def only_error(text: str | bytes) -> Diagnostic:
    doc, diags = parse(text)
    assert doc is None
    assert len(diags) == 1, [d.headline for d in diags]
    assert diags[0].severity is Severity.ERROR
    return diags[0]


def where(diag: Diagnostic) -> tuple[int, int]:
    return diag.location.line, diag.location.column


# --- data and positions ---------------------------------------------------------


def test_realistic_role_data(parser: str) -> None:
    data = data_of(ROLE)
    assert data["id"] == "payroll-specialist"
    assert data["owners"] == ["@ana", "@ben"]
    assert data["summary"] == "Pays everyone correctly and on time.\n"
    assert data["review_by"] == "2027-06-30"
    assert data["responsibilities"][0] == {
        "id": "payroll-run",
        "text": "Run the monthly payroll.",
        "share": 60,
    }
    assert data["responsibilities"][1]["text"] == "Answer pay questions: quickly."
    assert data["commitments"][0]["targets"][0]["resolution"] == "1d"


def test_realistic_role_marks(parser: str) -> None:
    doc, _ = parse(ROLE)
    assert doc is not None
    assert doc.marks[()] == (2, 1)
    assert doc.marks[("id",)] == (2, 5)
    assert doc.key_marks[("id",)] == (2, 1)
    assert doc.marks[("owners",)] == (6, 9)
    assert doc.marks[("owners", 1)] == (6, 18)
    assert doc.marks[("summary",)] == (7, 10)
    assert doc.marks[("responsibilities",)] == (12, 3)
    assert doc.marks[("responsibilities", 0)] == (12, 5)
    assert doc.key_marks[("responsibilities", 0, "share")] == (14, 5)
    assert doc.marks[("responsibilities", 0, "share")] == (14, 12)
    assert doc.marks[("responsibilities", 1, "text")] == (16, 11)
    target = ("commitments", 0, "targets", 0)
    assert doc.marks[target] == (24, 9)
    assert doc.key_marks[(*target, "resolution")] == (26, 9)
    assert doc.marks[(*target, "resolution")] == (26, 21)
    assert doc.marks[("commitments", 0, "customers", 0)] == (21, 17)


def test_document_diagnostic_points_into_the_file() -> None:
    doc, _ = parse(ROLE)
    assert doc is not None
    diag = doc.diagnostic(("commitments", 0, "targets", 0, "response"), "too slow")
    assert diag.headline == (
        "roles/x.yaml:25:19: error: $.commitments[0].targets[0].response:"
        " service 'pay-questions', target 'urgent': too slow"
    )
    assert diag.source_line == "        response: 4h"
    key = doc.diagnostic(("responsibilities", 1, "text"), "bad key", key=True)
    assert where(key) == (16, 5)


def test_every_node_has_a_mark() -> None:
    doc, _ = parse(ROLE)
    assert doc is not None

    def paths(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
        yield path
        if isinstance(value, dict):
            for key, child in value.items():
                yield from paths(child, (*path, key))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                yield from paths(child, (*path, index))

    expected = set(paths(doc.data, ()))
    assert set(doc.marks) == expected
    assert set(doc.key_marks) == {path for path in expected if path and isinstance(path[-1], str)}


def test_example_roles_load_cleanly() -> None:
    files = sorted(ROLES.rglob("*.yaml"))
    for file in files:
        doc, diags = load_yaml(file)
        assert diags == [], [d.headline for d in diags]
        assert doc is not None
        assert isinstance(doc.data, dict)


# --- YAML 1.2 core schema --------------------------------------------------------

RESOLUTION = [
    ("~", None),
    ("null", None),
    ("Null", None),
    ("NULL", None),
    ("", None),
    ("true", True),
    ("True", True),
    ("TRUE", True),
    ("false", False),
    ("False", False),
    ("FALSE", False),
    ("yes", "yes"),
    ("no", "no"),
    ("on", "on"),
    ("off", "off"),
    ("y", "y"),
    ("tRUE", "tRUE"),
    ("nULL", "nULL"),
    ("0", 0),
    ("010", 10),
    ("-7", -7),
    ("+12", 12),
    ("0o17", 15),
    ("0o8", "0o8"),
    ("0x1F", 31),
    ("0xff", 255),
    ("0xg", "0xg"),
    ("0b101", "0b101"),
    ("1_000", "1_000"),
    ("1:30", "1:30"),
    ("190:20:30", "190:20:30"),
    ("1.5", 1.5),
    ("-1.5", -1.5),
    ("1.", 1.0),
    (".5", 0.5),
    ("+.5", 0.5),
    ("1e3", 1000.0),
    ("1E-2", 0.01),
    ("-2.5e+2", -250.0),
    ("1e", "1e"),
    (".", "."),
    ("+", "+"),
    ("1.2.3", "1.2.3"),
    (".infinity", ".infinity"),
    ("2027-06-30", "2027-06-30"),
    ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
    ("4h", "4h"),
    ("1.5h", "1.5h"),
    ("30 days", "30 days"),
]


@pytest.mark.parametrize(("plain", "expected"), RESOLUTION, ids=[f"{p!r}" for p, _ in RESOLUTION])
def test_core_schema_resolution(parser: str, plain: str, expected: Any) -> None:
    value = data_of(f"value: {plain}\n")["value"]
    assert type(value) is type(expected)
    assert value == expected


@pytest.mark.parametrize(("plain", "expected"), [(".inf", math.inf), ("-.Inf", -math.inf)])
def test_infinity_resolves_as_yaml_says(plain: str, expected: float) -> None:
    assert resolve_plain(plain) == expected


@pytest.mark.parametrize("plain", [".nan", ".NaN", ".NAN"])
def test_nan_resolves_as_yaml_says(plain: str) -> None:
    assert math.isnan(resolve_plain(plain))


@pytest.mark.parametrize(
    ("plain", "words"),
    [
        (".nan", "not a number"),
        (".NaN", "not a number"),
        (".inf", "infinite"),
        ("-.Inf", "infinite"),
        ("+.INF", "infinite"),
        ("1e400", "too large a number"),
        ("-1e999", "too large a number"),
    ],
)
def test_non_finite_numbers_are_refused_with_a_hint(parser: str, plain: str, words: str) -> None:
    doc, diags = parse(f"id: x\nshare:\n  - {plain}\n")
    assert doc is None
    (diag,) = diags
    assert diag.code == "yaml-number"
    assert (diag.location.line, diag.location.column) == (3, 5)
    assert f"'{plain}' is {words}: numbers must be finite" in diag.message
    assert "put it in quotes" in diag.hint


def test_non_finite_text_in_quotes_stays_text(parser: str) -> None:
    assert data_of("a: '.nan'\nb: \".inf\"\nc: 1e30\n") == {"a": ".nan", "b": ".inf", "c": 1e30}


@pytest.mark.parametrize(
    "written",
    ["'true'", '"10"', "'~'", '""', "|\n  010\n", ">\n  1.5\n", "'2027-06-30'", '"null"'],
)
def test_quoted_and_block_scalars_stay_text(parser: str, written: str) -> None:
    assert isinstance(data_of(f"v: {written}\n")["v"], str)


def test_keys_stay_text(parser: str) -> None:
    data = data_of("1: a\ntrue: b\n~: c\n2027-01-01: d\n1.5: e\n'quoted': f\nno: g\n")
    assert data == {
        "1": "a",
        "true": "b",
        "~": "c",
        "2027-01-01": "d",
        "1.5": "e",
        "quoted": "f",
        "no": "g",
    }


def test_huge_integer_stays_text() -> None:
    digits = "9" * 5000
    assert data_of(f"v: {digits}")["v"] == digits


def test_scalar_root() -> None:
    assert data_of("just text\n") == "just text"


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# only a comment\n", "# a\n\n# b", "---\n", "--- \n...\n"]
)
def test_empty_file_is_a_document_without_data(parser: str, text: str) -> None:
    doc, diags = parse(text)
    assert diags == []
    assert doc is not None
    assert doc.data is None


def test_one_explicit_document_is_fine(parser: str) -> None:
    assert data_of("---\na: 1\n...\n") == {"a": 1}


# --- strictness ------------------------------------------------------------------


def test_duplicate_key(parser: str) -> None:
    diag = only_error("id: a\ntitle: T\nid: b\n")
    assert where(diag) == (3, 1)
    assert diag.message == "duplicate key 'id' (first defined on line 1)"
    assert diag.code == "yaml-duplicate-key"
    assert diag.source_line == "id: b"
    assert diag.hint


def test_duplicate_key_nested_and_in_flow(parser: str) -> None:
    diag = only_error("targets:\n  - priority: urgent\n    response: 1h\n    priority: normal\n")
    assert where(diag) == (4, 5)
    assert "first defined on line 2" in diag.message
    diag = only_error("a: {x: 1, y: 2, x: 3}\n")
    assert where(diag) == (1, 17)


def test_same_key_in_sibling_mappings_is_fine(parser: str) -> None:
    assert data_of("- id: a\n- id: b\n") == [{"id": "a"}, {"id": "b"}]
    assert data_of("a: {id: 1}\nb: {id: 2}\n") == {"a": {"id": 1}, "b": {"id": 2}}


def test_duplicate_key_reports_only_the_outer_duplicate(parser: str) -> None:
    doc, diags = parse("a:\n  x: 1\na:\n  x: 2\n")
    assert doc is None
    assert [where(d) for d in diags] == [(3, 1)]


def test_anchor(parser: str) -> None:
    doc, diags = parse("base: &base\n  a: 1\nother: 2\n")
    assert doc is None
    assert [where(d) for d in diags] == [(1, 7)]
    assert diags[0].message == "anchors and aliases are not allowed"
    assert diags[0].code == "yaml-alias"
    assert diags[0].hint


def test_alias(parser: str) -> None:
    doc, diags = parse("a: &x 1\nb: *x\n")
    assert doc is None
    assert [(where(d), d.message) for d in diags] == [
        ((1, 4), "anchors and aliases are not allowed"),
        ((2, 4), "anchors and aliases are not allowed"),
    ]


def test_alias_as_key(parser: str) -> None:
    doc, diags = parse("a: &k key\n*k : v\n")
    assert doc is None
    assert [where(d) for d in diags] == [(1, 4), (2, 1)]


def test_merge_key(parser: str) -> None:
    diag = only_error("base: {a: 1}\nrole:\n  <<: {a: 1}\n  b: 2\n")
    assert where(diag) == (3, 3)
    assert diag.message == "merge keys (<<) are not allowed"
    assert diag.code == "yaml-merge-key"


def test_quoted_merge_key_is_just_text(parser: str) -> None:
    assert data_of("'<<': x\n") == {"<<": "x"}


@pytest.mark.parametrize(
    ("text", "shown", "column"),
    [
        (
            "cmd: !!python/object/apply:os.system ['rm -rf /']\n",
            "!!python/object/apply:os.system",
            6,
        ),
        ("a: !foo bar\n", "!foo", 4),
        ("a: !!str 10\n", "!!str", 4),
        ("a: ! 10\n", "!", 4),
        ("a: !!map {b: 1}\n", "!!map", 4),
        ("a: !!seq\n  - 1\n", "!!seq", 4),
        ("a: !<tag:example.com,2000:x> y\n", "tag:example.com,2000:x", 4),
    ],
)
def test_tags(parser: str, text: str, shown: str, column: int) -> None:
    diag = only_error(text)
    assert where(diag) == (1, column)
    assert diag.message == f"tags are not allowed (found {shown!r})"
    assert diag.code == "yaml-tag"
    assert "quotes" in diag.hint


def test_python_object_tag_is_never_constructed(parser: str) -> None:
    doc, diags = parse("!!python/object/new:os.system [echo pwned]\n")
    assert doc is None
    assert diags[0].code == "yaml-tag"


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("? [a, b]\n: value\n", (1, 3)),
        ("? {a: 1}\n: value\n", (1, 3)),
        ("[a, b]: value\n", (1, 1)),
        ("{a: 1}: value\n", (1, 1)),
        ("outer:\n  ? - x\n  : value\n", (2, 5)),
    ],
)
def test_complex_keys(parser: str, text: str, position: tuple[int, int]) -> None:
    diag = only_error(text)
    assert where(diag) == position
    assert diag.message == "a mapping key must be a plain value, not a mapping or a list"
    assert diag.code == "yaml-complex-key"


def test_explicit_scalar_key_is_fine(parser: str) -> None:
    assert data_of("? a\n: 1\n") == {"a": 1}


def test_multiple_documents(parser: str) -> None:
    diag = only_error("id: a\n---\nid: b\n")
    assert where(diag) == (2, 1)
    assert diag.message == "more than one YAML document in this file"
    assert "---" in diag.hint


def test_multiple_documents_after_end_marker(parser: str) -> None:
    diag = only_error("id: a\n...\n---\nid: b\n")
    assert where(diag) == (3, 1)


def test_syntax_error_unclosed_flow(parser: str) -> None:
    diag = only_error("owners: [a, b\nteam: x\n")
    assert diag.message.startswith("YAML syntax error: ")
    assert diag.location.line == 2
    assert diag.code == "yaml-syntax"
    assert "line 1" in diag.hint


def test_syntax_error_bad_indentation(parser: str) -> None:
    diag = only_error("a:\n  b: 1\n c: 2\n")
    assert diag.message.startswith("YAML syntax error: ")
    assert where(diag) == (3, 2)


def test_tab_indentation_hint(parser: str) -> None:
    diag = only_error("id: a\nteam:\n\tname: x\n")
    assert where(diag) == (3, 1)
    assert diag.message.startswith("YAML syntax error: ")
    assert diag.hint == "indent with spaces, not tabs"
    assert diag.source_line == "\tname: x"


def test_tabs_inside_quoted_values_are_fine(parser: str) -> None:
    assert data_of("a: 'x\ty'\nb: \"x\ty\"\n") == {"a": "x\ty", "b": "x\ty"}


def test_tab_inside_plain_value(parser: str) -> None:
    doc, diags = parse("b: x\ty\n")
    if parser == "libyaml":
        assert doc is not None
        assert doc.data == {"b": "x\ty"}
    else:  # PyYAML's own scanner does not take tabs inside plain scalars
        assert where(diags[0]) == (1, 5)
        assert diags[0].hint == "put values that contain tabs in quotes"


# --- bytes, encodings and limits ------------------------------------------------


def test_bom_and_crlf(parser: str) -> None:
    raw = b"\xef\xbb\xbfid: a\r\ntitle: Caf\xc3\xa9\r\nowners:\r\n  - x\r\n"
    doc, diags = parse(raw)
    assert diags == []
    assert doc is not None
    assert doc.data == {"id": "a", "title": "Café", "owners": ["x"]}
    assert not doc.text.startswith("\ufeff")
    assert doc.marks[("owners", 0)] == (4, 5)
    assert doc.marks[("title",)] == (2, 8)
    assert doc.line_text(2) == "title: Café"


def test_crlf_error_lines(parser: str) -> None:
    diag = only_error(b"a: 1\r\nb: 2\r\na: 3\r\n")
    assert where(diag) == (3, 1)
    assert diag.source_line == "a: 3"


def test_latin1_is_refused_at_the_bad_byte() -> None:
    raw = "id: a\ntitle: Jefe de Producción\n".encode("latin-1")
    diag = only_error(raw)
    assert where(diag) == (2, 24)
    assert diag.message == "file is not valid UTF-8 (byte 0xF3)"
    assert "save the file as UTF-8" in diag.hint
    assert "Latin-1" in diag.hint
    assert diag.code == "yaml-encoding"
    assert diag.source_line.startswith("title: Jefe de Producci")


def test_cp1250_is_refused_at_the_bad_byte() -> None:
    raw = 'id: a\nteam: finance\nowners: ["Šťastný"]\n'.encode("cp1250")
    diag = only_error(raw)
    assert where(diag) == (3, 11)
    assert diag.message == "file is not valid UTF-8 (byte 0x8A)"
    assert "cp1250" in diag.hint


def test_bad_byte_column_counts_characters() -> None:
    raw = "a: 'Café ".encode() + b"\xff'\n"
    assert where(only_error(raw)) == (1, 10)


def test_bad_byte_after_bom() -> None:
    assert where(only_error(b"\xef\xbb\xbfa: \xe9\n")) == (1, 4)


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff"])
def test_utf16_is_refused(bom: bytes) -> None:
    diag = only_error(bom + "a: 1\n".encode("utf-16-le"))
    assert diag.message == "file is UTF-16 or UTF-32, not UTF-8"
    assert diag.hint == "save the file as UTF-8"


def test_nul_bytes_mean_binary() -> None:
    diag = only_error(b"id: a\ntitle: x\x00y\n")
    assert diag.message == "binary file, not YAML (it contains NUL bytes)"
    assert where(diag) == (2, 9)


@pytest.mark.parametrize(
    ("text", "position", "code_point"),
    [
        ("a: x\nb: \x07\n", (2, 4), "U+0007"),
        ("a: '\x1b[31m'\n", (1, 5), "U+001B"),
        ("a: x\x7f\n", (1, 5), "U+007F"),
        ("a: \x9b\n", (1, 4), "U+009B"),
        ("a: \ufffe\n", (1, 4), "U+FFFE"),
    ],
)
def test_control_characters(text: str, position: tuple[int, int], code_point: str) -> None:
    diag = only_error(text)
    assert where(diag) == position
    assert diag.message == f"control character {code_point} is not allowed in YAML"
    assert diag.code == "yaml-character"


def test_too_large_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(text: str) -> Any:
        raise AssertionError("parsed a file that is too large")

    monkeypatch.setattr(loader, "_parser_for", forbidden)
    raw = b"a: " + b"x" * 1_100_000 + b"\n"
    start = time.perf_counter()
    diag = only_error(raw)
    assert time.perf_counter() - start < 0.1
    assert diag.message == f"file is too large ({len(raw):,} bytes; the limit is 1,000,000)"
    assert diag.code == "yaml-size"
    assert diag.location.file == "roles/x.yaml"


def test_largest_allowed_file_parses() -> None:
    head = b"a: "
    raw = head + b"x" * (MAX_BYTES - len(head) - 1) + b"\n"
    assert len(raw) == MAX_BYTES
    assert len(data_of(raw)["a"]) == MAX_BYTES - 4


def test_deep_nesting_is_refused_without_crashing(parser: str) -> None:
    raw = b"[" * 100_000
    start = time.perf_counter()
    diag = only_error(raw)
    assert time.perf_counter() - start < 2
    assert diag.message == f"nested deeper than {MAX_DEPTH} levels"
    assert where(diag) == (1, MAX_DEPTH + 1)
    assert diag.code == "yaml-depth"
    assert len(diag.source_line) < 300


def test_deep_closed_nesting_is_refused(parser: str) -> None:
    assert where(only_error("[" * 10_000 + "]" * 10_000)) == (1, MAX_DEPTH + 1)


def test_depth_limit_is_exact(parser: str) -> None:
    inside = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    value = data_of(inside)
    for _ in range(MAX_DEPTH - 1):
        value = value[0]
    assert value == []
    too_deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert only_error(too_deep).code == "yaml-depth"


def test_deep_block_mappings(parser: str) -> None:
    lines = [" " * level + f"k{level}:" for level in range(MAX_DEPTH + 5)]
    diag = only_error("\n".join(lines) + " x\n")
    assert where(diag) == (MAX_DEPTH + 1, MAX_DEPTH + 1)


def billion_laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        refs = ", ".join([f"*{previous}"] * 9)
        lines.append(f"{name}: &{name} [{refs}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_fast(parser: str) -> None:
    start = time.perf_counter()
    doc, diags = parse(billion_laughs())
    assert time.perf_counter() - start < 0.5
    assert doc is None
    assert diags[0].message == "anchors and aliases are not allowed"
    assert where(diags[0]) == (1, 4)
    assert len(diags) <= loader._MAX_ERRORS


def test_many_errors_are_capped() -> None:
    text = "".join(f"k{i}: !t v\n" for i in range(1000))
    _, diags = parse(text)
    assert len(diags) == loader._MAX_ERRORS


def test_several_errors_are_reported_together(parser: str) -> None:
    doc, diags = parse("a: 1\na: 2\nb: !x 3\nc: &y 4\n")
    assert doc is None
    assert [d.code for d in diags] == ["yaml-duplicate-key", "yaml-tag", "yaml-alias"]


def test_unexpected_failure_becomes_a_diagnostic(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str) -> Any:
        raise MemoryError

    monkeypatch.setattr(loader, "_parser_for", broken)
    diag = only_error("a: 1\n")
    assert diag.message.startswith("cannot parse the YAML")
    assert diag.location.line == 1


def test_never_raises_on_noise(parser: str) -> None:
    rng = random.Random(20270630)
    alphabet = b"ab:-[]{}?&*!|>'\"#%@` ,\n\t\r\\0.~\xc3\xa9\xe9"
    for _ in range(300):
        raw = bytes(rng.choice(alphabet) for _ in range(rng.randrange(1, 80)))
        doc, diags = parse_yaml(raw, "noise.yaml")
        assert (doc is None) == bool(diags), raw
        assert all(d.severity is Severity.ERROR for d in diags)


# --- reading files ---------------------------------------------------------------


def test_load_yaml_reads_the_file(tmp_path: Path) -> None:
    file = tmp_path / "role.yaml"
    file.write_bytes(ROLE.encode())
    doc, diags = load_yaml(file)
    assert diags == []
    assert doc is not None
    assert doc.file == str(file)
    assert doc.data["id"] == "payroll-specialist"


def test_load_yaml_display_name(tmp_path: Path) -> None:
    file = tmp_path / "role.yaml"
    file.write_bytes(b"a: 1\na: 2\n")
    _, diags = load_yaml(file, "roles/finance/role.yaml")
    assert str(diags[0].location) == "roles/finance/role.yaml:2:1"


def test_load_yaml_missing_file(tmp_path: Path) -> None:
    doc, diags = load_yaml(tmp_path / "missing.yaml", "roles/missing.yaml")
    assert doc is None
    assert len(diags) == 1
    assert diags[0].location.file == "roles/missing.yaml"
    assert diags[0].message.startswith("cannot read the file")


def test_load_yaml_directory(tmp_path: Path) -> None:
    doc, diags = load_yaml(tmp_path)
    assert doc is None
    assert diags[0].message.startswith("cannot read the file")


def test_load_yaml_refuses_large_file_without_reading_it_all(tmp_path: Path) -> None:
    file = tmp_path / "big.yaml"
    file.write_bytes(b"#" * (MAX_BYTES + 100_000))
    doc, diags = load_yaml(file)
    assert doc is None
    assert diags[0].message == "file is too large (1,100,000 bytes; the limit is 1,000,000)"
