"""Strict YAML loading: plain data plus the position of every node."""

from __future__ import annotations

import importlib
import math
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import codes
from generator.diagnostics.codes import Code
from generator.diagnostics.values import (
    Diagnostic,
    Location,
    Msg,
    Severity,
    Text,
    json_path,
    msg,
)

DataPath = tuple[str | int, ...]

MAX_BYTES = 1_000_000
MAX_DEPTH = 64
ITEM_WORDS: Mapping[str, tuple[str, Msg]] = {
    "responsibilities": ("id", msg("responsibility '%(id)s'")),
    "expectations": ("id", msg("expectation '%(id)s'")),
    "commitments": ("id", msg("service '%(id)s'")),
    "targets": ("priority", msg("target '%(id)s'")),
    "rewards": ("id", msg("reward '%(id)s'")),
    "teams": ("id", msg("team '%(id)s'")),
}
"""The list items a diagnostic names, and the field that names them."""
_NAMING_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed YAML file: JSON-like data and where each part was written.

    ``marks`` maps the data path of every node (``()`` for the root,
    ``("commitments", 0, "targets")``…) to the 1-based (line, column) of its
    value; ``key_marks`` maps the path of every mapping member to the position
    of its key.
    """

    file: str
    data: Any
    text: str = ""
    marks: Mapping[DataPath, tuple[int, int]] = field(default_factory=dict)
    key_marks: Mapping[DataPath, tuple[int, int]] = field(default_factory=dict)
    _lines: list[str] = field(default_factory=list, repr=False, compare=False)
    """The text split into lines, filled on first use (diagnostics share one split)."""

    def position(self, path: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
        """The (line, column) of ``path``, or of its nearest known ancestor."""
        parts = tuple(path)
        if key and parts in self.key_marks:
            return self.key_marks[parts]
        while parts:
            if parts in self.marks:
                return self.marks[parts]
            parts = parts[:-1]
        return self.marks.get((), (1, 1))

    def line_text(self, line: int) -> str:
        """The source text of a 1-based line, or '' when out of range."""
        lines = self._lines
        if not lines and self.text:
            lines.extend(self.text.splitlines())
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def diagnostic(
        self,
        path: Sequence[str | int],
        message: Text,
        *,
        code: Code | None = None,
        hint: Text = "",
        key: bool = False,
        severity: Severity | None = None,
    ) -> Diagnostic:
        """A diagnostic pointing at ``path`` in this file (an error when it has no code).

        A message about a list item with an id begins by naming it: ``expectation
        'answer-time': …``.
        """
        line, column = self.position(path, key=key)
        items = self.items_named(path, str(message))
        if items:
            message = msg("%(item)s: %(message)s", item=items, message=message)
        return Diagnostic.of(
            severity or (code.severity if code else Severity.ERROR),
            Location(self.file, line, column),
            message,
            path=json_path(path),
            hint=hint,
            code=code.code if code else "",
            source_line=_clip(self.line_text(line), column),
        )

    def items_named(self, path: Sequence[str | int], message: str = "") -> Msg | None:
        """The items with an id that ``path`` runs through (``service 'x', target 'y'``).

        An id that is not well formed is left out (its own diagnostic names it), as are
        the item whose own id the path points at and an item ``message`` already names.
        """
        names: list[Msg] = []
        node: Any = self.data
        parts = tuple(path)
        for depth, part in enumerate(parts):
            parent = parts[depth - 1] if depth else None
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break
            if not isinstance(part, int) or not isinstance(parent, str):
                continue
            naming = ITEM_WORDS.get(parent)
            if naming is None or not isinstance(node, dict):
                continue
            field_name, words = naming
            ident = node.get(field_name)
            if parts[depth + 1 :] == (field_name,):
                continue
            if not isinstance(ident, str) or f"'{ident}'" in message:
                continue
            if len(ident) <= 64 and _NAMING_ID.fullmatch(ident):
                names.append(msg(words.template, id=ident))
        if not names:
            return None
        joined = names[0]
        for name in names[1:]:
            joined = msg("%(first)s, %(then)s", first=joined, then=name)
        return joined


class _MarkSource:
    """Finds the marks of a parsed text by parsing it again, once, when first asked."""

    __slots__ = ("file", "key_marks", "marks", "text")

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text
        self.marks: dict[DataPath, tuple[int, int]] | None = None
        self.key_marks: dict[DataPath, tuple[int, int]] = {}

    def get(self, keys: bool) -> dict[DataPath, tuple[int, int]]:
        if self.marks is None:
            builder = _Builder(self.file, self.text)
            builder.parse()
            self.marks, self.key_marks = builder.marks, builder.key_marks
        return self.key_marks if keys else self.marks


class _LazyMarks(Mapping[DataPath, tuple[int, int]]):
    """Node or key marks of a document, computed on first use.

    Most documents are valid and nobody ever asks where their nodes are, so the
    first parse records no positions; a diagnostic that needs one parses again.
    """

    __slots__ = ("_keys", "_source")

    def __init__(self, source: _MarkSource, *, keys: bool) -> None:
        self._source = source
        self._keys = keys

    def __getitem__(self, path: DataPath) -> tuple[int, int]:
        return self._source.get(self._keys)[path]

    def __contains__(self, path: object) -> bool:
        return path in self._source.get(self._keys)

    def __iter__(self) -> Iterator[DataPath]:
        return iter(self._source.get(self._keys))

    def __len__(self) -> int:
        return len(self._source.get(self._keys))

    def __repr__(self) -> str:
        return repr(self._source.get(self._keys))


def _find_fast_parser() -> type[Any] | None:
    """libyaml's event parser, or None when PyYAML is built without it."""
    try:
        module = importlib.import_module("yaml._yaml")
    except ImportError:  # pragma: no cover - depends on how PyYAML was built
        return None
    parser: type[Any] = module.CParser
    return parser


