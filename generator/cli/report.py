"""``handbook report``: measure every promise per period, from the handbook's database.

The report holds, per period (quarter or month), each commitment's requests and the
share that met their response and resolution targets (with median and 90th-percentile
time on the commitment's clock, per priority), and each commitment's feedback; groups
smaller than the threshold carry their size only. It also states every expectation's
value and status and every reward's eligibility, judged with the manual measurements
in the repository. Pages show it when ``measure: {report: FILE}`` names it.

The report can single out people (a role's manual values and its rewards): keep it out
of public places; the site for everyone never shows those parts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.cli import words
from generator.diagnostics.values import HandbookError
from generator.i18n import translate, translate_plural

if TYPE_CHECKING:  # the measuring stage is imported when the command runs, not by every command
    from generator.measure.levels import Rating, RequestTimes
    from generator.measure.outcomes import Outcome, RewardOutcome
    from generator.measure.report import MeasuredReport
    from generator.project import Project

LoadProject = Callable[[Path], "Project"]


class ReportCommandError(HandbookError):
    """The report could not be made (a database, a date, a file)."""


def add_command(subparsers: Any, load_project_fn: LoadProject) -> None:
    """Add ``report``."""
    parser = subparsers.add_parser(
        "report", help="measure every promise per period (requests, feedback, measurements)",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument("dir", nargs="?", type=Path, default=Path(), help="handbook folder")
    parser.add_argument(
        "--database", metavar="URL",
        help="SQLAlchemy URL (default: $HANDBOOK_DATABASE_URL, else sqlite DIR/feedback.db)",
    )  # fmt: skip
    parser.add_argument(
        "--out", type=Path,
        help="file to write (default: the plugin's measure.report, else standard output)",
    )  # fmt: skip
    parser.add_argument(
        "--as-of", metavar="WHEN", help="measure as of this ISO date or time (default: now)"
    )
    words.add_option(parser)
    parser.set_defaults(func=lambda args: run(args, load_project_fn))


def run(args: argparse.Namespace, load_project_fn: LoadProject) -> int:
    """Make the report and write it; print a summary of the latest period."""
    from generator.measure.promises import promises  # noqa: PLC0415 - see the imports above
    from generator.measure.report import build_report, report_to_json, write_report  # noqa: PLC0415

    project = load_project_fn(args.dir)
    settings = project.settings
    as_of = _as_of(args.as_of, settings.calendar.timezone)
    url = args.database or _default_url(project.root)
    requests, ratings = _read_database(url)
    promised = promises(project.organisation, settings.calendar)
    report = build_report(
        requests,
        ratings,
        promised,
        kind=settings.measure.period,
        timezone=settings.calendar.timezone,
        periods=settings.measure.periods,
        as_of=as_of,
        min_group=settings.feedback.min_responses,
        also=project.measurements,
    )
    data = report_to_json(report, _judged(project, report))
    out = args.out or (project.root / settings.measure.report if settings.measure.report else None)
    if out is None or str(out) == "-":
        write_json = sys.stdout.write
        import json  # noqa: PLC0415 - only for standard output

        write_json(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        try:
            write_report(out, data)
        except OSError as exc:
            raise ReportCommandError(f"cannot write {out}: {exc.strerror or exc}") from None
    for line in _summary(project, report):
        print(line, file=sys.stderr)
    return 0


def _as_of(text: str | None, timezone: str) -> dt.datetime:
    if text is None:
        return dt.datetime.now(dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ReportCommandError(
            f"--as-of: {text!r} is not an ISO date or time (e.g. 2026-12-31)"
        ) from None
    if moment.tzinfo is None:
        import zoneinfo  # noqa: PLC0415

        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(timezone))
    return moment


def _default_url(root: Path) -> str:
    try:
        from generator.database import default_database_url  # noqa: PLC0415
    except ImportError as exc:
        raise _missing_extra(exc) from None
    return default_database_url(root)


def _missing_extra(exc: ImportError) -> ReportCommandError:
    return ReportCommandError(
        f"'handbook report' reads the handbook's database ({exc.name} is missing): "
        "pip install 'expectations-handbook[feedback]'"
    )


def _read_database(url: str) -> tuple[list[RequestTimes], list[Rating]]:
    """Every stored request and feedback answer (names are never stored)."""
    from generator.measure.levels import Rating, RequestTimes  # noqa: PLC0415

    try:
        from generator.feedback.storage import StoreError, open_store  # noqa: PLC0415
        from generator.requests import store as request_store  # noqa: PLC0415
    except ImportError as exc:
        raise _missing_extra(exc) from None
    try:
        feedback = open_store(url)
    except StoreError as exc:
        raise ReportCommandError(str(exc)) from None
    try:
        ratings = [Rating(r.key, r.rating, r.priority, r.created_at) for r in feedback.rows()]
    finally:
        feedback.close()
    try:
        stored = request_store.open_store(url)
    except request_store.StoreError as exc:
        raise ReportCommandError(str(exc)) from None
    try:
        requests = [
            RequestTimes(r.commitment, r.priority, r.opened, r.first_response, r.resolved)
            for r in stored.requests()
        ]
    finally:
        stored.close()
    return requests, ratings


def _judged(project: Project, report: MeasuredReport) -> dict[str, Any]:
    """Each period's expectations and rewards, judged, for the report's readers."""
    from generator.measure.views import measured_view  # noqa: PLC0415

    settings = project.settings
    view = measured_view(
        project.organisation,
        report,
        project.measurements,
        kind=settings.measure.period,
        periods=settings.measure.periods,
        min_group=settings.feedback.min_responses,
        audience="leaders",
    )
    return {
        period.period.id: {
            "measurements": {
                key: {"value": m.value, "note": m.note}
                for key, m in project.measurements.get(period.period, {}).items()
            },
            "expectations": {k: _outcome_json(v) for k, v in period.outcomes.items()},
            "rewards": {k: _reward_json(v) for k, v in period.rewards.items()},
        }
        for period in view.periods
    }


def _outcome_json(outcome: Outcome) -> dict[str, Any]:
    return {
        "value": outcome.value,
        "status": outcome.status,
        "reason": outcome.reason,
        "count": outcome.count,
    }


def _reward_json(outcome: RewardOutcome) -> dict[str, Any]:
    return {
        "status": outcome.status,
        "failed": list(outcome.failed),
        "unmeasured": list(outcome.unmeasured),
    }


def _summary(project: Project, report: MeasuredReport) -> Iterator[str]:
    """One line per period: services measured, expectations by status, rewards earned."""
    from generator.measure.views import measured_view  # noqa: PLC0415

    language = words.language()
    if not report.periods and not project.measurements:
        yield translate(language, "No requests, feedback or measurements to report yet.")
        return
    view = measured_view(
        project.organisation,
        report,
        project.measurements,
        kind=project.settings.measure.period,
        periods=project.settings.measure.periods,
        min_group=project.settings.feedback.min_responses,
        audience="leaders",
    )
    for period in view.periods:
        services = sum(1 for level in period.services.values() if not level.hidden)
        statuses = [o.status for o in period.outcomes.values()]
        measured = sum(1 for s in statuses if s != "unknown")
        earned = sum(1 for r in period.rewards.values() if r.status == "met")
        values = {
            "period": period.period.id,
            "services": translate_plural(language, "%(num)s service", "%(num)s services", services)
            % {"num": services},
            "measured": measured,
            "expectations": translate_plural(
                language, "%(num)s expectation", "%(num)s expectations", len(statuses)
            )
            % {"num": len(statuses)},
            "rewards": translate_plural(
                language, "%(num)s reward earned", "%(num)s rewards earned", earned
            )
            % {"num": earned},
            "of": len(period.rewards),
        }
        yield (
            translate(
                language,
                "%(period)s: %(services)s measured from requests; %(measured)s of "
                "%(expectations)s measured; %(rewards)s of %(of)s.",
            )
            % values
        )
