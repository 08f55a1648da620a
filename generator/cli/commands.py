"""The ``handbook`` command: validate, build, serve, render and scaffold handbooks."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from generator.cli import report, words
from generator.diagnostics.codes import all_codes
from generator.diagnostics.values import (
    SEVERITY_WORDS,
    Diagnostic,
    HandbookError,
    Location,
    Severity,
    format_github,
    format_json,
    msg,
    msg_plural,
    sort_key,
    worst,
)
from generator.git import codeowners
from generator.i18n import LANGUAGES, translate
from generator.model.settings import Settings
from generator.project import FileCache, Project, load_project
from generator.site import settings_file
from generator.site.logs import configure_logging
from generator.site.options import AUDIENCE_ENV

# Each command imports what only it needs (MkDocs' build, the scaffold, the web stack):
# `handbook validate` runs in a pre-commit hook, on every commit.

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
CONFIG_FILE = "mkdocs.yml"


class UsageError(HandbookError):
    """The command line asks for something impossible (exit status 2)."""

    exit_status = 2


def _config_file(directory: Path) -> Path:
    return directory / CONFIG_FILE


_NO_PROBLEMS = msg("%(roles)s in %(teams)s: no problems found.")
_ROLES = msg_plural("%(count)s role", "%(count)s roles", 0)
_TEAMS = msg_plural("%(count)s team", "%(count)s teams", 0)
_BUILD_STOPPED = msg("Build stopped: the previous site was left as it was.")
_WROTE_FILES = msg_plural("Wrote %(count)s file to %(out)s", "Wrote %(count)s files to %(out)s", 0)
_NOT_A_DIRECTORY = msg("%(dir)s is not a directory")
_NO_CONFIG = msg("no %(config)s in %(dir)s; create a handbook with 'handbook new %(dir)s'")
_SERVE_EXTRA = msg(
    "'handbook serve' needs the feedback receiver (%(module)s is missing): "
    "pip install 'expectations-handbook[feedback]'"
)
_CREATED = msg("created %(path)s")
_DEVELOPMENT_PIN = msg(
    "requirements.txt pins the development version %(version)s, which no package index has;"
    " pin a released version before CI runs"
)
_NEXT = msg("Next: handbook validate %(dir)s && handbook serve %(dir)s")
_WROTE = msg("wrote %(path)s")
_UP_TO_DATE = msg("up to date: %(path)s")


def load_settings(directory: Path, *, strict: bool = False) -> Settings:
    """Settings from the ``handbook`` plugin in ``DIR/mkdocs.yml`` (defaults without one)."""
    config_file = _config_file(directory)
    if not config_file.is_file():
        return Settings(strict=strict)
    return settings_file.load_settings(config_file, strict=strict)


def print_diagnostics(diags: Sequence[Diagnostic], fmt: str) -> None:
    """Write diagnostics to stdout (json) or stderr (text, github) in the chosen format.

    Messages and hints are in this run's language; JSON keeps severities as codes.
    """
    catalog = words.catalog()
    if fmt == "json":
        print(format_json(d.localized(catalog) for d in diags))
        return
    if fmt == "github":
        for diag in diags:
            print(format_github(diag.localized(catalog)))
        return
    for diag in diags:
        print(words.diagnostic(diag), file=sys.stderr)
    if diags:
        print(f"\n{words.counts(diags)}", file=sys.stderr)


def _relative_to_cwd(diag: Diagnostic, directory: Path) -> Diagnostic:
    where = diag.location
    path = os.path.relpath(directory / where.file)
    location = Location(Path(path).as_posix(), where.line, where.column)
    return dataclasses.replace(diag, location=location)


def failed(diags: Sequence[Diagnostic], *, strict: bool) -> bool:
    """Errors always fail; with ``--strict`` warnings do too."""
    level = worst(diags)
    return level is not None and (level is Severity.ERROR or (strict and level is Severity.WARNING))


def _load(
    directory: Path, strict: bool, cache: FileCache | None = None
) -> tuple[Project, list[Diagnostic]]:
    if not directory.is_dir():
        raise UsageError(msg(_NOT_A_DIRECTORY.template, dir=words.quoted(directory)))
    return load_project(directory, load_settings(directory, strict=strict), cache=cache)


def _checked(
    directory: Path, strict: bool, cache: FileCache | None = None
) -> tuple[Project, list[Diagnostic]]:
    """The project and every finding, the CODEOWNERS check included."""
    project, diags = _load(directory, strict, cache)
    stale = codeowners.codeowners_diagnostics(project, project.settings.admins)
    return project, sorted([*diags, *stale], key=sort_key)


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every role file and report all findings at once."""
    project, diags = _checked(args.dir, args.strict)
    if args.format == "github":  # annotations name files relative to the repository checkout
        diags = [_relative_to_cwd(d, args.dir) for d in diags]
    print_diagnostics(diags, args.format)
    if args.format == "text" and not diags:
        roles = words.counted(_ROLES, len(project.organisation.roles))
        teams = words.counted(_TEAMS, len(project.organisation.teams))
        print(words.say(msg(_NO_PROBLEMS.template, roles=roles, teams=teams)), file=sys.stderr)
    return EXIT_ERRORS if failed(diags, strict=args.strict) else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    """Validate, then build the site into a fresh folder and swap it in."""
    config_file = _require_config(args.dir)
    files: FileCache = {}  # the build reads the role files as this check did: once
    _project, diags = _checked(args.dir.resolve(), args.strict, files)
    print_diagnostics(diags, "text")
    if failed(diags, strict=args.strict):
        print(words.say(_BUILD_STOPPED), file=sys.stderr)
        return EXIT_ERRORS
    from generator.site.build import build_site  # noqa: PLC0415 - MkDocs, only to build

    ok = build_site(
        config_file,
        site_dir=args.site_dir,
        strict=args.strict,
        shown=diags,
        jobs=args.jobs,
        files=files,
    )
    return EXIT_OK if ok else EXIT_ERRORS