_FastParser = _find_fast_parser()

_BOM = b"\xef\xbb\xbf"
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")
_MAX_ERRORS = 20
_SOURCE_WIDTH = 200
_STANDARD_TAG_PREFIX = "tag:yaml.org,2002:"
_MISSING: Any = object()

_CONSTANTS: dict[str, Any] = {
    "": None, "~": None, "null": None, "Null": None, "NULL": None,
    "true": True, "True": True, "TRUE": True,
    "false": False, "False": False, "FALSE": False,
}  # fmt: skip
_NUMBER_START = frozenset("0123456789+-.")
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"([-+]?)\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
# Characters YAML forbids anywhere in a stream (the complement of its printable set).
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)

_HINT_ALIAS = msg("write the value out in full wherever it is needed")
_HINT_NUMBER = msg("write a finite number such as 3 or 4.5; to keep it as text, put it in quotes")
_HINT_TAG = msg("remove the tag; to make a value text, put it in quotes")


def load_yaml(path: Path, display: str | None = None) -> tuple[Document | None, list[Diagnostic]]:
    """Read and strictly parse one YAML file (see :func:`parse_yaml`)."""
    name = str(path) if display is None else display
    try:
        with _open_regular(Path(path)) as stream:
            raw = stream.read(MAX_BYTES + 1)
            if len(raw) > MAX_BYTES:
                size = max(stream.seek(0, 2), len(raw))
                return None, [_too_large(name, size)]
    except _NotRegularError as error:
        return None, [_file_error(name, f"cannot read the file: {error}", "only files are read")]
    except OSError as error:
        reason = error.strerror or str(error)
        return None, [
            _file_error(
                name, f"cannot read the file: {reason}", "check that it exists and is readable"
            )
        ]
    return parse_yaml(raw, name)


class _NotRegularError(OSError):
    """The path names a symbolic link, a folder, a pipe or a device, not a regular file."""


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _open_regular(path: Path) -> Any:
    """A binary stream of the regular file ``path``: never through a link, never blocking.

    A symbolic link (refused by ``O_NOFOLLOW``), a named pipe (which would block the
    reader forever) or a device is refused with :class:`_NotRegularError`.
    """
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        if path.is_symlink():
            raise _NotRegularError("it is a symbolic link, and links are not followed") from None
        raise error
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = "a folder" if stat.S_ISDIR(mode) else "a pipe or a device"
        raise _NotRegularError(f"it is {kind}, not a file")
    return os.fdopen(descriptor, "rb")


