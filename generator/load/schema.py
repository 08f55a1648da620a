"""JSON Schema check of role and teams files, explained as diagnostics with file:line:col."""

from __future__ import annotations

import datetime
import difflib
import functools
import importlib
import json
import pathlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from generator.diagnostics import codes, escape
from generator.diagnostics.values import Diagnostic, Msg, Text, msg, msg_plural
from generator.load.strict_yaml import Document

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

__all__ = [
    "SCHEMA_NAMES",
    "load_schema",
    "load_schemas",
    "schema_text",
    "validate_measurements",
    "validate_role",
    "validate_teams",
]

SCHEMA_NAMES = ("role", "teams", "measurements")

_ROOT_MESSAGES = {
    "role": msg("a role file must be a mapping of fields (id, title, …)"),
    "teams": msg("the teams file must be a mapping of fields (organisation, teams)"),
    "measurements": msg("a measurements file must be a mapping with 'values'"),
}
_TYPE_WORDS = {
    "string": msg("text"),
    "number": msg("a number"),
    "integer": msg("a whole number"),
    "boolean": msg("true or false"),
    "array": msg("a list"),
    "object": msg("a mapping of fields"),
    "null": msg("empty"),
}
_OR = msg("%(first)s or %(then)s")
_DID_YOU_MEAN = msg("did you mean '%(value)s'?")
_IS_EMPTY = msg("'%(field)s' is empty")
_WRITE_A_VALUE = msg("write a value after '%(field)s:'")
_SPACED_CUSTOMER = re.compile(r"(team|role)\s*:\s+(\S+)")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SHOWN_LENGTH = 60
MAX_MARKDOWN_LINES = 100
"""How many lines a Markdown field may have (the schema's ``markdown`` pattern)."""

Path = tuple[str | int, ...]
Explained = tuple[Path, Text, Text, bool]  # path, message, hint, point at the key
Told = tuple[Msg, Text]  # a message and its hint


# --- loading -----------------------------------------------------------------

SCHEMAS_FOLDER = pathlib.Path(__file__).with_name("schemas")
"""The package's schema files (beside the module: no import machinery to read them)."""


@functools.cache
def schema_text(name: str) -> str:
    """The raw JSON text of the ``role`` or ``teams`` schema, as published on the site."""
    if name not in SCHEMA_NAMES:
        raise ValueError(f"unknown schema {name!r}; use one of {', '.join(SCHEMA_NAMES)}")
    return (SCHEMAS_FOLDER / f"{name}.schema.json").read_text("utf-8")


@functools.cache
def load_schema(name: str) -> Mapping[str, Any]:
    """The parsed ``role`` or ``teams`` schema (shared; do not modify)."""
    schema: dict[str, Any] = json.loads(schema_text(name))
    return schema


def load_schemas() -> dict[str, Mapping[str, Any]]:
    """Every schema of the format, by name."""
    return {name: load_schema(name) for name in SCHEMA_NAMES}


def _ecma_anchors(pattern: str) -> str:
    """Rewrite ``$`` as ``\\Z`` so that, as in ECMA-262, it never matches before a final newline."""
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            out.append(r"\Z")
            continue
        out.append(char)
    return "".join(out)


@functools.cache
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(_ecma_anchors(pattern), re.ASCII)


def _pattern(
    validator: Validator, pattern: str, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    """The ``pattern`` keyword with the ECMA-262 meaning editors use."""
    if validator.is_type(instance, "string") and not _compile(pattern).search(instance):
        from jsonschema import ValidationError  # noqa: PLC0415 - loaded only to explain

        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.cache
def _validator_class() -> type[Validator]:
    """Draft 2020-12 with the ECMA-262 ``pattern`` (jsonschema is loaded on first use)."""
    from jsonschema import Draft202012Validator  # noqa: PLC0415 - only to explain failures
    from jsonschema.validators import extend  # noqa: PLC0415

    cls: type[Validator] = extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, {"pattern": _pattern}
    )
    return cls


