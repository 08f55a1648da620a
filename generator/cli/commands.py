"""The ``handbook`` command: validate, build, serve, render and scaffold handbooks."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from generator.cli import report, scaffold
from generator.diagnostics.codes import all_codes
from generator.diagnostics.values import (
    Diagnostic,
    HandbookError,
    Location,
    Severity,
    format_github,
    format_json,
    format_text,
    sort_key,
    worst,
)
from generator.git import codeowners
from generator.i18n import LANGUAGES
from generator.model.settings import Settings
from generator.project import Project, load_project
from generator.site import build as site_build
from generator.site import export
from generator.site.config import AUDIENCE_ENV
from generator.version import __version__, is_release

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
CONFIG_FILE = "mkdocs.yml"


class UsageError(HandbookError):
    """The command line asks for something impossible (exit status 2)."""

    exit_status = 2


def _config_file(directory: Path) -> Path:
    return directory / CONFIG_FILE


def load_settings(directory: Path, *, strict: bool = False) -> Settings:
    """Settings from the ``handbook`` plugin in ``DIR/mkdocs.yml`` (defaults without one)."""
    config_file = _config_file(directory)
    if not config_file.is_file():
        return Settings(strict=strict)
    config = site_build.load_mkdocs_config(config_file, strict=strict)
    return site_build.handbook_settings(config)


def print_diagnostics(diags: Sequence[Diagnostic], fmt: str) -> None:
    """Write diagnostics to stdout (json) or stderr (text, github) in the chosen format."""
    if fmt == "json":
        print(format_json(diags))
        return
    formatter: Callable[[Diagnostic], str] = format_github if fmt == "github" else format_text
    for diag in diags:
        print(formatter(diag), file=sys.stderr if fmt == "text" else sys.stdout)
    if fmt == "text" and diags:
        counts = {s: sum(1 for d in diags if d.severity is s) for s in Severity}
        summary = ", ".join(
            f"{n} {s}{'s' if n != 1 else ''}" for s, n in sorted(counts.items(), reverse=True) if n
        )
        print(f"\nFound {summary}.", file=sys.stderr)


def _relative_to_cwd(diag: Diagnostic, directory: Path) -> Diagnostic:
    where = diag.location
    path = os.path.relpath(directory / where.file)
    location = Location(Path(path).as_posix(), where.line, where.column)
    return dataclasses.replace(diag, location=location)


def failed(diags: Sequence[Diagnostic], *, strict: bool) -> bool:
    """Errors always fail; with ``--strict`` warnings do too."""
    level = worst(diags)
    return level is not None and (level is Severity.ERROR or (strict and level is Severity.WARNING))


def _load(directory: Path, strict: bool) -> tuple[Project, list[Diagnostic]]:
    if not directory.is_dir():
        raise UsageError(f"{directory} is not a directory")
    return load_project(directory, load_settings(directory, strict=strict))


def _checked(directory: Path, strict: bool) -> tuple[Project, list[Diagnostic]]:
    """The project and every finding, the CODEOWNERS check included."""
    project, diags = _load(directory, strict)
    stale = codeowners.codeowners_diagnostics(project, project.settings.admins)
    return project, sorted([*diags, *stale], key=sort_key)


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every role file and report all findings at once."""
    project, diags = _checked(args.dir, args.strict)
    if args.format == "github":  # annotations name files relative to the repository checkout
        diags = [_relative_to_cwd(d, args.dir) for d in diags]
    print_diagnostics(diags, args.format)
    if args.format == "text" and not diags:
        roles = len(project.organisation.roles)
        print(
            f"{roles} roles in {len(project.organisation.teams)} teams: no problems found.",
            file=sys.stderr,
        )
    return EXIT_ERRORS if failed(diags, strict=args.strict) else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    """Validate, then build the site into a fresh folder and swap it in."""
    config_file = _require_config(args.dir)
    _project, diags = _checked(args.dir, args.strict)
    print_diagnostics(diags, "text")
    if failed(diags, strict=args.strict):
        print("Build stopped: the previous site was left as it was.", file=sys.stderr)
        return EXIT_ERRORS
    ok = site_build.build_site(config_file, site_dir=args.site_dir, strict=args.strict)
    return EXIT_OK if ok else EXIT_ERRORS