def parse_yaml(raw: bytes, display: str) -> tuple[Document | None, list[Diagnostic]]:
    """Strictly parse YAML bytes into a :class:`Document`, or explain why not.

    The document is returned only when there are no diagnostics; an empty file
    (or one of only comments) gives a document whose data is None.
    """
    if len(raw) > MAX_BYTES:
        return None, [_too_large(display, len(raw))]
    text, problem = _decode(raw, display)
    if problem is not None:
        return None, [problem]
    builder = _Builder(display, text, marks=False)
    builder.parse()
    if builder.diagnostics:  # parse again, recording positions for the diagnostics
        builder = _Builder(display, text)
        builder.parse()
        return None, builder.diagnostics
    source = _MarkSource(display, text)
    marks, key_marks = _LazyMarks(source, keys=False), _LazyMarks(source, keys=True)
    return Document(display, builder.root, text, marks, key_marks), []


def resolve_plain(value: str) -> Any:
    """Resolve an unquoted scalar as YAML 1.2's core schema does."""
    constant = _CONSTANTS.get(value, _MISSING)
    if constant is not _MISSING:
        return constant
    if value[0] not in _NUMBER_START:
        return value
    return _resolve_number(value)


def _resolve_number(value: str) -> Any:
    """An int or float when ``value`` spells one, else ``value`` itself."""
    try:
        if _INT.fullmatch(value):
            return int(value)
        if _FLOAT.fullmatch(value):
            return float(value)
    except ValueError:  # more digits than Python converts
        return value
    if _OCT.fullmatch(value):
        return int(value[2:], 8)
    if _HEX.fullmatch(value):
        return int(value[2:], 16)
    return _resolve_special_float(value)


def _resolve_special_float(value: str) -> Any:
    """Infinity or NaN when ``value`` spells one, else ``value`` itself."""
    inf = _INF.fullmatch(value)
    if inf:
        return float(inf.group(1) + "inf")
    if _NAN.fullmatch(value):
        return math.nan
    return value


# --- bytes to text -------------------------------------------------------------