def _is_date(value: object) -> bool:
    """A real calendar date; text of another shape is left to the ``pattern`` check."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        datetime.date.fromisoformat(value)
    return True


_ANNOTATIONS = frozenset({"title", "description", "markdownDescription", "default", "examples"})


def _inline(root: Mapping[str, Any], node: Any) -> Any:
    """A copy of ``node`` with every local ``$ref`` replaced by what it names.

    Validation gives the same verdicts and errors, about twice as fast, since no
    reference is looked up per value.
    """
    if isinstance(node, list):
        return [_inline(root, item) for item in node]
    if not isinstance(node, Mapping):
        return node
    rest = {k: _inline(root, v) for k, v in node.items() if k not in ("$ref", "$defs")}
    if "$ref" not in node:
        return rest
    target = _inline(root, _resolve(root, node))
    if (set(target) & set(rest)) - _ANNOTATIONS:
        return {**rest, "allOf": [target, *rest.get("allOf", [])]}
    return {**target, **rest}


def _real_date(value: str) -> bool:
    """The ``date`` format for the compiled check: text of a date's shape names a real day."""
    if _ISO_DATE.fullmatch(value):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return False
    return True


_DRAFT_07 = "http://json-schema.org/draft-07/schema#"


FORMATS: dict[str, Callable[[str], bool]] = {"date": _real_date}
"""The formats the compiled check decides with functions of its own."""
COMPILED_PACKAGE = f"{__package__}.compiled"
"""Where the checks compiled from the schemas are kept (``make schemas`` writes them)."""


def check_definition(name: str) -> dict[str, Any]:
    """The schema as the compiled check decides it: references inlined, read as draft 7.

    The schema uses no keyword beyond draft 7 once its references are inlined, so a
    draft-7 code generator decides it; patterns get the same ECMA-262 ``$``.
    """
    schema = load_schema(name)
    return {**_inline(schema, schema), "$schema": _DRAFT_07}


def _generated_check(name: str) -> Callable[[Any], object] | None:
    """The check compiled ahead of time, if it was compiled from the schema as it is now."""
    try:
        module = importlib.import_module(f"{COMPILED_PACKAGE}.{name}")
    except ImportError:
        return None
    if getattr(module, "SCHEMA", None) != schema_text(name):
        return None
    return functools.partial(module.CHECK, custom_formats=FORMATS)


@functools.cache
def _compiled_check(name: str) -> Callable[[Any], object] | None:
    """A compiled pass/fail check of the schema, or None when it cannot be built.

    The one compiled ahead of time is used while it matches the schema; otherwise
    (the schema was edited since) the check is compiled now.
    """
    try:
        check = _generated_check(name)
        if check is None:
            import fastjsonschema  # noqa: PLC0415 - only when the schema changed

            check = fastjsonschema.compile(check_definition(name), formats=FORMATS)
    except Exception:  # without it, jsonschema decides alone
        return None
    return check


def _passes(name: str, data: Any) -> bool:
    """True when the compiled check accepts ``data``; False means "ask jsonschema"."""
    check = _compiled_check(name)
    if check is None:
        return False
    try:
        check(data)
    except Exception:  # any doubt goes to the full validator
        return False
    return True


@functools.cache
def _validator(name: str) -> Validator:
    from jsonschema import FormatChecker  # noqa: PLC0415 - only to explain failures

    checker = FormatChecker(formats=())
    checker.checks("date", raises=ValueError)(_is_date)
    schema = load_schema(name)
    validator: Validator = _validator_class()(_inline(schema, schema), format_checker=checker)
    return validator


# --- public checks -------------------------------------------------------------


def validate_role(doc: Document) -> list[Diagnostic]:
    """Check one role file against the role schema; every problem, sorted by position."""
    return _validate("role", doc)


