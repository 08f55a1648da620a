"""The role and teams schemas, and how their errors are explained."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from generator.diagnostics.values import Severity
from generator.load.schema import load_schema, schema_text, validate_role, validate_teams
from generator.load.strict_yaml import DataPath, Document, parse_yaml

_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")

VALID_ROLE = """\
# yaml-language-server: $schema=../../generator/load/schemas/role.schema.json
id: benefits-specialist
title: Benefits Specialist
team: people
reports_to: head-of-people
owners: ["@anna-kowalska"]
summary: >
  Makes sure every employee gets the benefits they are entitled to.
review_by: "2027-06-30"
responsibilities:
  - id: benefit-claims
    text: Process employees' benefit documents.
    share: 50
expectations:
  - id: claim-turnaround
    text: Complete benefit documents are decided quickly.
    measure: business days from a complete submission to a decision
    better: lower
    meets: 3
    exceeds: 2
    volume: up to 60 claims a month
  - id: colleague-rating
    text: Colleagues are satisfied with the benefits service.
    source: feedback
    commitment: benefit-documents
    better: higher
    meets: 4.2
    exceeds: 4.6
commitments:
  - id: benefit-documents
    service: Processing benefit documents
    customers: [everyone, team:people, role:head-of-people]
    request_via: "people@example.com or #people-help"
    requester_provides:
      - the completed benefit form
    targets:
      - priority: urgent
        response: 2h
        resolution: 1d
      - priority: normal
        response: 1.5d
    hours: business
    escalate_to: head-of-people
rewards:
  - id: service-star
    reward: Quarterly bonus of up to 10% of base pay
    requires:
      claim-turnaround: exceeds
      colleague-rating: meets
"""

VALID_TEAMS = """\
# yaml-language-server: $schema=../generator/load/schemas/teams.schema.json
organisation: Example Ltd.
teams:
  - id: operations
    name: Operations
  - id: people
    name: People & Culture
    parent: operations
    lead: head-of-people
    channel: "#people-help"
    kind: internal
  - id: board
    name: The Board
    kind: external
"""


# --- building documents with positions -------------------------------------------------


def _scalar(node: yaml.Node) -> Any:
    """A scalar as YAML 1.2's core schema reads it (dates stay text)."""
    value = str(node.value)
    if getattr(node, "style", None):
        return value
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return value.lower() == "true"
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    return value


Marks = dict[DataPath, tuple[int, int]]


def _build(node: yaml.Node, path: DataPath, marks: Marks, keys: Marks) -> Any:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            keys[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _build(value_node, (*path, key), marks, keys)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), marks, keys) for i, item in enumerate(node.value)]
    return _scalar(node)


def make_doc(text: str, file: str = "roles/people/benefits-specialist.yaml") -> Document:
    """A Document with the position of every value and key, as the loader provides."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    marks: Marks = {}
    keys: Marks = {}
    data = None if node is None else _build(node, (), marks, keys)
    return Document(file=file, data=data, text=text, marks=marks, key_marks=keys)


def edit(old: str, new: str, text: str = VALID_ROLE) -> str:
    """The valid role with one change; fails loudly when the change does not apply."""
    assert old in text, old
    return text.replace(old, new, 1)


# --- valid files --------------------------------------------------------------------


def test_valid_role_passes() -> None:
    assert validate_role(make_doc(VALID_ROLE)) == []


def test_valid_teams_passes() -> None:
    assert validate_teams(make_doc(VALID_TEAMS, "roles/teams.yaml")) == []


def test_minimal_role_passes() -> None:
    text = """\
