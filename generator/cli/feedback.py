"""``handbook feedback serve|report|export|invite``: run the receiver, read its results, invite.

Exit status: 0 done, 1 the project or the database failed, 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from generator.cli import words
from generator.cli.errors import CommandError
from generator.diagnostics.values import msg, msg_plural
from generator.project import Project

# The web server and database layers load only when a feedback command runs, so that
# every other `handbook` command starts without them.

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_MIN_RESPONSES = msg("--min-responses must be at least 1")
_CANNOT_WRITE = msg("cannot write %(path)s: %(why)s")
_WROTE_REPORT = msg_plural(
    "Wrote the feedback report for %(count)s commitment to %(out)s",
    "Wrote the feedback report for %(count)s commitments to %(out)s",
    0,
)
_EXPORTED_ANSWERS = msg_plural("Exported %(count)s answer", "Exported %(count)s answers", 0)
_EXPORTED_COMMENTS = msg_plural(
    "Exported %(count)s comment to %(out)s", "Exported %(count)s comments to %(out)s", 0
)
_NO_SUCH_KEY = msg("%(key)s: no such role/commitment")
ISSUED = msg_plural(
    "Issued %(count)s invitation, valid until %(until)s",
    "Issued %(count)s invitations, valid until %(until)s",
    0,
)
STDOUT = Path("-")
LoadProject = Callable[[Path], Project]
Handler = Callable[[argparse.Namespace, LoadProject], int]

if TYPE_CHECKING:
    from generator.feedback.storage import Store

    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


def add_commands(subparsers: Subparsers, load_project_fn: LoadProject) -> None:
    """Add ``feedback`` and its subcommands; each sets ``func(args) -> int``."""
    feedback = subparsers.add_parser(
        "feedback", help="collect and summarise feedback", description=__doc__
    )
    commands = feedback.add_subparsers(dest="feedback_command", required=True, metavar="COMMAND")
    _add_serve(commands, load_project_fn)
    _add_report(commands, load_project_fn)
    _add_export(commands, load_project_fn)
    _add_invite(commands, load_project_fn)


def _add_serve(commands: Subparsers, load_project_fn: LoadProject) -> None:
    parser = commands.add_parser(
        "serve", help=serve_receiver.__doc__, description=serve_receiver.__doc__
    )
    _add_common(parser)
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=8001, help="port to listen on (default: %(default)s)"
    )
    parser.set_defaults(func=_bind(serve_receiver, load_project_fn))


def _add_report(commands: Subparsers, load_project_fn: LoadProject) -> None:
    parser = commands.add_parser(
        "report", help=write_feedback_report.__doc__, description=write_feedback_report.__doc__
    )
    _add_common(parser)
    _add_period(parser)
    parser.add_argument(
        "--min-responses",
        type=int,
        metavar="K",
        help="hide groups with fewer answers (default: feedback.min_responses)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="JSON file to write, - for standard output (default: feedback.report, else -)",
    )
    _add_verified_only(parser)
    parser.set_defaults(func=_bind(write_feedback_report, load_project_fn))


def _add_export(commands: Subparsers, load_project_fn: LoadProject) -> None:
    parser = commands.add_parser(
        "export", help=export_answers.__doc__, description=export_answers.__doc__
    )
    _add_common(parser)
    _add_period(parser)
    parser.add_argument("--format", choices=("csv",), default="csv", help="output format")
    parser.add_argument(
        "--out", type=Path, help="file for the rating rows (default: -, standard output)"
    )
    parser.add_argument(
        "--comments",
        type=Path,
        metavar="FILE",
        help="also write the comments, apart from the ratings, to FILE",
    )
    parser.add_argument(
        "--by-date",
        action="store_true",
        help="give each row its date instead of its period (groups are then days)",
    )
    parser.add_argument(
        "--min-responses",
        type=int,
        metavar="K",
        help="leave out groups with fewer answers (default: feedback.min_responses)",
    )
    _add_verified_only(parser)
    parser.add_argument("--no-comments", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(func=_bind(export_answers, load_project_fn))


def _add_invite(commands: Subparsers, load_project_fn: LoadProject) -> None:
    parser = commands.add_parser(
        "invite", help=invite_customers.__doc__, description=invite_customers.__doc__
    )
    parser.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=Path(),
        help="handbook folder with mkdocs.yml and roles/ (default: .)",
    )
    parser.add_argument(
        "subjects",
        nargs="+",
        metavar="KEY",
        help="<role-id>/<commitment-id>, optionally with #REQUEST-ID (one link each)",
    )
    parser.add_argument("--count", type=int, default=1, help="links per KEY (default: %(default)s)")
    parser.add_argument(
        "--expires",
        type=parse_date,
        metavar="YYYY-MM-DD",
        help="last day a link works (default: the end of the current feedback period)",
    )
    parser.add_argument("--tokens", action="store_true", help="print bare tokens instead of links")
    words.add_option(parser)
    parser.set_defaults(func=_bind(invite_customers, load_project_fn))


def _add_verified_only(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--verified-only",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="count only answers of invitations and signed-on people "
        "(default: feedback.verified_only)",
    )


def _add_common(parser: argparse.ArgumentParser) -> None:
    words.add_option(parser)
    parser.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=Path(),
        help="handbook folder with mkdocs.yml and roles/ (default: .)",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="SQLAlchemy URL (default: $HANDBOOK_DATABASE_URL, else sqlite DIR/feedback.db)",
    )


def _add_period(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--since", type=parse_date, metavar="YYYY-MM-DD", help="first day (UTC) to include"
    )
    parser.add_argument(
        "--until", type=parse_date, metavar="YYYY-MM-DD", help="last day (UTC) to include"
    )


def parse_date(text: str) -> date:
    """An ISO ``YYYY-MM-DD`` date, for argparse."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def period(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """Whole UTC days ``since``..``until`` (both included) as a half-open interval."""
    start = datetime.combine(since, time(), UTC) if since else None
    end = datetime.combine(until + timedelta(days=1), time(), UTC) if until else None
    return start, end


def serve_receiver(args: argparse.Namespace, load_project_fn: LoadProject) -> int:
    """Run the feedback receiver on its own (behind a reverse proxy in production)."""
    import uvicorn  # noqa: PLC0415 - see the module note

    from generator.feedback.receiver import ReceiverConfigError, receiver_for_project  # noqa: PLC0415

    project = load_project_fn(args.dir)
    with _opened_store(args, project) as store:
        try:
            app = receiver_for_project(project, store)
        except ReceiverConfigError as exc:
            raise CommandError(str(exc)) from None
        # Forwarding headers are read by the receiver, from configured proxies only.
        uvicorn.run(
            app,
            host=args.host,
            port=args.port,
            access_log=False,
            server_header=False,
            proxy_headers=False,
        )
    return EXIT_OK


def write_feedback_report(args: argparse.Namespace, load_project_fn: LoadProject) -> int:
    """Aggregate the answers of a period into the JSON report the site shows."""
    from generator.feedback.report import build_report, write_report  # noqa: PLC0415 - see the module note

    since, until = _checked_period(args)
    project = load_project_fn(args.dir)
    settings = project.settings.feedback
    k = settings.min_responses if args.min_responses is None else args.min_responses
    if k < 1:
        raise CommandError(_MIN_RESPONSES, EXIT_USAGE)
    out = args.out or (project.root / settings.report if settings.report else STDOUT)
    keys = project.organisation.feedback_keys()
    verified_only = settings.verified_only if args.verified_only is None else args.verified_only
    with _opened_store(args, project) as store:
        report = build_report(
            store,
            since=since,
            until=until,
            min_responses=k,
            keys=keys,
            verified_only=verified_only,
            period=settings.period,
        )
    if out == STDOUT:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    try:
        write_report(out, report)
    except OSError as exc:
        raise CommandError(msg(_CANNOT_WRITE.template, path=out, why=exc.strerror or exc)) from None
    count = len(report["entries"])
    print(words.counted(_WROTE_REPORT, count, out=out), file=sys.stderr)
    return EXIT_OK


def export_answers(args: argparse.Namespace, load_project_fn: LoadProject) -> int:
    """Export the answers of groups large enough as CSV: periods, not times; comments apart."""
    from generator.feedback.export import ExportRules, export_comments, export_csv  # noqa: PLC0415

    since, until = _checked_period(args)
    project = load_project_fn(args.dir)
    settings = project.settings.feedback
    k = settings.min_responses if args.min_responses is None else args.min_responses
    if k < 1:
        raise CommandError(_MIN_RESPONSES, EXIT_USAGE)
    if args.comments is not None and args.comments in (STDOUT, args.out or STDOUT):
        raise CommandError(msg("--comments needs a file of its own"), EXIT_USAGE)
    rules = ExportRules(
        min_responses=k,
        period=settings.period,
        by_date=args.by_date,
        verified_only=settings.verified_only if args.verified_only is None else args.verified_only,
    )
    with _opened_store(args, project) as store:
        with _output(args.out) as out:
            written = export_csv(store, out, since, until, rules=rules)
        print(words.counted(_EXPORTED_ANSWERS, written), file=sys.stderr)
        if args.comments is not None:
            with _output(args.comments) as out:
                comments = export_comments(store, out, since, until, rules=rules)
            print(words.counted(_EXPORTED_COMMENTS, comments, out=args.comments), file=sys.stderr)
    return EXIT_OK


def invite_customers(args: argparse.Namespace, load_project_fn: LoadProject) -> int:
    """Print one-time invitation links (signed with $HANDBOOK_INVITE_SECRET), one per answer."""
    import os  # noqa: PLC0415

    from generator.cli.invitation_links import invitation_link  # noqa: PLC0415
    from generator.feedback.invitations import check_subject, issue_token  # noqa: PLC0415
    from generator.feedback.periods import period_end  # noqa: PLC0415
    from generator.feedback.receiver import ReceiverConfigError, invite_secret  # noqa: PLC0415

    if not 1 <= args.count <= 10_000:
        raise CommandError(msg("--count must be between 1 and 10000"), EXIT_USAGE)
    project = load_project_fn(args.dir)
    settings = project.settings.feedback
    today = datetime.now(UTC).date()
    expires = args.expires or period_end(today, settings.period)
    if expires < today:
        raise CommandError(msg("--expires lies in the past"), EXIT_USAGE)
    keys = project.organisation.feedback_keys()
    for subject in args.subjects:
        try:
            check_subject(subject)
        except ValueError as exc:
            raise CommandError(f"{subject!r}: {exc}", EXIT_USAGE) from None
        if subject.partition("#")[0] not in keys:
            raise CommandError(msg(_NO_SUCH_KEY.template, key=subject.partition("#")[0]))
    try:
        secret = invite_secret(settings, os.environ, required=True)
    except ReceiverConfigError as exc:
        raise CommandError(str(exc)) from None
    assert secret is not None
    for subject in args.subjects:
        for _ in range(args.count):
            token = issue_token(secret, subject, expires)
            print(token if args.tokens else invitation_link(project, subject, token))
    total = args.count * len(args.subjects)
    print(words.counted(ISSUED, total, until=expires.isoformat()), file=sys.stderr)
    return EXIT_OK


def _bind(handler: Handler, load_project_fn: LoadProject) -> Callable[[argparse.Namespace], int]:
    """The ``func`` for argparse: run ``handler`` and turn failures into an exit status."""

    def run(args: argparse.Namespace) -> int:
        from sqlalchemy.exc import SQLAlchemyError  # noqa: PLC0415 - see the module note

        from generator.database import describe  # noqa: PLC0415

        try:
            return handler(args, load_project_fn)
        except CommandError as exc:
            explained = exc.explain(words.catalog())
            shown = words.error(explained) if exc.status == EXIT_USAGE else f"handbook: {explained}"
            print(shown, file=sys.stderr)
            return exc.status
        except SQLAlchemyError as exc:
            print(f"handbook: feedback database error: {describe(exc)}", file=sys.stderr)
            return EXIT_FAILED

    return run


def _checked_period(args: argparse.Namespace) -> tuple[datetime | None, datetime | None]:
    since, until = period(args.since, args.until)
    if since and until and since >= until:
        raise CommandError(msg("--since must not be after --until"), EXIT_USAGE)
    return since, until


@contextmanager
def _opened_store(args: argparse.Namespace, project: Project) -> Iterator[Store]:
    from generator.database import default_database_url  # noqa: PLC0415 - see the module note
    from generator.feedback.storage import StoreError, open_store  # noqa: PLC0415

    url = args.database or default_database_url(project.root)
    try:
        store = open_store(url)
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
            msg(_CANNOT_WRITE.template, path=path, why=exc.strerror or exc)
        ) from None
    with stream:
        yield stream