def validate_teams(doc: Document) -> list[Diagnostic]:
    """Check ``roles/teams.yaml`` against the teams schema; every problem, sorted by position."""
    return _validate("teams", doc)


def validate_measurements(doc: Document) -> list[Diagnostic]:
    """Check a manual measurements file against its schema."""
    return _validate("measurements", doc)


def role_errors(data: Any) -> list[ValidationError]:
    """The role schema's errors for ``data``, each narrowed to the alternative that fits best."""
    if _passes("role", data):
        return []
    from jsonschema.exceptions import best_match  # noqa: PLC0415 - see _validator_class

    def narrowed(error: ValidationError) -> ValidationError:
        while error.context:
            error = best_match(error.context)
        return error

    return [narrowed(error) for error in _validator("role").iter_errors(data)]


def required_fields(name: str, path: Sequence[str | int]) -> frozenset[str]:
    """The fields the schema requires in the mapping at ``path`` (conditions aside)."""
    return frozenset(_schema_at(load_schema(name), path).get("required", ()))


def missing_field(error: ValidationError) -> str:
    """The field a ``required`` error names."""
    return error.message.split("'")[1] if error.message.count("'") >= 2 else ""


def _validate(name: str, doc: Document) -> list[Diagnostic]:
    if not isinstance(doc.data, dict):
        return [_root_diagnostic(name, doc)]
    if _passes(name, doc.data):
        return []
    validator = _validator(name)
    if validator.is_valid(doc.data):
        return []
    errors = validator.iter_errors(doc.data)
    explained = _unique(item for error in errors for item in _explain(name, error))
    diags = [
        doc.diagnostic(path, message, hint=hint, code=codes.SCHEMA, key=key)
        for path, message, hint, key in explained
    ]
    return sorted(diags, key=lambda d: (d.location.line, d.location.column, d.path, d.message))


def _root_diagnostic(name: str, doc: Document) -> Diagnostic:
    data = doc.data
    if data is None:
        hint = msg("the file is empty; write one field per line, e.g. 'id: benefits-specialist'")
    elif isinstance(data, list):
        hint = msg("remove the leading '-': the file describes one thing, not a list")
    else:
        hint = msg("write one field per line as 'name: value'")
    return doc.diagnostic((), _ROOT_MESSAGES[name], hint=hint, code=codes.SCHEMA)


def _unique(items: Iterable[Explained]) -> list[Explained]:
    seen: set[tuple[Path, str, bool]] = set()
    out: list[Explained] = []
    for item in items:
        marker = (item[0], str(item[1]), item[3])
        if marker not in seen:
            seen.add(marker)
            out.append(item)
    return out


# --- explaining errors --------------------------------------------------------------


def _explain(name: str, error: ValidationError) -> list[Explained]:
    """Turn one validation error into short messages a manager can act on."""
    if error.context:
        from jsonschema.exceptions import best_match  # noqa: PLC0415 - see _validator_class

        return _explain(name, best_match(error.context))
    path: Path = tuple(error.absolute_path)
    keyword = error.validator
    if "propertyNames" in error.schema_path:
        key_path = (*path, str(error.instance))
        return [(key_path, _key_message(error), _id_hint(error.instance), True)]
    if keyword == "additionalProperties" and error.validator_value is False:
        return _explain_unknown(path, error)
    if keyword == "required":
        missing = missing_field(error)
        message = msg("'%(field)s' is a required property", field=missing)
        return [(path, message, _required_hint(name, path, missing), False)]
    explain = _EXPLAINERS.get(str(keyword))
    if explain is None:
        return [(path, msg("'%(field)s' does not fit the format", field=_label(path)), "", False)]
    message, hint = explain(name, _label(path), error)
    return [(path, message, hint, False)]