id: a
title: A
team: t
summary: S.
responsibilities: [{id: r, text: R.}]
expectations: [{id: e, text: E., measure: m, better: higher, meets: 1}]
"""
    assert validate_role(make_doc(text)) == []


# --- failing examples ---------------------------------------------------------------------

FAILURES = [
    pytest.param(
        edit("commitments:\n", "comitments:\n"),
        (29, 1, "$.comitments", "unknown field 'comitments'", "did you mean 'commitments'?"),
        id="unknown-field",
    ),
    pytest.param(
        edit("    text: Process employees' benefit documents.\n", ""),
        (
            11,
            5,
            "$.responsibilities[0]",
            "responsibility 'benefit-claims': 'text' is a required property",
            "text: ",
        ),
        id="missing-required",
    ),
    pytest.param(
        edit("id: benefits-specialist", "id: Benefits Specialist"),
        (
            2,
            5,
            "$.id",
            "'Benefits Specialist' is not a valid id (lowercase words joined by hyphens)",
            "'benefits-specialist'",
        ),
        id="bad-id",
    ),
    pytest.param(
        edit("response: 2h", "response: 2x"),
        (
            38,
            19,
            "$.commitments[0].targets[0].response",
            "service 'benefit-documents', target 'urgent': '2x' is not a duration like 30m, 2h,"
            " 3d or 1w",
            "m, h, d or w",
        ),
        id="bad-duration",
    ),
    pytest.param(
        edit("response: 2h", "response: 0h"),
        (
            38,
            19,
            "$.commitments[0].targets[0].response",
            "service 'benefit-documents', target 'urgent': '0h' is not a duration like 30m, 2h,"
            " 3d or 1w",
            "more than zero",
        ),
        id="zero-duration",
    ),
    pytest.param(
        edit("team:people, role", "team: people, role"),
        (
            32,
            27,
            "$.commitments[0].customers[1]",
            "service 'benefit-documents': 'team: people' must be written without a space as"
            " 'team:people'",
            "drop the space",
        ),
        id="customer-with-space",
    ),
    pytest.param(
        edit("better: lower", "better: lowest"),
        (
            18,
            13,
            "$.expectations[0].better",
            "expectation 'claim-turnaround': 'lowest' is not allowed for 'better': use lower or"
            " higher",
            "did you mean 'lower'?",
        ),
        id="wrong-enum",
    ),
    pytest.param(
        edit("    measure: business days from a complete submission to a decision\n", ""),
        (
            15,
            5,
            "$.expectations[0]",
            "expectation 'claim-turnaround': 'measure' is a required property",
            "measure: ",
        ),
        id="measure-missing-for-manual",
    ),
    pytest.param(
        edit("    commitment: benefit-documents\n", ""),
        (
            22,
            5,
            "$.expectations[1]",
            "expectation 'colleague-rating': 'commitment' is a required property",
            "commitment: ",
        ),
        id="commitment-missing-for-feedback",
    ),
    pytest.param(
        edit("share: 50", "share: 120"),
        (
            13,
            12,
            "$.responsibilities[0].share",
            "responsibility 'benefit-claims': 'share' must be at most 100, not 120",
            "",
        ),
        id="share-over-100",
    ),
    pytest.param(
        edit("share: 50", "share: 0"),
        (
            13,
            12,
            "$.responsibilities[0].share",
            "responsibility 'benefit-claims': 'share' must be more than 0, not 0",
            "",
        ),
        id="share-zero",
    ),
    pytest.param(
        edit("title: Benefits Specialist", "title: >\n  Benefits Specialist"),
        (3, 8, "$.title", "'title' must be a single line", "line break"),
        id="newline-in-title",
    ),
    pytest.param(
        edit("title: Benefits Specialist", "title: 2024"),
        (3, 8, "$.title", "'title' must be text, not a number", 'read as text: "2024"'),
        id="number-as-title",
    ),
    pytest.param(
        edit('review_by: "2027-06-30"', "review_by: 30.06.2027"),
        (9, 12, "$.review_by", "'30.06.2027' is not a date like 2027-06-30", "YYYY-MM-DD"),
        id="bad-date",
    ),
    pytest.param(
        edit('review_by: "2027-06-30"', 'review_by: "2027-02-30"'),
        (9, 12, "$.review_by", "'2027-02-30' is not a real calendar date", ""),
        id="impossible-date",
    ),
    pytest.param(
        edit("meets: 4.2", "meets: 42"),
        (
            27,
            12,
            "$.expectations[1].meets",
            "expectation 'colleague-rating': 'meets' must be at most 5, not 42",
            "1 to 5",
        ),
        id="feedback-scale",
    ),
    pytest.param(
        edit("claim-turnaround: exceeds", "Claim Turnaround: exceeds"),
        (
            48,
            7,
            '$.rewards[0].requires["Claim Turnaround"]',
            "reward 'service-star': 'Claim Turnaround' is not a valid id (lowercase words joined"
            " by hyphens)",
            "'claim-turnaround'",
        ),
        id="bad-requires-key",
    ),
    pytest.param(
        edit("customers: [everyone, team:people, role:head-of-people]", "customers: everyone"),
        (
            32,
            16,
            "$.commitments[0].customers",
            "service 'benefit-documents': 'customers' must be a list, not text",
            "[every",
        ),
        id="customers-not-a-list",
    ),
    pytest.param(
        edit("title: Benefits Specialist", "title:"),
        (3, 7, "$.title", "'title' is empty", "write a value"),
        id="empty-title",
    ),
    pytest.param(
        "- id: benefits-specialist\n",
        (1, 1, "$", "a role file must be a mapping of fields (id, title, …)", "leading '-'"),
        id="list-root",
    ),
    pytest.param(
        "",
        (1, 1, "$", "a role file must be a mapping of fields (id, title, …)", "empty"),
        id="empty-file",
    ),
    pytest.param(
        "just some words\n",
        (1, 1, "$", "a role file must be a mapping of fields (id, title, …)", "name: value"),
        id="text-root",
    ),
]


@pytest.mark.parametrize(("text", "expected"), FAILURES)
def test_role_failure_is_explained(text: str, expected: tuple[int, int, str, str, str]) -> None:
    line, column, path, message, hint = expected
    diags = validate_role(make_doc(text))
    assert len(diags) == 1, [d.headline for d in diags]
    diag = diags[0]
    assert (diag.location.line, diag.location.column) == (line, column)
    assert diag.path == path
    assert diag.message == message
    assert hint in diag.hint
    assert diag.code == "HB001"
    assert diag.severity is Severity.ERROR
    assert diag.location.file == "roles/people/benefits-specialist.yaml"


def test_unknown_field_points_at_the_key_and_lists_fields_without_a_close_match() -> None:
    text = edit("    share: 50\n", "    share: 50\n    zzz: 1\n")
    (diag,) = validate_role(make_doc(text))
    assert (diag.location.line, diag.location.column) == (14, 5)
    assert diag.message == "responsibility 'benefit-claims': unknown field 'zzz'"
    assert diag.hint == "allowed fields: id, share, text"


def test_trailing_newline_in_an_id_is_rejected() -> None:
    text = edit("id: benefits-specialist", "id: |\n  benefits-specialist")
    (diag,) = validate_role(make_doc(text))
    assert diag.path == "$.id"
    assert "\\n" in diag.message


def test_all_errors_are_reported_in_position_order() -> None:
    text = edit("share: 50", "share: 500", edit("better: lower", "better: up"))
    text = edit("title: Benefits Specialist", "titel: Benefits Specialist", text)
    diags = validate_role(make_doc(text))
    lines = [d.location.line for d in diags]
    assert lines == sorted(lines)
    assert [d.path for d in diags] == [
        "$",
        "$.titel",
        "$.responsibilities[0].share",
        "$.expectations[0].better",
    ]
    assert diags[0].message == "'title' is a required property"


def test_teams_failures_are_explained() -> None:
    text = edit("kind: external", "kind: outside", VALID_TEAMS)
    text = edit("    name: Operations\n", "", text)
    diags = validate_teams(make_doc(text, "roles/teams.yaml"))
    assert [(d.location.line, d.path, d.message) for d in diags] == [
        (4, "$.teams[0]", "team 'operations': 'name' is a required property"),
        (
            13,
            "$.teams[2].kind",
            "team 'board': 'outside' is not allowed for 'kind': use internal or external",
        ),
    ]


def test_teams_root_must_be_a_mapping() -> None:
    (diag,) = validate_teams(make_doc("- id: people\n", "roles/teams.yaml"))
    assert diag.message == "the teams file must be a mapping of fields (organisation, teams)"


def test_with_the_project_loader() -> None:
    try:
        doc, problems = parse_yaml(VALID_ROLE.encode(), "roles/people/benefits-specialist.yaml")
    except NotImplementedError:
        pytest.skip("the strict loader is not available yet")
    assert problems == []
    assert doc is not None
    assert validate_role(doc) == []
    bad, _ = parse_yaml(edit("response: 2h", "response: 2x").encode(), "x.yaml")
    assert bad is not None
    assert [(d.location.line, d.location.column) for d in validate_role(bad)] == [(38, 19)]


# --- the schemas themselves -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["role", "teams"])
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = json.loads(schema_text(name))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/schema/{name}.schema.json")
    assert schema == load_schema(name)


def _properties(node: Any, where: str = "$") -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every named property of every object in a schema (conditions under allOf excluded)."""
    if isinstance(node, list):
        for item in node:
            yield from _properties(item, where)
    if not isinstance(node, Mapping):
        return
    for key, value in node.items():
        if key == "properties":
            for name, prop in value.items():
                yield f"{where}.{name}", prop
                yield from _properties(prop, f"{where}.{name}")
        elif key != "allOf":
            yield from _properties(value, f"{where}/{key}")


def _objects(node: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, Mapping):
        if node.get("type") == "object":
            yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for item in node:
            yield from _objects(item)


@pytest.mark.parametrize("name", ["role", "teams"])
def test_every_property_has_a_description(name: str) -> None:
    schema = load_schema(name)
    found = list(_properties(schema))
    assert len(found) > 5
    for where, prop in found:
        assert prop.get("description", "").strip(), f"{name}: {where} has no description"


@pytest.mark.parametrize("name", ["role", "teams"])
def test_every_object_is_closed(name: str) -> None:
    for obj in _objects(load_schema(name)):
        assert "additionalProperties" in obj, obj.get("title", obj)
        if "properties" in obj:
            assert obj["additionalProperties"] is False