def cmd_render(args: argparse.Namespace) -> int:
    """Write the generated Markdown (with the content pages) for inspection or another engine."""
    config_file = _require_config(args.dir)
    project, diags = _load(args.dir, False)
    print_diagnostics(diags, "text")
    if failed(diags, strict=False):
        return EXIT_ERRORS
    from generator.site.export import render_markdown  # noqa: PLC0415 - MkDocs, only here

    count = render_markdown(config_file, project, args.out, jobs=args.jobs)
    print(words.counted(_WROTE_FILES, count, out=args.out), file=sys.stderr)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Build and serve the handbook with live reload and the feedback receiver."""
    config_file = _require_config(args.dir)
    try:
        from generator.site.serve import serve_handbook  # noqa: PLC0415 - web stack only needed here
    except ImportError as exc:
        raise UsageError(msg(_SERVE_EXTRA.template, module=exc.name)) from None

    serve_handbook(
        str(config_file),
        dev_addr=args.dev_addr,
        database_url=args.database,
        load_project_fn=project_loader,
    )
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    """Create a new handbook with a sample role."""
    from generator.cli import scaffold  # noqa: PLC0415 - only to create a handbook
    from generator.version import __version__, is_release  # noqa: PLC0415

    written = scaffold.create(args.dir, __version__, language=args.language or "en")
    for path in written:
        print(words.say(msg(_CREATED.template, path=path)), file=sys.stderr)
    if not is_release(__version__):
        print(words.warning(msg(_DEVELOPMENT_PIN.template, version=__version__)), file=sys.stderr)
    print(f"\n{words.say(msg(_NEXT.template, dir=args.dir))}", file=sys.stderr)
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    """List every diagnostic code with its name, default severity and meaning."""
    catalog = words.catalog()
    for code in all_codes():
        severity = SEVERITY_WORDS[code.severity].render(catalog)
        summary = translate(words.language(), code.summary)
        print(f"{code.code:<18} {code.name:<28} {severity:<12} {summary}")
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
    print(words.say(msg((_WROTE if changed else _UP_TO_DATE).template, path=path)), file=sys.stderr)
    return EXIT_OK


def _require_config(directory: Path) -> Path:
    config_file = _config_file(directory)
    if not config_file.is_file():
        raise UsageError(msg(_NO_CONFIG.template, config=CONFIG_FILE, dir=directory))
    return config_file


def _add_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=Path(),
        help="handbook folder with mkdocs.yml and roles/ (default: .)",
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {text!r}")
    return value


def _add_jobs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        default=None,
        metavar="N",
        help="processes that render the pages (default: one per usable CPU, one for a small "
        "handbook); the site is the same whatever the number",
    )


def _add_jobs_and_audience(parser: argparse.ArgumentParser) -> None:
    _add_jobs(parser)
    _add_audience(parser)


def _add_audience(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--audience",
        choices=("everyone", "leaders"),
        help="the edition to build (default: the plugin's audience): leaders adds manual "
        "measurements and reward eligibility; publish it only behind a sign-in",
    )


class _VersionAction(argparse.Action):
    """``--version``: the installed version, looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS) -> None:
        super().__init__(
            option_strings,
            dest,
            nargs=0,
            default=argparse.SUPPRESS,
            help="show program's version number and exit",
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        from generator.version import __version__  # noqa: PLC0415 - reads the package metadata

        print(f"{parser.prog} {__version__}")
        parser.exit()


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser for every subcommand.

    For a ``command`` defined here the feedback, requests and report commands are left
    out: their modules take longer to import than a small ``handbook validate`` runs.
    """
    parser = argparse.ArgumentParser(prog="handbook", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' debug output")
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = sub.add_parser(
        "validate", help=cmd_validate.__doc__, description=cmd_validate.__doc__
    )
    _add_dir(validate)
    words.add_option(validate)
    validate.add_argument("--format", choices=("text", "json", "github"), default="text")
    validate.add_argument("--strict", action="store_true", help="warnings fail too")
    validate.set_defaults(func=cmd_validate)

    build = sub.add_parser("build", help=cmd_build.__doc__, description=cmd_build.__doc__)
    _add_dir(build)
    words.add_option(build)
    build.add_argument("--strict", action="store_true", help="warnings fail the build")
    build.add_argument("--site-dir", type=Path, help="output folder (default: from mkdocs.yml)")
    _add_jobs_and_audience(build)
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", help=cmd_serve.__doc__, description=cmd_serve.__doc__)
    _add_dir(serve)
    words.add_option(serve)
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
    words.add_option(render)
    render.add_argument("--out", type=Path, required=True, help="folder to write to")
    _add_jobs_and_audience(render)
    render.set_defaults(func=cmd_render)

    _add_new(sub)

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
    words.add_option(owners)
    owners.add_argument("--check", action="store_true", help="fail if CODEOWNERS is stale")
    owners.add_argument(
        "--admin",
        action="append",
        default=[],
        metavar="OWNER",
        help="owner of mkdocs.yml, workflows and everything else (default: plugin 'admins')",
    )
    owners.set_defaults(func=cmd_codeowners)

    _add_rules(sub)

    if command not in sub.choices:
        _add_feedback_commands(sub)
        _add_requests_commands(sub)
        report.add_command(sub, project_loader)
    return parser


def _add_new(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    new = sub.add_parser("new", help=cmd_new.__doc__, description=cmd_new.__doc__)
    new.add_argument("dir", type=Path, help="folder to create")
    new.add_argument(
        "--language",
        choices=LANGUAGES,
        default=None,
        help="language of the new handbook's pages and of the messages (default: en)",
    )
    new.set_defaults(func=cmd_new)


def _add_rules(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rules = sub.add_parser("rules", help=cmd_rules.__doc__, description=cmd_rules.__doc__)
    words.add_option(rules)
    rules.set_defaults(func=cmd_rules)


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


def _language_of(args: argparse.Namespace) -> str:
    """``--language``, else the language of the handbook the command works on, else English."""
    chosen: str | None = getattr(args, "language", None)
    if chosen:
        return chosen
    directory = getattr(args, "dir", None)
    if args.command == "new" or not isinstance(directory, Path):
        return "en"
    config_file = _config_file(directory)
    return settings_file.configured_language(config_file) if config_file.is_file() else "en"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(next((a for a in arguments if not a.startswith("-")), None))
    args = parser.parse_args(arguments)
    if getattr(args, "audience", None):
        os.environ[AUDIENCE_ENV] = args.audience
    words.use(_language_of(args))
    configure_logging(verbose=args.verbose)
    try:
        result: int = args.func(args)
    except UsageError as exc:
        print(words.error(exc.explain(words.catalog())), file=sys.stderr)
        return exc.exit_status
    except HandbookError as exc:
        print(f"handbook: {exc.explain(words.catalog())}", file=sys.stderr)
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
