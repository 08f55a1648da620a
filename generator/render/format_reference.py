"""The "Role format reference" page, rendered from the JSON Schemas so it never drifts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from markdown.extensions.toc import slugify

from generator.i18n import mark, mark_plural, translate, translate_plural

__all__ = ["EXAMPLE_ROLE", "EXAMPLE_TEAMS", "Schema", "render_format_reference"]

Schema = Mapping[str, Any]

EXAMPLE_TEAMS = """\
# yaml-language-server: $schema=../schema/teams.schema.json
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
# yaml-language-server: $schema=../../schema/role.schema.json
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
    keywords: [benefit claim, claim form, reimbursement form]
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

_INTRO = mark(
    """\
Every role is one YAML file under `roles/` (any folder), named after its id:
`roles/people/benefits-specialist.yaml` holds the role `benefits-specialist`.
The organisation's teams live in `roles/teams.yaml`. This page lists every
field; it is generated from the JSON Schemas that check the files, so it is
always up to date.

Editors that understand JSON Schema (for example VS Code with the YAML
extension) complete field names and explain them as you type when the file
starts with a line such as
`# yaml-language-server: $schema=../../schema/role.schema.json`.
The schemas are also published with this handbook as `schema/role.schema.json`
and `schema/teams.schema.json`.

Ids are short names in kebab-case. Text fields hold one line of plain text,
except `summary` and `text`, which may span several lines and use Markdown.
Dates and anything that could be misread as a number or `true`/`false` are
best written in quotes.
"""
)

_BOUNDS = (
    ("exclusiveMinimum", mark("more than %(value)s")),
    ("minimum", mark("at least %(value)s")),
    ("maximum", mark("at most %(value)s")),
    ("exclusiveMaximum", mark("less than %(value)s")),
)

_AND, _OR = mark("and"), mark("or")
_CHARACTERS = mark_plural("up to %(num)s character", "up to %(num)s characters")
_LINES = mark_plural("up to %(num)s line", "up to %(num)s lines")
_LINE_LIMIT = re.compile(r"\{0,([0-9]+)\}\$$")
"""The repetition that bounds the number of lines in a Markdown pattern."""

_TYPES = {
    "string": mark("text"),
    "number": mark("number"),
    "integer": mark("whole number"),
    "boolean": mark("true or false"),
}


class _Words:
    """The page's fixed words and the schemas' texts in one language."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, message: str, **values: object) -> str:
        text = translate(self.language, message)
        return text % values if values else text

    def plural(self, singular: str, plural: str, count: int, **values: object) -> str:
        return translate_plural(self.language, singular, plural, count) % values

    def join(self, items: Iterable[str], word: str) -> str:
        """``a``, ``a and b``, ``a or b or c``: ``word`` is ``and`` or ``or``."""
        return f" {self(word)} ".join(items)

    def schema_text(self, schema: Schema, key: str) -> str:
        """A schema's ``title`` or ``description``, translated (the English text is the msgid)."""
        text = str(schema.get(key, ""))
        return self(text) if text else ""


# --- public ---------------------------------------------------------------------


def render_format_reference(schemas: Mapping[str, Schema], language: str = "en") -> str:
    """The reference page of the ``role`` and ``teams`` schemas, in ``language``."""
    _ = _Words(language)
    teams, role, measured = schemas["teams"], schemas["role"], schemas["measurements"]
    parts = ["# " + _("Role format reference"), translate(language, _INTRO).strip()]
    for root, schema in _sections(teams, role, measured):
        parts.append(_render_object(_, root, schema))
    parts.append(_render_formats(_, role, teams))
    parts.append(_render_examples(_))
    return "\n\n".join(parts) + "\n"


# --- sections -------------------------------------------------------------------


def _sections(*roots: Schema) -> Iterator[tuple[Schema, Schema]]:
    """Each object kind in reading order: teams file, team, role and its parts, measurements."""
    for root in roots:
        yield root, root
        for sub in root.get("$defs", {}).values():
            if "properties" in sub:
                yield root, sub