def _decode(raw: bytes, file: str) -> tuple[str, Diagnostic | None]:
    """UTF-8 text without its BOM, or the diagnostic that explains why not."""
    if raw.startswith(_WIDE_BOMS):
        return "", _file_error(
            file, msg("file is UTF-16 or UTF-32, not UTF-8"), msg("save the file as UTF-8"), line=1
        )
    nul = raw.find(b"\0")
    if nul >= 0:
        line, column = _byte_position(raw, nul)
        return "", _file_error(
            file,
            msg("binary file, not YAML (it contains NUL bytes)"),
            msg("role files are UTF-8 text; check that the right file is in this folder"),
            line=line,
            column=column,
        )
    start = len(_BOM) if raw.startswith(_BOM) else 0
    try:
        text = raw[start:].decode("utf-8")
    except UnicodeDecodeError as error:
        return "", _not_utf8(raw, start + error.start, file)
    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        return "", _control_character(text, bad.start(), file)
    return text, None


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    """The 1-based (line, column) of a byte offset, counting columns in characters."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    if line_start == 0 and raw.startswith(_BOM):
        line_start = len(_BOM)
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def _not_utf8(raw: bytes, offset: int, file: str) -> Diagnostic:
    """Point at the first byte that is not UTF-8."""
    line, column = _byte_position(raw, offset)
    line_start = raw.rfind(b"\n", 0, offset) + 1
    line_end = raw.find(b"\n", offset)
    source = raw[line_start : None if line_end < 0 else line_end]
    return codes.YAML_ENCODING.at(
        Location(file, line, column),
        msg("file is not valid UTF-8 (byte %(byte)s)", byte=f"0x{raw[offset]:02X}"),
        hint=msg(
            "save the file as UTF-8; it looks like a legacy encoding such as Latin-1 or cp1250"
        ),
        source_line=_clip(source.decode("utf-8", errors="replace").rstrip("\r"), column),
    )


def _control_character(text: str, index: int, file: str) -> Diagnostic:
    """Point at a character YAML does not allow in a file."""
    line = text.count("\n", 0, index) + 1
    line_start = text.rfind("\n", 0, index) + 1
    return codes.YAML_CHARACTER.at(
        Location(file, line, index - line_start + 1),
        msg(
            "control character %(character)s is not allowed in YAML",
            character=f"U+{ord(text[index]):04X}",
        ),
        hint=msg("remove it; such characters are often pasted invisibly from other programs"),
        source_line=_clip(_line_of(text, line), index - line_start + 1),
    )


def _too_large(file: str, size: int) -> Diagnostic:
    return _file_error(
        file,
        msg(
            "file is too large (%(size)s bytes; the limit is %(limit)s)",
            size=f"{size:,}",
            limit=f"{MAX_BYTES:,}",
        ),
        msg("split it into smaller files"),
        code=codes.YAML_SIZE,
    )


def _file_error(
    file: str,
    message: Text,
    hint: Text,
    *,
    line: int = 0,
    column: int = 0,
    code: Code = codes.YAML_FILE,
) -> Diagnostic:
    return code.at(Location(file, line, column), message, hint=hint)


def _clip(source: str, column: int) -> str:
    """Shorten a very long source line, keeping the column in view."""
    keep = max(_SOURCE_WIDTH, column + 40)
    return source if len(source) <= keep else source[:keep] + " …"


def _tab_hint(source: str, column: int, problem: str) -> Text:
    """Advice when a tab on the offending line is the likely cause of an error."""
    indent = source[: len(source) - len(source.lstrip(" \t"))]
    if "\t" in indent:
        return msg("indent with spaces, not tabs")
    if "\t" in source[column - 1 : column] or "tab" in problem or "\\t" in problem:
        return msg("put values that contain tabs in quotes")
    return ""


def _line_of(text: str, line: int) -> str:
    """The 1-based ``line`` of ``text`` as Document.line_text splits it."""
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


# --- events to data ------------------------------------------------------------


class _FatalError(Exception):
    """Ends parsing after a diagnostic that leaves nothing sensible to read."""


def _ignore(event: Any) -> None:
    """Events that carry nothing for the data."""


class _Builder:
    """Turns parser events into plain data and marks, refusing what the format forbids.

    Collections are built with an explicit stack (never by recursion), so the
    nesting depth is checked as each collection opens. A stack frame is
    ``[container, path, pending_key]``; ``pending_key`` is unused for lists.
    """

    def __init__(self, file: str, text: str, *, marks: bool = True) -> None:
        self.file = file
        self.text = text
        self.record = marks
        self.lines: list[str] | None = None
        self.stack: list[list[Any]] = []
        self.root: Any = None
        self.documents = 0
        self.marks: dict[DataPath, tuple[int, int]] = {}
        self.key_marks: dict[DataPath, tuple[int, int]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.handlers: dict[type, Callable[[Any], None]] = {
            yaml.ScalarEvent: self._scalar,
            yaml.MappingStartEvent: self._mapping_start,
            yaml.SequenceStartEvent: self._sequence_start,
            yaml.MappingEndEvent: self._end,
            yaml.SequenceEndEvent: self._end,
            yaml.AliasEvent: self._alias,
            yaml.DocumentStartEvent: self._document_start,
            yaml.DocumentEndEvent: _ignore,
            yaml.StreamStartEvent: _ignore,
        }

    def parse(self) -> None:
        """Parse the whole text; problems end up in ``self.diagnostics``."""
        try:
            self._run(_parser_for(self.text))
        except _FatalError:
            pass
        except yaml.MarkedYAMLError as error:
            if not self._own_limit_first(error):
                self._syntax_error(error)
        except yaml.reader.ReaderError as error:
            line = self.text.count("\n", 0, error.position) + 1
            self._report(
                line,
                0,
                f"unreadable YAML: {error.reason}",
                "save the file as UTF-8 text",
                codes.YAML_SYNTAX,
            )
        except Exception as error:  # no input may escape as a traceback
            self._report(1, 0, f"cannot parse the YAML: {error}", "", codes.YAML_SYNTAX)

    def _own_limit_first(self, error: yaml.MarkedYAMLError) -> bool:
        """Whether one of this loader's limits stops the text before ``error`` does.

        libyaml reads ahead and has limits of its own (a nesting depth, for one), so its
        error can come before the events on which this loader's limits would fire. The
        text up to the error is replayed through PyYAML's pure-Python parser, which reads
        ahead no further than it must: when a limit of ours fires there, that diagnostic
        (its message and position) is the one reported, whatever libyaml's version does.
        """
        mark = error.problem_mark or error.context_mark
        if _FastParser is None or mark is None:
            return False
        earlier = self.diagnostics
        replay = _Builder(self.file, self.text[: mark.index], marks=self.record)
        replay.lines = self.lines = self.text.splitlines()
        try:
            replay._run(yaml.BaseLoader(replay.text))
        except _FatalError:
            self.diagnostics = replay.diagnostics
            return True
        except yaml.YAMLError:
            pass
        self.diagnostics = earlier
        return False

    def _run(self, parser: Any) -> None:  # noqa: PLR0912 - the hot path is inlined
        """Dispatch events until the stream ends.

        Plain scalars without anchor or tag inside a collection, the bulk of every
        file, are handled here directly, exactly as ``_scalar``, ``_key`` and
        ``_attach`` would handle them; everything else goes to its handler.
        """
        handlers = self.handlers
        get_event = parser.get_event
        stack = self.stack
        record = self.record
        marks = self.marks
        key_marks = self.key_marks
        scalar_event = yaml.ScalarEvent
        while True:
            event = get_event()
            cls = event.__class__
            if cls is scalar_event and stack and event.anchor is None and event.tag is None:
                frame = stack[-1]
                container = frame[0]
                mark = event.start_mark
                value = event.value
                if container.__class__ is dict:
                    key = frame[2]
                    if key is _MISSING:
                        if value in container or value == "<<":
                            self._key(frame, value, event)
                        else:
                            if record:
                                key_marks[(*frame[1], value)] = (mark.line + 1, mark.column + 1)
                            frame[2] = value
                        continue
                    if not event.style:
                        value = resolve_plain(value)
                        if value.__class__ is float and not math.isfinite(value):
                            self._not_finite(event)
                    container[key] = value
                    frame[2] = _MISSING
                    if record:
                        marks[(*frame[1], key)] = (mark.line + 1, mark.column + 1)
                else:
                    if not event.style:
                        value = resolve_plain(value)
                        if value.__class__ is float and not math.isfinite(value):
                            self._not_finite(event)
                    if record:
                        marks[(*frame[1], len(container))] = (mark.line + 1, mark.column + 1)
                    container.append(value)
                continue
            handler = handlers.get(cls)
            if handler is None:  # end of the stream
                return
            handler(event)

    # -- node events

    def _scalar(self, event: Any) -> None:
        if event.anchor is not None or event.tag is not None:
            self._check_properties(event)
        stack = self.stack
        if stack:
            frame = stack[-1]
            if frame[2] is _MISSING and frame[0].__class__ is dict:
                self._key(frame, event.value, event)
                return
        value = event.value
        if not event.style and event.tag is None:  # plain: '' from libyaml, None otherwise
            value = resolve_plain(value)
            if value.__class__ is float and not math.isfinite(value):
                self._not_finite(event)
        self._attach(value, event.start_mark)

    def _alias(self, event: Any) -> None:
        self._refuse_anchor(event.start_mark)
        stack = self.stack
        if stack and stack[-1][2] is _MISSING and stack[-1][0].__class__ is dict:
            self._key(stack[-1], f"*{event.anchor}", event)
        else:
            self._attach(None, event.start_mark)

    def _mapping_start(self, event: Any) -> None:
        self._open({}, event)

    def _sequence_start(self, event: Any) -> None:
        self._open([], event)

    def _open(self, container: dict[str, Any] | list[Any], event: Any) -> None:
        if event.anchor is not None or event.tag is not None:
            self._check_properties(event)
        stack = self.stack
        if stack and stack[-1][2] is _MISSING and stack[-1][0].__class__ is dict:
            self._fatal(
                event.start_mark,
                msg("a mapping key must be a plain value, not a mapping or a list"),
                msg("write keys as simple text such as 'name:'"),
                codes.YAML_COMPLEX_KEY,
            )
        if len(stack) >= MAX_DEPTH:
            self._fatal(
                event.start_mark,
                msg("nested deeper than %(depth)s levels", depth=MAX_DEPTH),
                msg("role files need only a few levels; look for unclosed brackets"),
                codes.YAML_DEPTH,
            )
        path = self._attach(container, event.start_mark)
        stack.append([container, path, _MISSING])

    def _end(self, event: Any) -> None:
        self.stack.pop()

    def _document_start(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            self._fatal(
                event.start_mark,
                msg("more than one YAML document in this file"),
                msg("a file holds one document; remove this '---' line or split the file"),
                codes.YAML_DOCUMENTS,
            )

    # -- building

    def _key(self, frame: list[Any], key: str, event: Any) -> None:
        """Take ``key`` as the next key of the mapping ``frame``."""
        mark = event.start_mark
        path = (*frame[1], key)
        if key in frame[0]:
            first = self.key_marks.get(path, (0, 0))[0]
            self._error(
                mark,
                msg(
                    "duplicate key %(key)s (first defined on line %(line)s)",
                    key=repr(key),
                    line=first,
                ),
                msg("remove one of them, or merge their contents"),
                codes.YAML_DUPLICATE_KEY,
            )
        elif key == "<<" and not event.style:
            self._error(
                mark,
                msg("merge keys (<<) are not allowed"),
                msg("write out the keys you meant to merge"),
                codes.YAML_MERGE_KEY,
            )
        if self.record:
            self.key_marks[path] = (mark.line + 1, mark.column + 1)
        frame[2] = key

    def _attach(self, value: Any, mark: Any) -> DataPath:
        """Put ``value`` in its parent (or make it the root) and record its mark."""
        stack = self.stack
        if not stack:
            path: DataPath = ()
            self.root = value
        else:
            frame = stack[-1]
            container = frame[0]
            if container.__class__ is list:
                path = (*frame[1], len(container))
                container.append(value)
            else:
                path = (*frame[1], frame[2])
                container[frame[2]] = value
                frame[2] = _MISSING
        if self.record:
            self.marks[path] = (mark.line + 1, mark.column + 1)
        return path

    # -- diagnostics

    def _check_properties(self, event: Any) -> None:
        mark = event.start_mark
        if event.anchor is not None:
            self._refuse_anchor(mark)
        if event.tag is not None:
            tag = event.tag.replace(_STANDARD_TAG_PREFIX, "!!", 1)
            message = msg("tags are not allowed (found %(tag)s)", tag=repr(tag))
            self._error(mark, message, _HINT_TAG, codes.YAML_TAG)

    def _not_finite(self, event: Any) -> None:
        spelled = event.value.lstrip("+-.").lower()
        what = {
            "nan": msg("%(value)s is not a number: numbers must be finite"),
            "inf": msg("%(value)s is infinite: numbers must be finite"),
        }.get(spelled, msg("%(value)s is too large a number: numbers must be finite"))
        self._error(
            event.start_mark,
            msg(what.template, value=repr(event.value)),
            _HINT_NUMBER,
            codes.YAML_NUMBER,
        )

    def _refuse_anchor(self, mark: Any) -> None:
        message = msg("anchors and aliases are not allowed")
        self._error(mark, message, _HINT_ALIAS, codes.YAML_ALIAS)

    def _syntax_error(self, error: yaml.MarkedYAMLError) -> None:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 0)
        source = self._line(line)
        hint = _tab_hint(source, column, error.problem or "")
        if not hint and error.context and error.context_mark not in (None, mark):
            hint = msg(
                "%(context)s that starts on line %(line)s",
                context=error.context,
                line=error.context_mark.line + 1,
            )
        problem = error.problem or error.context or "invalid YAML"
        message = msg("YAML syntax error: %(problem)s", problem=problem)
        self._report(line, column, message, hint, codes.YAML_SYNTAX)

    def _error(self, mark: Any, message: Text, hint: Text, code: Code) -> None:
        self._report(mark.line + 1, mark.column + 1, message, hint, code)
        if len(self.diagnostics) >= _MAX_ERRORS:
            raise _FatalError

    def _fatal(self, mark: Any, message: Text, hint: Text, code: Code) -> None:
        self._report(mark.line + 1, mark.column + 1, message, hint, code)
        raise _FatalError

    def _report(self, line: int, column: int, message: Text, hint: Text, code: Code) -> None:
        self.diagnostics.append(
            code.at(
                Location(self.file, line, column),
                message,
                hint=hint,
                source_line=_clip(self._line(line), column),
            )
        )

    def _line(self, line: int) -> str:
        if self.lines is None:
            self.lines = self.text.splitlines()
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""


def _parser_for(text: str) -> Any:
    """An event source over ``text``: libyaml's parser when built in, else PyYAML's."""
    if _FastParser is not None:
        return _FastParser(text)
    return yaml.BaseLoader(text)