def _explain_unknown(path: Path, error: ValidationError) -> list[Explained]:
    schema: Any = error.schema
    instance: Any = error.instance
    allowed = sorted(schema.get("properties", {}))
    out: list[Explained] = []
    for key in instance:
        if key in allowed:
            continue
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = (
            msg(_DID_YOU_MEAN.template, value=close[0])
            if close
            else msg("allowed fields: %(fields)s", fields=", ".join(allowed))
        )
        out.append(((*path, key), msg("unknown field '%(field)s'", field=_show(key)), hint, True))
    return out


def _required_hint(name: str, path: Path, missing: str) -> Text:
    prop = _schema_at(load_schema(name), path).get("properties", {}).get(missing, {})
    description = prop.get("description", "")
    return (
        msg("%(field)s: %(description)s", field=missing, description=Msg(description))
        if description
        else ""
    )


def _key_message(error: ValidationError) -> Msg:
    if error.validator == "maxLength":
        return msg(
            "'%(value)s' is longer than %(limit)s characters",
            value=_show(error.instance),
            limit=error.validator_value,
        )
    return _id_message(error.instance)


def _label(path: Path) -> str:
    """The field a path ends in, for messages."""
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "value"


def _show(value: Any) -> str:
    """A value as the manager wrote it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict) and len(value) == 1:
        ((key, item),) = value.items()
        return f"{key}: {_show(item)}"
    text = escape.terminal(str(value))
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 1] + "…"


def _kind_of(value: Any) -> Msg:
    if value is None:
        return _TYPE_WORDS["null"]
    if isinstance(value, bool):
        return msg("true/false")
    if isinstance(value, int | float):
        return _TYPE_WORDS["number"]
    if isinstance(value, str):
        return _TYPE_WORDS["string"]
    if isinstance(value, list):
        return _TYPE_WORDS["array"]
    return _TYPE_WORDS["object"]


def _type_words(expected: str | Sequence[str]) -> Msg:
    names = [expected] if isinstance(expected, str) else list(expected)
    words = [_TYPE_WORDS.get(n, Msg(n)) for n in names]
    joined = words[0] if words else Msg("")
    for word in words[1:]:
        joined = msg(_OR.template, first=joined, then=word)
    return joined


def _explain_type(name: str, label: str, error: ValidationError) -> Told:
    value: Any = error.instance
    expected: Any = error.validator_value
    spaced = _spaced_customer(value) if label == "customers" else None
    if spaced:
        return spaced
    if value is None:
        return msg(_IS_EMPTY.template, field=label), msg(_WRITE_A_VALUE.template, field=label)
    message = msg(
        "'%(field)s' must be %(expected)s, not %(actual)s",
        field=label,
        expected=_type_words(expected),
        actual=_kind_of(value),
    )
    if expected == "string" and isinstance(value, bool | int | float):
        hint = msg('put the value in quotes so it is read as text: "%(value)s"', value=_show(value))
        return message, hint
    if expected == "array" and isinstance(value, str | int | float):
        return message, msg("write it as a list: [%(value)s]", value=_show(value))
    return message, ""


def _spaced_customer(value: Any) -> Told | None:
    """The message for ``team: people`` written with a space, as a mapping or as quoted text."""
    if isinstance(value, dict) and len(value) == 1:
        ((key, item),) = value.items()
        written, fixed = f"{key}: {_show(item)}", f"{key}:{_show(item)}"
    elif isinstance(value, str) and (match := _SPACED_CUSTOMER.fullmatch(value.strip())):
        written, fixed = value, f"{match[1]}:{match[2]}"
    else:
        return None
    return (
        msg(
            "'%(written)s' must be written without a space as '%(fixed)s'",
            written=written,
            fixed=fixed,
        ),
        msg(
            "drop the space after the colon: '%(written)s' is read as a mapping, '%(fixed)s'"
            " names a customer",
            written=written,
            fixed=fixed,
        ),
    )


def _explain_pattern(name: str, label: str, error: ValidationError) -> Told:
    value: Any = error.instance
    pattern: Any = error.validator_value
    kind = _def_name(name, pattern)
    if kind == "id":
        return _id_message(value), _id_hint(value)
    if kind in ("line", "markdown"):
        return _explain_text(label, str(value), kind)
    if kind == "date":
        return (
            msg("'%(value)s' is not a date like 2027-06-30", value=_show(value)),
            msg('write the date as "YYYY-MM-DD"'),
        )
    if kind == "duration":
        message = msg("'%(value)s' is not a duration like 30m, 2h, 3d or 1w", value=_show(value))
        return message, _duration_hint(value)
    if kind == "customer":
        return _spaced_customer(value) or _customer_message(value)
    message = msg(
        "'%(value)s' does not have the expected form for '%(field)s'",
        value=_show(value),
        field=label,
    )
    return message, ""


def _explain_text(label: str, value: str, kind: str) -> Told:
    """Why a text field's pattern failed: a control character, a line break, too many lines."""
    allowed = "" if kind == "line" else "\n\t\r"
    bad = next((c for c in value if escape.has_invisible(c) and c not in allowed), None)
    if kind == "line" and bad in ("\n", "\r"):
        hint = msg("remove the line break (a '>' or '|' block adds one at the end)")
        return msg("'%(field)s' must be a single line", field=label), hint
    if bad is not None:
        return (
            msg(
                "'%(field)s' holds the control character %(character)s",
                field=label,
                character=f"U+{ord(bad):04X}",
            ),
            msg("remove it; such characters are often pasted invisibly or written as escapes"),
        )
    lines = value.count("\n") + 1
    return (
        msg(
            "'%(field)s' has %(lines)s lines; the limit is %(limit)s",
            field=label,
            lines=lines,
            limit=MAX_MARKDOWN_LINES,
        ),
        msg("keep it short; split long lists into several responsibilities or expectations"),
    )


