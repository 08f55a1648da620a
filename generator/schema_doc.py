"""The "Role format reference" page, rendered from the JSON Schemas so it never drifts."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from .schema import load_schema

__all__ = ["EXAMPLE_ROLE", "EXAMPLE_TEAMS", "render_format_reference"]

Schema = Mapping[str, Any]

EXAMPLE_TEAMS = """\
# yaml-language-server: $schema=../generator/schema/teams.schema.json
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
"""

EXAMPLE_ROLE = """\
# yaml-language-server: $schema=../../generator/schema/role.schema.json
id: benefits-specialist
title: Benefits Specialist
team: people
reports_to: head-of-people
owners: ["@anna-kowalska"]
summary: >
  Makes sure every employee gets the benefits they are entitled to,
  quickly and without chasing.
review_by: "2027-06-30"

responsibilities:
  - id: benefit-claims
    text: Process employees' benefit documents (medical cover, sport cards,
      holiday allowance).
    share: 50
  - id: benefits-questions
    text: Answer questions about the benefits package.
    share: 20

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
    customers: [everyone]
    request_via: "people@example.com or #people-help"
    requester_provides:
      - the completed benefit form
      - a scan of the invoice
    targets:
      - priority: urgent
        response: 2h
        resolution: 1d
      - priority: normal
        response: 1d
        resolution: 3d
    hours: business
    escalate_to: head-of-people

rewards:
  - id: service-star
    reward: Quarterly bonus of up to 10% of base pay
    requires:
      claim-turnaround: exceeds
      colleague-rating: meets
"""

_INTRO = """\
Every role is one YAML file under `roles/` (any folder), named after its id:
`roles/people/benefits-specialist.yaml` holds the role `benefits-specialist`.
The organisation's teams live in `roles/teams.yaml`. This page lists every
field; it is generated from the JSON Schemas that check the files, so it is
always up to date.

Editors that understand JSON Schema (for example VS Code with the YAML
extension) complete field names and explain them as you type when the file
starts with a line such as
`# yaml-language-server: $schema=../../generator/schema/role.schema.json`.
The schemas are also published with this handbook as `schema/role.schema.json`
and `schema/teams.schema.json`.

