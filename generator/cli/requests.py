"""``handbook requests import|export``: real requests and the service levels they show.

Exit status: 0 done (bad rows are reported and skipped), 1 the file, the
mapping, the project or the database failed (or a bad row with --strict),
2 a usage error.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from generator.cli import words
from generator.cli.errors import CommandError
from generator.diagnostics.values import msg, msg_plural
from generator.measure.promises import priorities_by_commitment, promises
from generator.project import Project
from generator.requests.formats import FORMATS
from generator.requests.mapping import ID_PATTERN, ExportMapping, load_mapping
from generator.requests.rows import Problem

# The database layer loads only when a command runs (see generator/feedback/cli.py).

if TYPE_CHECKING:
    from generator.requests.importer import Summary
    from generator.requests.store import RequestStore

    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
STDOUT = Path("-")
LoadProject = Callable[[Path], Project]
Handler = Callable[[argparse.Namespace, LoadProject], int]


def add_commands(subparsers: Subparsers, load_project_fn: LoadProject) -> None:
    """Add ``requests`` and its subcommands; each sets ``func(args) -> int``."""
    group = subparsers.add_parser(
        "requests", help="import real requests and export their service levels", description=__doc__
    )
    commands = group.add_subparsers(dest="requests_command", required=True, metavar="COMMAND")
    _add_import(commands, load_project_fn)
    _add_export(commands, load_project_fn)
    _add_invite(commands, load_project_fn)


def _add_import(commands: Subparsers, load_project_fn: LoadProject) -> None:
    parser = commands.add_parser(
        "import", help=import_requests.__doc__, description=import_requests.__doc__
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the exported CSV file")
    parser.add_argument(
        "--format",
        choices=sorted(FORMATS),
        help="kind of export (default: the mapping's, else generic)",
    )
    parser.add_argument("--mapping", type=Path, metavar="FILE", help="mapping file (YAML)")
    parser.add_argument(
        "--source",
        help="name of the system the file comes from (default: the mapping's, else the format)",
    )
    _add_common(parser)
    parser.add_argument(
        "-C", "--dir", type=Path, default=Path(), help="handbook folder (default: .)"
    )
    parser.add_argument(
        "--strict", action="store_true", help="a bad row fails the import and nothing is stored"
    )
    parser.add_argument("--dry-run", action="store_true", help="check the file, store nothing")
    parser.set_defaults(func=_bind(import_requests, load_project_fn))


def _add_export(commands: Subparsers, load_project_fn: LoadProject) -> None:
    parser = commands.add_parser(
        "export", help=export_requests.__doc__, description=export_requests.__doc__
    )
    parser.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=Path(),
        help="handbook folder with mkdocs.yml and roles/ (default: .)",
    )
    _add_common(parser)
    parser.add_argument("--format", choices=("csv",), default="csv", help="output format")
    parser.add_argument("--out", type=Path, help="file to write (default: -, standard output)")
    parser.add_argument("--source", help="only the requests of this source")
    parser.set_defaults(func=_bind(export_requests, load_project_fn))


def _add_invite(commands: Subparsers, load_project_fn: LoadProject) -> None:
    parser = commands.add_parser(
        "invite", help=invite_requesters.__doc__, description=invite_requesters.__doc__
    )
    parser.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=Path(),
        help="handbook folder with mkdocs.yml and roles/ (default: .)",
    )
    _add_common(parser)
    parser.add_argument(
        "--resolved-since",
        metavar="YYYY-MM-DD",
        help="requests resolved on or after this day (default: the current feedback period)",
    )
    parser.add_argument("--out", type=Path, help="CSV file to write (default: standard output)")
    parser.set_defaults(func=_bind(invite_requesters, load_project_fn))


def _add_common(parser: argparse.ArgumentParser) -> None:
    words.add_option(parser)
    parser.add_argument(
        "--database",
        metavar="URL",
        help="SQLAlchemy URL (default: $HANDBOOK_DATABASE_URL, else sqlite DIR/feedback.db)",
    )


# --- import ------------------------------------------------------------------------------


def import_requests(args: argparse.Namespace, load_project_fn: LoadProject) -> int:
    """Load the timestamps of real requests from an export (again and again: idempotent)."""
    from generator.requests.importer import SetupError, import_file, plan  # noqa: PLC0415 - see the module note
    from generator.requests.reader import ExportFileError  # noqa: PLC0415

    project = load_project_fn(args.dir)
    settings = project.settings
    promised = promises(project.organisation, settings.calendar)
    allowed = priorities_by_commitment(promised)
    mapping = _mapping(args.mapping, allowed, settings.priority_ids)
    fmt_name = _format_name(args.format, mapping)
    source = _source(args.source, mapping, fmt_name)
    try:
        how = plan(FORMATS[fmt_name], mapping, source=source, allowed=allowed)
    except SetupError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    display = str(args.file)

    def on_problem(problem: Problem) -> None:
        print(problem.describe(display), file=sys.stderr)

    def on_progress(count: int) -> None:
        print(words.counted(_ROWS_READ, count), file=sys.stderr)

    keep = not args.dry_run
    with _opened_store(args.database, project) as store:
        try:
            with store.writing(keep=keep) as writer:
                summary = import_file(
                    args.file, how, writer, on_problem=on_problem, on_progress=on_progress
                )
                if args.strict and summary.bad:
                    raise _RefusedError(summary)
        except ExportFileError as error:
            where = f"{display}:{error.line}" if error.line else display
            raise CommandError(f"{where}: error: {error}") from None
        except _RefusedError as refused:
            note = words.say(msg("nothing was stored (--strict)"))
            _print_summary(display, source, refused.summary, note=note)
            return EXIT_FAILED
    note = "" if keep else words.say(msg("dry run: nothing was stored"))
    _print_summary(display, source, summary, note=note)
    return EXIT_OK


class _RefusedError(Exception):
    def __init__(self, summary: Summary) -> None:
        super().__init__("bad rows with --strict")
        self.summary = summary


_ROWS_READ = msg_plural("… %(count)s row read", "… %(count)s rows read", 0)
_MAPPING_PROBLEMS = msg_plural(
    "the mapping %(path)s has %(count)s problem; nothing was imported",
    "the mapping %(path)s has %(count)s problems; nothing was imported",
    0,
)
_BAD_ROWS = msg_plural("%(count)s bad row skipped", "%(count)s bad rows skipped", 0)
_RECORDS = msg_plural("%(count)s request from %(source)s", "%(count)s requests from %(source)s", 0)
_EXPORTED = msg_plural("Exported %(count)s request", "Exported %(count)s requests", 0)
_ORPHANED = msg_plural(
    "%(count)s of them names a commitment the handbook no longer has (its minutes are left empty)",
    "%(count)s of them name a commitment the handbook no longer has (their minutes are left empty)",
    0,
)
ISSUED = msg_plural(
    "Issued %(count)s invitation, valid until %(until)s",
    "Issued %(count)s invitations, valid until %(until)s",
    0,
)


def _mapping(
    path: Path | None, allowed: dict[str, frozenset[str]], priorities: tuple[str, ...]
) -> ExportMapping:
    if path is None:
        return ExportMapping()
    mapping, diags = load_mapping(path, commitments=allowed, priorities=priorities)
    if mapping is None:
        for diag in diags:
            print(words.diagnostic(diag), file=sys.stderr)
        raise CommandError(
            msg_plural(_MAPPING_PROBLEMS.template, _MAPPING_PROBLEMS.plural, len(diags), path=path)
        )
    return mapping


def _format_name(option: str | None, mapping: ExportMapping) -> str:
    if option and mapping.format and option != mapping.format:
        raise CommandError(
            f"--format {option} contradicts the mapping's format: {mapping.format}", EXIT_USAGE
        )
    return option or mapping.format or "generic"


def _source(option: str | None, mapping: ExportMapping, fmt_name: str) -> str:
    source = option or mapping.source or fmt_name
    if len(source) > 64 or not re.fullmatch(ID_PATTERN, source):
        raise CommandError(
            f"--source {source!r} is not an id (lowercase letters and digits joined by hyphens)",
            EXIT_USAGE,
        )
    return source


def _print_summary(display: str, source: str, summary: Summary, *, note: str) -> None:
    saved = summary.saved
    parts = [
        words.say(msg("%(count)s new", count=saved.new)),
        words.say(msg("%(count)s updated", count=saved.updated)),
        words.say(msg("%(count)s unchanged", count=saved.unchanged)),
    ]
    if summary.skipped:
        parts.append(words.say(msg("%(count)s left out by the mapping", count=summary.skipped)))
    bad = f"; {words.counted(_BAD_ROWS, summary.bad)}" if summary.bad else ""
    tail = f" ({note})" if note else ""
    records = words.counted(_RECORDS, summary.records, source=source)
    print(f"{display}: {records}: {', '.join(parts)}{bad}{tail}", file=sys.stderr)


# --- export ------------------------------------------------------------------------------


def export_requests(args: argparse.Namespace, load_project_fn: LoadProject) -> int:
    """Export every stored request with its minutes to response and resolution, as CSV."""
    from generator.requests.export import export_csv  # noqa: PLC0415 - see the module note

    project = load_project_fn(args.dir)
    promised = promises(project.organisation, project.settings.calendar)
    with _opened_store(args.database, project) as store, _output(args.out) as out:
        done = export_csv(store.requests(args.source), out, promised)
    print(words.counted(_EXPORTED, done.written), file=sys.stderr)
    if done.orphaned:
        print(words.counted(_ORPHANED, done.orphaned), file=sys.stderr)
    return EXIT_OK


# --- shared ------------------------------------------------------------------------------


def invite_requesters(args: argparse.Namespace, load_project_fn: LoadProject) -> int:
    """One feedback invitation per resolved request, for the ticketing system to send.

    Writes ``source,id,commitment,link``: the link opens the commitment's form with a
    one-time token bound to that request (signed with the invitation secret), valid until
    the end of the feedback period. Who asked is known only to the ticketing system.
    """
    import csv  # noqa: PLC0415
    import os  # noqa: PLC0415
    from datetime import UTC, date, datetime  # noqa: PLC0415

    from generator.cli.invitation_links import invitation_link  # noqa: PLC0415
    from generator.feedback.invitations import issue_token  # noqa: PLC0415
    from generator.feedback.periods import period_end, period_start  # noqa: PLC0415
    from generator.feedback.receiver import invite_secret  # noqa: PLC0415
    from generator.requests.export import defuse  # noqa: PLC0415

    project = load_project_fn(args.dir)
    feedback = project.settings.feedback
    today = datetime.now(UTC).date()
    try:
        since = (
            date.fromisoformat(args.resolved_since)
            if args.resolved_since
            else period_start(today, feedback.period)
        )
    except ValueError:
        raise CommandError(
            f"--resolved-since: {args.resolved_since!r} is not a date (YYYY-MM-DD)", EXIT_USAGE
        ) from None
    secret = invite_secret(feedback, os.environ, required=True)
    assert secret is not None
    expires = period_end(today, feedback.period)
    keys = project.organisation.feedback_keys()
    issued = 0
    with _opened_store(args.database, project) as store, _output(args.out) as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(("source", "id", "commitment", "link"))
        for request in store.requests():
            resolved = request.resolved
            if resolved is None or resolved.date() < since or request.commitment not in keys:
                continue
            subject = f"{request.commitment}#{request.source}:{request.request_id}"
            link = invitation_link(project, subject, issue_token(secret, subject, expires))
            cells = (request.source, request.request_id, request.commitment, link)
            writer.writerow([defuse(cell) for cell in cells])
            issued += 1
    print(words.counted(ISSUED, issued, until=expires.isoformat()), file=sys.stderr)
    return EXIT_OK


def _bind(handler: Handler, load_project_fn: LoadProject) -> Callable[[argparse.Namespace], int]:
    """The ``func`` for argparse: run ``handler`` and turn failures into an exit status."""

    def run(args: argparse.Namespace) -> int:
        try:
            from sqlalchemy.exc import SQLAlchemyError  # noqa: PLC0415 - see the module note
        except ImportError:
            print(
                "handbook: error: 'handbook requests' needs the database layer: "
                "pip install 'expectations-handbook[feedback]'",
                file=sys.stderr,
            )
            return EXIT_USAGE
        try:
            return handler(args, load_project_fn)
        except CommandError as exc:
            explained = exc.explain(words.catalog())
            shown = words.error(explained) if exc.status == EXIT_USAGE else f"handbook: {explained}"
            print(shown, file=sys.stderr)
            return exc.status
        except SQLAlchemyError as exc:
            from generator.database import describe  # noqa: PLC0415

            print(f"handbook: requests database error: {describe(exc)}", file=sys.stderr)
            return EXIT_FAILED

    return run


@contextmanager
def _opened_store(url: str | None, project: Project) -> Iterator[RequestStore]:
    from generator.database import default_database_url  # noqa: PLC0415
    from generator.requests.store import StoreError, open_store  # noqa: PLC0415

    try:
        store = open_store(url or default_database_url(project.root))
    except StoreError as exc:
        raise CommandError(str(exc)) from None
    try:
        yield store
    finally:
        store.close()


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    if path is None or path == STDOUT:
        yield sys.stdout
        return
    try:
        stream = path.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise CommandError(
            msg("cannot write %(path)s: %(why)s", path=path, why=exc.strerror or exc)
        ) from None
    with stream:
        yield stream