_CUSTOMERS = msg("use everyone, team:<id> or role:<id>")


def _customer_message(value: str) -> Told:
    close = difflib.get_close_matches(value.lower(), ["everyone"], n=1, cutoff=0.6)
    hint = msg(_DID_YOU_MEAN.template, value=close[0]) if close else _CUSTOMERS
    message = msg(
        "'%(value)s' is not a customer: use everyone, team:<id> or role:<id>", value=_show(value)
    )
    return message, hint


def _id_message(value: Any) -> Msg:
    return msg(
        "'%(value)s' is not a valid id (lowercase words joined by hyphens)", value=_show(value)
    )


def _duration_hint(value: str) -> Msg:
    if re.fullmatch(r"0+(\.0+)?[mhdw]", value):
        return msg("a duration must be more than zero")
    return msg("write a number followed by m, h, d or w, without a space")


def _id_hint(value: Any) -> Msg:
    slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")[:64].strip("-")
    if slug and slug != value:
        return msg("use lowercase letters, digits and single hyphens, e.g. '%(slug)s'", slug=slug)
    return msg("use lowercase letters, digits and single hyphens, at most 64 characters")


def _explain_enum(name: str, label: str, error: ValidationError) -> Told:
    choices_value: Any = error.validator_value
    allowed = [str(v) for v in choices_value]
    choices: Msg = Msg(allowed[0]) if allowed else Msg("")
    for choice in allowed[1:]:
        choices = msg(_OR.template, first=choices, then=choice)
    if error.instance is None:
        return msg(_IS_EMPTY.template, field=label), msg("use %(choices)s", choices=choices)
    close = difflib.get_close_matches(_show(error.instance).lower(), allowed, n=1)
    hint = msg(_DID_YOU_MEAN.template, value=close[0]) if close else ""
    message = msg(
        "'%(value)s' is not allowed for '%(field)s': use %(choices)s",
        value=_show(error.instance),
        field=label,
        choices=choices,
    )
    return message, hint


def _explain_format(name: str, label: str, error: ValidationError) -> Told:
    return (
        msg("'%(value)s' is not a real calendar date", value=_show(error.instance)),
        msg("that day does not exist"),
    )