def _render_object(_: _Words, root: Schema, schema: Schema) -> str:
    lines = [
        f"## {_.schema_text(schema, 'title')}",
        "",
        _escape(_.schema_text(schema, "description")),
    ]
    if schema is root:
        lines += ["", _where(_, root)]
    headers = (_("Field"), _("Required"), _("Type and allowed values"), _("Description"))
    lines += ["", "| " + " | ".join(headers) + " |"]
    lines.append("| --- | --- | --- | --- |")
    required = set(schema.get("required", []))
    conditions = _conditional_required(_, schema)
    for name, prop in schema["properties"].items():
        needed = _("yes") if name in required else conditions.get(name, _("no"))
        description = _escape(_.schema_text(prop, "description"))
        cells = [f"`{name}`", needed, _type_cell(_, root, prop), description]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    rules = list(_condition_rules(_, schema))
    if rules:
        lines += ["", *rules]
    return "\n".join(lines)


def _where(_: _Words, root: Schema) -> str:
    if str(root.get("$id", "")).endswith("/teams.schema.json"):
        return _("The file `roles/teams.yaml`.")
    return _("One file per role: `roles/<any folders>/<role id>.yaml`.")


# --- conditions (allOf: if / then) ------------------------------------------------


def _conditions(_: _Words, schema: Schema) -> Iterator[tuple[str, Schema]]:
    """Each ``if``/``then`` of an object as (plain-words condition, then-schema)."""
    for rule in schema.get("allOf", []):
        if "if" in rule and "then" in rule:
            yield _describe_if(_, schema, rule["if"]), rule["then"]


def _describe_if(_: _Words, schema: Schema, cond: Schema) -> str:
    words = []
    for name, sub in cond.get("properties", {}).items():
        if "const" not in sub:
            continue
        value = sub["const"]
        default = schema.get("properties", {}).get(name, {}).get("default")
        absent = name not in cond.get("required", [])
        if absent and value == default:
            words.append(_("`%(name)s` is `%(value)s` (or left out)", name=name, value=value))
        else:
            words.append(_("`%(name)s` is `%(value)s`", name=name, value=value))
    return _.join(words, _AND) or _("the condition holds")


def _conditional_required(_: _Words, schema: Schema) -> dict[str, str]:
    """Each field required under conditions: "when A", or "when A or when B"."""
    found: dict[str, list[str]] = {}
    for condition, then in _conditions(_, schema):
        for name in then.get("required", []):
            found.setdefault(name, []).append(_("when %(condition)s", condition=condition))
    return {name: _.join(conditions, _OR) for name, conditions in found.items()}


def _condition_rules(_: _Words, schema: Schema) -> Iterator[str]:
    for condition, then in _conditions(_, schema):
        for name, sub in then.get("properties", {}).items():
            bounds = _bounds(_, sub)
            if bounds:
                rule = _(
                    "When %(condition)s, `%(name)s` is %(bounds)s.",
                    condition=condition,
                    name=name,
                    bounds=bounds,
                )
                yield f"- {rule}"


# --- table cells ------------------------------------------------------------------


def _type_cell(_: _Words, root: Schema, prop: Schema) -> str:
    """The type and allowed values of one field, in plain words."""
    ref = _ref_name(prop)
    if ref:
        target = root["$defs"][ref]
        if "properties" in target:
            return _link(_, target)
        return _join(_format_word(_, ref, target), _limits(_, {**target, **prop}))
    if "enum" in prop:
        return _enum_words(_, prop)
    kind = prop.get("type")
    if kind == "array":
        words, each = _item_words(_, root, prop.get("items", {}))
        limits = [_("%(limits)s each", limits=each) if each else "", _limits(_, prop)]
        return _join(words, "; ".join(x for x in limits if x))
    if kind == "object":
        return _map_words(_, root, prop)
    return _join(_type_word(_, kind), _bounds(_, prop))


def _enum_words(_: _Words, prop: Schema) -> str:
    choices = _.join((f"`{v}`" for v in prop["enum"]), _OR)
    if "default" not in prop:
        return choices
    return _("%(choices)s; default `%(default)s`", choices=choices, default=prop["default"])


def _type_word(_: _Words, kind: object) -> str:
    word = _TYPES.get(str(kind))
    return _(word) if word else str(kind)