def cmd_render(args: argparse.Namespace) -> int:
    """Write the generated Markdown (with the content pages) for inspection or another engine."""
    config_file = _require_config(args.dir)
    project, diags = _load(args.dir, False)
    print_diagnostics(diags, "text")
    if failed(diags, strict=False):
        return EXIT_ERRORS
    count = export.render_markdown(config_file, project, args.out)
    print(f"Wrote {count} files to {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Build and serve the handbook with live reload and the feedback receiver."""
    config_file = _require_config(args.dir)
    try:
        from generator.site.serve import serve_handbook  # noqa: PLC0415 - web stack only needed here
    except ImportError as exc:
        raise UsageError(
            f"'handbook serve' needs the feedback receiver ({exc.name} is missing): "
            "pip install 'expectations-handbook[feedback]'"
        ) from None

    serve_handbook(
        str(config_file),
        dev_addr=args.dev_addr,
        database_url=args.database,
        load_project_fn=project_loader,
    )
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    """Create a new handbook with a sample role."""
    written = scaffold.create(args.dir, __version__)
    for path in written:
        print(f"created {path}", file=sys.stderr)
    if not is_release(__version__):
        print(
            f"handbook: warning: requirements.txt pins the development version {__version__},"
            " which no package index has; pin a released version before CI runs",
            file=sys.stderr,
        )
    print(f"\nNext: handbook validate {args.dir} && handbook serve {args.dir}", file=sys.stderr)
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    """List every diagnostic code with its name, default severity and meaning."""
    for code in all_codes():
        print(f"{code.code:<18} {code.name:<28} {code.severity!s:<8} {code.summary}")
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    """Explain what changed for people between two git revisions of the handbook."""
    from generator.cli import diff_messages  # noqa: PLC0415 - git is only needed here
    from generator.git import diff  # noqa: PLC0415
    from generator.git import revisions as gitrev  # noqa: PLC0415

    if not args.dir.is_dir():
        print(diff_messages.not_a_directory(args.dir, args.language or "en"), file=sys.stderr)
        return EXIT_USAGE
    settings = load_settings(args.dir)
    language = args.language or settings.language
    problem = diff_messages.revision_problem(args.dir, [args.base, args.head], language)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    try:
        changes, old, new = diff.compare(
            args.dir, args.base, args.head, settings, language=language
        )
    except gitrev.GitError as exc:
        print(diff_messages.error(str(exc), language), file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        print(diff.format_json(changes, base=args.base, head=args.head or gitrev.WORKTREE))
    else:
        print(diff.format_markdown(changes, new, before=old, language=language), end="")
    return EXIT_OK


def cmd_codeowners(args: argparse.Namespace) -> int:
    """Write CODEOWNERS from the roles' owners; with --check, only report if it is stale."""
    project, diags = _load(args.dir, False)
    if failed(diags, strict=False):
        print_diagnostics(diags, "text")
        return EXIT_ERRORS
    admins = args.admin or list(project.settings.admins)
    if args.check:  # warnings (no file yet, unusable owners) are shown; only a stale file fails
        print_diagnostics(codeowners.codeowners_diagnostics(project, admins, required=True), "text")
        return EXIT_ERRORS if codeowners.is_stale(project, admins) else EXIT_OK
    path, changed = codeowners.write(project, admins)
    print(f"{'wrote' if changed else 'up to date:'} {path}", file=sys.stderr)
    return EXIT_OK


def _require_config(directory: Path) -> Path:
    config_file = _config_file(directory)
    if not config_file.is_file():
        raise UsageError(
            f"no {CONFIG_FILE} in {directory}; create a handbook with 'handbook new {directory}'"
        )
    return config_file


def _add_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=Path(),
        help="handbook folder with mkdocs.yml and roles/ (default: .)",
    )


def _add_audience(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--audience",
        choices=("everyone", "leaders"),
        help="the edition to build (default: the plugin's audience): leaders adds manual "
        "measurements and reward eligibility; publish it only behind a sign-in",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="handbook", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' debug output")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = sub.add_parser(
        "validate", help=cmd_validate.__doc__, description=cmd_validate.__doc__
    )
    _add_dir(validate)
    validate.add_argument("--format", choices=("text", "json", "github"), default="text")
    validate.add_argument("--strict", action="store_true", help="warnings fail too")
    validate.set_defaults(func=cmd_validate)

    build = sub.add_parser("build", help=cmd_build.__doc__, description=cmd_build.__doc__)
    _add_dir(build)
    build.add_argument("--strict", action="store_true", help="warnings fail the build")
    build.add_argument("--site-dir", type=Path, help="output folder (default: from mkdocs.yml)")
    _add_audience(build)
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", help=cmd_serve.__doc__, description=cmd_serve.__doc__)
    _add_dir(serve)
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT")
    serve.add_argument(
        "--database",
        default=None,
        help="feedback database URL (default: sqlite file feedback.db in DIR)",
    )
    _add_audience(serve)
    serve.set_defaults(func=cmd_serve)

    render = sub.add_parser("render", help=cmd_render.__doc__, description=cmd_render.__doc__)
    _add_dir(render)
    render.add_argument("--out", type=Path, required=True, help="folder to write to")
    _add_audience(render)
    render.set_defaults(func=cmd_render)

    new = sub.add_parser("new", help=cmd_new.__doc__, description=cmd_new.__doc__)
    new.add_argument("dir", type=Path, help="folder to create")
    new.set_defaults(func=cmd_new)

    diff = sub.add_parser("diff", help=cmd_diff.__doc__, description=cmd_diff.__doc__)
    diff.add_argument("base", help="the earlier revision (a commit, branch or tag)")
    diff.add_argument("head", nargs="?", help="the later revision (default: the working tree)")
    diff.add_argument("-C", "--dir", type=Path, default=Path(), help="handbook folder (default: .)")
    diff.add_argument("--format", choices=("markdown", "json"), default="markdown")
    diff.add_argument(
        "--language",
        choices=LANGUAGES,
        help="language of the report and messages (default: the handbook's)",
    )
    diff.set_defaults(func=cmd_diff)

    owners = sub.add_parser(
        "codeowners", help=cmd_codeowners.__doc__, description=cmd_codeowners.__doc__
    )
    _add_dir(owners)
    owners.add_argument("--check", action="store_true", help="fail if CODEOWNERS is stale")
    owners.add_argument(
        "--admin",
        action="append",
        default=[],
        metavar="OWNER",
        help="owner of mkdocs.yml, workflows and everything else (default: plugin 'admins')",
    )
    owners.set_defaults(func=cmd_codeowners)

    rules = sub.add_parser("rules", help=cmd_rules.__doc__, description=cmd_rules.__doc__)
    rules.set_defaults(func=cmd_rules)

    _add_feedback_commands(sub)
    _add_requests_commands(sub)
    report.add_command(sub, project_loader)
    return parser


def _add_feedback_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    try:
        from generator.cli.feedback import add_commands  # noqa: PLC0415 - optional extra
    except ImportError:  # the feedback extra is not installed
        return
    add_commands(sub, project_loader)


def _add_requests_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from generator.cli.requests import add_commands  # noqa: PLC0415 - loads its database layer lazily

    add_commands(sub, project_loader)


def project_loader(directory: Path) -> Project:
    """Load a project for a subcommand; print diagnostics and exit 1 on errors."""
    project, diags = _load(directory, False)
    if failed(diags, strict=False):
        print_diagnostics(diags, "text")
        raise SystemExit(EXIT_ERRORS)
    return project


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    site_build.configure_logging(verbose=args.verbose)
    if getattr(args, "audience", None):
        os.environ[AUDIENCE_ENV] = args.audience
    try:
        result: int = args.func(args)
    except UsageError as exc:
        print(f"handbook: error: {exc}", file=sys.stderr)
        return exc.exit_status
    except HandbookError as exc:
        print(f"handbook: {exc.explain()}", file=sys.stderr)
        return exc.exit_status
    except FileExistsError as exc:
        print(f"handbook: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    except KeyboardInterrupt:
        return 130
    return result


if __name__ == "__main__":
    logging.captureWarnings(True)
    sys.exit(main())