def _explain_size(name: str, label: str, error: ValidationError) -> Told:
    limit, keyword = error.validator_value, error.validator
    count = limit if isinstance(limit, int) else 0
    if keyword == "maxLength":
        hint = msg("keep it short; details belong in summary or text")
        return msg(
            "'%(field)s' is longer than %(limit)s characters", field=label, limit=limit
        ), hint
    if keyword == "minLength":
        return (
            msg("'%(field)s' must not be empty", field=label),
            msg(_WRITE_A_VALUE.template, field=label),
        )
    if keyword == "minItems":
        message = msg_plural(
            "'%(field)s' must list at least %(count)s entry",
            "'%(field)s' must list at least %(count)s entries",
            count,
            field=label,
        )
        return message, ""
    if keyword == "minProperties":
        message = msg_plural(
            "'%(field)s' must have at least %(count)s entry",
            "'%(field)s' must have at least %(count)s entries",
            count,
            field=label,
        )
        return message, ""
    if keyword in ("maxItems", "maxProperties"):
        return (
            msg_plural(
                "'%(field)s' has more than %(count)s entry",
                "'%(field)s' has more than %(count)s entries",
                count,
                field=label,
            ),
            msg("a role this large is hard to read and to hold; split it or keep the essentials"),
        )
    return (
        msg("'%(field)s' lists the same entry more than once", field=label),
        msg("remove the repeated entry"),
    )


_FEEDBACK_SCALE_HINT = msg("a feedback expectation is a mean rating on the 1 to 5 scale")
_BOUND_WORDS = {
    "exclusiveMinimum": msg("'%(field)s' must be more than %(limit)s, not %(value)s"),
    "minimum": msg("'%(field)s' must be at least %(limit)s, not %(value)s"),
    "maximum": msg("'%(field)s' must be at most %(limit)s, not %(value)s"),
    "exclusiveMaximum": msg("'%(field)s' must be less than %(limit)s, not %(value)s"),
}


def _explain_bound(name: str, label: str, error: ValidationError) -> Told:
    words = _BOUND_WORDS[str(error.validator)]
    message = msg(
        words.template, field=label, limit=error.validator_value, value=_show(error.instance)
    )
    hint = _FEEDBACK_SCALE_HINT if "then" in error.schema_path else ""
    return message, hint


_EXPLAINERS = {
    "type": _explain_type,
    "pattern": _explain_pattern,
    "enum": _explain_enum,
    "format": _explain_format,
    "maxLength": _explain_size,
    "minLength": _explain_size,
    "minItems": _explain_size,
    "minProperties": _explain_size,
    "maxItems": _explain_size,
    "maxProperties": _explain_size,
    "uniqueItems": _explain_size,
    **dict.fromkeys(_BOUND_WORDS, _explain_bound),
}


# --- schema navigation --------------------------------------------------------------


def _def_name(name: str, pattern: str) -> str:
    """Which ``$defs`` entry of the schema a pattern belongs to ('' when none)."""
    for def_name, sub in load_schema(name).get("$defs", {}).items():
        if sub.get("pattern") == pattern:
            return str(def_name)
    return ""


def _resolve(root: Mapping[str, Any], node: Any) -> Mapping[str, Any]:
    """Follow local ``$ref``s (``#/$defs/...``) to the schema they name."""
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        node = root.get("$defs", {}).get(node["$ref"].rsplit("/", 1)[-1], {})
    return node if isinstance(node, Mapping) else {}


def _schema_at(root: Mapping[str, Any], path: Sequence[str | int]) -> Mapping[str, Any]:
    """The schema that describes the data at ``path`` (``{}`` when unknown)."""
    node = _resolve(root, root)
    for part in path:
        if isinstance(part, int):
            node = _resolve(root, node.get("items"))
        elif part in node.get("properties", {}):
            node = _resolve(root, node["properties"][part])
        else:
            node = _resolve(root, node.get("additionalProperties"))
    return node