def _item_words(_: _Words, root: Schema, items: Schema) -> tuple[str, str]:
    """How a list and its items are described, and the limits on each item."""
    ref = _ref_name(items)
    if not ref:
        kind = items.get("type")
        words = _("list of %(kind)s", kind=_type_word(_, kind)) if kind else _("list")
        return words, _limits(_, items)
    target = root["$defs"][ref]
    if "properties" in target:
        return _("list of %(kind)s entries", kind=_link(_, target)), ""
    kind = _format_word(_, ref, target)
    return _("list of %(kind)s values", kind=kind), _limits(_, {**target, **items})


def _map_words(_: _Words, root: Schema, prop: Schema) -> str:
    values = prop.get("additionalProperties", {})
    choices = _.join((f"`{v}`" for v in values.get("enum", [])), _OR)
    key_ref = _ref_name(prop.get("propertyNames", {}))
    keys = _format_word(_, key_ref, root["$defs"][key_ref]) if key_ref else _("names")
    return _join(
        _("mapping of %(keys)s to %(values)s", keys=keys, values=choices), _limits(_, prop)
    )


def _format_word(_: _Words, ref: str, target: Schema) -> str:
    word = _.schema_text(target, "title") or ref
    if ref not in _FORMAT_REFS and target.get("title") not in _FORMAT_TITLES:
        return word
    anchor = _slug(_("Formats"))
    return f"[{word}](#{anchor})"


def _link(_: _Words, target: Schema) -> str:
    title = _.schema_text(target, "title")
    return f"[{title}](#{_slug(title)})"


def _limits(_: _Words, schema: Schema) -> str:
    words = []
    if "minItems" in schema:
        words.append(_("at least %(value)s", value=schema["minItems"]))
    if "minProperties" in schema:
        words.append(_("at least %(value)s", value=schema["minProperties"]))
    if "maxItems" in schema:
        words.append(_("at most %(value)s", value=schema["maxItems"]))
    if "maxProperties" in schema:
        words.append(_("at most %(value)s", value=schema["maxProperties"]))
    if "maxLength" in schema:
        count = int(schema["maxLength"])
        words.append(_.plural(*_CHARACTERS, count, num=count))
    lines = _LINE_LIMIT.search(str(schema.get("pattern", "")))
    if lines:
        count = int(lines.group(1)) + 1
        words.append(_.plural(*_LINES, count, num=count))
    if schema.get("uniqueItems"):
        words.append(_("no repeats"))
    return ", ".join(words)


def _bounds(_: _Words, schema: Schema) -> str:
    return _.join((_(word, value=schema[key]) for key, word in _BOUNDS if key in schema), _AND)


def _join(head: str, tail: str) -> str:
    return f"{head} ({tail})" if tail else head


def _ref_name(schema: Any) -> str:
    ref = schema.get("$ref", "") if isinstance(schema, Mapping) else ""
    return str(ref).rsplit("/", 1)[-1] if ref else ""


# --- formats and examples -----------------------------------------------------------

_FORMAT_REFS = ("id", "line", "markdown", "date", "duration", "customer")
_FORMAT_TITLES = frozenset({"single-line text", "Markdown text"})
"""Titles of the bounded variants of the line and Markdown formats, linked like them."""


def _render_formats(_: _Words, role: Schema, teams: Schema) -> str:
    defs = {**teams.get("$defs", {}), **role.get("$defs", {})}
    lines = ["## " + _("Formats"), ""]
    for ref in _FORMAT_REFS:
        target = defs[ref]
        title = _.schema_text(target, "title")
        description = _escape(_.schema_text(target, "description"))
        pattern = (
            " " + _("Pattern: `%(pattern)s`.", pattern=target["pattern"])
            if "pattern" in target
            else ""
        )
        lines.append(f"- **{title}**: {description}{pattern}")
    return "\n".join(lines)


def _render_examples(_: _Words) -> str:
    return "\n".join(
        [
            "## " + _("Examples"),
            "",
            _("A complete role file, `roles/people/benefits-specialist.yaml`:"),
            "",
            "```yaml",
            EXAMPLE_ROLE.rstrip("\n"),
            "```",
            "",
            _("The teams file, `roles/teams.yaml`:"),
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
    """The anchor MkDocs gives a heading (accents dropped, as its table of contents does)."""
    return str(slugify(title, "-"))