Ids are short names in kebab-case. Text fields hold one line of plain text,
except `summary` and `text`, which may span several lines and use Markdown.
Dates and anything that could be misread as a number or `true`/`false` are
best written in quotes.
"""

_BOUNDS = (
    ("exclusiveMinimum", "more than"),
    ("minimum", "at least"),
    ("maximum", "at most"),
    ("exclusiveMaximum", "less than"),
)


# --- public ---------------------------------------------------------------------


def render_format_reference() -> str:
    """The complete Markdown page: intro, one table per object kind, formats, examples."""
    teams, role = load_schema("teams"), load_schema("role")
    parts = ["# Role format reference", _INTRO.strip()]
    for root, schema, heading in _sections(teams, role):
        parts.append(_render_object(root, schema, heading))
    parts.append(_render_formats(role, teams))
    parts.append(_render_examples())
    return "\n\n".join(parts) + "\n"


# --- sections -------------------------------------------------------------------


def _sections(teams: Schema, role: Schema) -> Iterator[tuple[Schema, Schema, str]]:
    """Each object kind in reading order: teams file, team, role and its parts."""
    for root in (teams, role):
        yield root, root, str(root["title"])
        for sub in root.get("$defs", {}).values():
            if "properties" in sub:
                yield root, sub, str(sub["title"])


def _render_object(root: Schema, schema: Schema, heading: str) -> str:
    lines = [f"## {heading}", "", _escape(schema.get("description", ""))]
    if schema is root:
        lines += ["", _where(heading)]
    lines += ["", "| Field | Required | Type and allowed values | Description |"]
    lines.append("| --- | --- | --- | --- |")
    required = set(schema.get("required", []))
    conditions = _conditional_required(schema)
    for name, prop in schema["properties"].items():
        needed = "yes" if name in required else conditions.get(name, "no")
        cells = [f"`{name}`", needed, _type_cell(root, prop), _escape(prop.get("description", ""))]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    rules = list(_condition_rules(schema))
    if rules:
        lines += ["", *rules]
    return "\n".join(lines)


def _where(heading: str) -> str:
    if heading.lower().startswith("teams"):
        return "The file `roles/teams.yaml`."
    return "One file per role: `roles/<any folders>/<role id>.yaml`."


# --- conditions (allOf: if / then) ------------------------------------------------


def _conditions(schema: Schema) -> Iterator[tuple[str, Schema]]:
    """Each ``if``/``then`` of an object as (plain-words condition, then-schema)."""
    for rule in schema.get("allOf", []):
        if "if" in rule and "then" in rule:
            yield _describe_if(schema, rule["if"]), rule["then"]


def _describe_if(schema: Schema, cond: Schema) -> str:
    words = []
    for name, sub in cond.get("properties", {}).items():
        if "const" not in sub:
            continue
        value = sub["const"]
        default = schema.get("properties", {}).get(name, {}).get("default")
        absent = name not in cond.get("required", [])
        suffix = " (or left out)" if absent and value == default else ""
        words.append(f"`{name}` is `{value}`{suffix}")
    return " and ".join(words) or "the condition holds"


def _conditional_required(schema: Schema) -> dict[str, str]:
    out: dict[str, str] = {}
    for condition, then in _conditions(schema):
        for name in then.get("required", []):
            out[name] = f"when {condition}"
    return out


def _condition_rules(schema: Schema) -> Iterator[str]:
    for condition, then in _conditions(schema):
        for name, sub in then.get("properties", {}).items():
            bounds = _bounds(sub)
            if bounds:
                yield f"- When {condition}, `{name}` is {bounds}."


# --- table cells ------------------------------------------------------------------


def _type_cell(root: Schema, prop: Schema) -> str:
    """The type and allowed values of one field, in plain words."""
    ref = _ref_name(prop)
    if ref:
        target = root["$defs"][ref]
        if "properties" in target:
            return _link(target)
        return _join(_format_word(ref, target), _limits({**target, **prop}))
    if "enum" in prop:
        choices = " or ".join(f"`{v}`" for v in prop["enum"])
        default = f"; default `{prop['default']}`" if "default" in prop else ""
        return f"{choices}{default}"
    kind = prop.get("type")
    if kind == "array":
        words, each = _item_words(root, prop.get("items", {}))
        limits = [f"{each} each" if each else "", _limits(prop)]
        return _join(f"list of {words}", "; ".join(x for x in limits if x))
    if kind == "object":
        return _map_words(root, prop)
    return _join(str(kind), _bounds(prop))


def _item_words(root: Schema, items: Schema) -> tuple[str, str]:
    """How list items are described, and the limits on each item."""
    ref = _ref_name(items)
    if not ref:
        return str(items.get("type", "values")), _limits(items)
    target = root["$defs"][ref]
    if "properties" in target:
        return f"{_link(target)} entries", ""
    return f"{_format_word(ref, target)} values", _limits(items)


def _map_words(root: Schema, prop: Schema) -> str:
    values = prop.get("additionalProperties", {})
    choices = " or ".join(f"`{v}`" for v in values.get("enum", []))
    key_ref = _ref_name(prop.get("propertyNames", {}))
    keys = _format_word(key_ref, root["$defs"][key_ref]) if key_ref else "names"
    return _join(f"mapping of {keys} to {choices}", _limits(prop))


def _format_word(ref: str, target: Schema) -> str:
    word = str(target.get("title", ref))
    return f"[{word}](#formats)" if ref in _FORMAT_REFS else word


def _link(target: Schema) -> str:
    title = str(target["title"])
    return f"[{title}](#{_slug(title)})"


def _limits(schema: Schema) -> str:
    words = []
    if "minItems" in schema:
        words.append(f"at least {schema['minItems']}")
    if "minProperties" in schema:
        words.append(f"at least {schema['minProperties']}")
    if "maxLength" in schema:
        words.append(f"up to {schema['maxLength']} characters")
    if schema.get("uniqueItems"):
        words.append("no repeats")
    return ", ".join(words)


def _bounds(schema: Schema) -> str:
    return " and ".join(f"{word} {schema[key]}" for key, word in _BOUNDS if key in schema)


def _join(head: str, tail: str) -> str:
    return f"{head} ({tail})" if tail else head


def _ref_name(schema: Any) -> str:
    ref = schema.get("$ref", "") if isinstance(schema, Mapping) else ""
    return str(ref).rsplit("/", 1)[-1] if ref else ""


# --- formats and examples -----------------------------------------------------------

_FORMAT_REFS = ("id", "line", "markdown", "date", "duration", "customer")


def _render_formats(role: Schema, teams: Schema) -> str:
    defs = {**teams.get("$defs", {}), **role.get("$defs", {})}
    lines = ["## Formats", ""]
    for ref in _FORMAT_REFS:
        target = defs[ref]
        pattern = f" Pattern: `{target['pattern']}`." if "pattern" in target else ""
        lines.append(f"- **{target['title']}**: {_escape(target['description'])}{pattern}")
    return "\n".join(lines)


def _render_examples() -> str:
    return "\n".join(
        [
            "## Examples",
            "",
            "A complete role file, `roles/people/benefits-specialist.yaml`:",
            "",
            "```yaml",
            EXAMPLE_ROLE.rstrip("\n"),
            "```",
            "",
            "The teams file, `roles/teams.yaml`:",
            "",
            "```yaml",
            EXAMPLE_TEAMS.rstrip("\n"),
            "```",
        ]
    )


# --- Markdown escaping ------------------------------------------------------------


def _escape(text: str) -> str:
    """Plain text made safe for Markdown: no HTML, no emphasis, no links."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text)


def _cell(text: str) -> str:
    """A table cell: one line, with ``|`` escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _slug(title: str) -> str:
    """The anchor MkDocs gives a heading."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
