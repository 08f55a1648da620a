"""The one place the site is put together: pages, files, navigation and edit links.

The MkDocs plugin, ``handbook render`` and ``handbook serve`` all go through
:func:`load_inputs` and :func:`assemble`, so what they publish cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.check.cache import RuleCache
from generator.diagnostics import codes
from generator.diagnostics.values import Diagnostic, HandbookError, Location, Severity, msg
from generator.git.history import ParseCache, history_by_role
from generator.i18n import translate
from generator.load.files import FileCache
from generator.load.schema import SCHEMA_NAMES, load_schemas, schema_text
from generator.measure.report import MeasuredReport, load_report
from generator.measure.scores import Scores, load_scores, scores_from_period
from generator.measure.views import Measured, measured_view
from generator.model.history import RoleHistory
from generator.model.settings import Settings
from generator.project import Project, load_project
from generator.render import addresses
from generator.render.assets import ASSETS, SEARCH_WORKER, asset_text
from generator.render.pages import OVERVIEW_MARKER, RenderCache, render_overview, render_site
from generator.render.search import DocumentCache, SearchDocument
from generator.site.nav import merge_nav, nav_titles

REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "admonition", "tables", "toc")
"""Markdown extensions the generated pages need."""
STYLESHEETS = tuple(p for p in ASSETS if p.endswith(".css"))
SCRIPTS = tuple(p for p in ASSETS if p.endswith(".js"))


@dataclass(frozen=True, slots=True)
class SiteInputs:
    """Everything the pages are made from, read before rendering."""

    project: Project
    scores: Scores | None = None
    history: Mapping[str, RoleHistory] = field(default_factory=dict)
    measured: Measured | None = None


@dataclass(slots=True)
class Caches:
    """Work kept between rebuilds of ``mkdocs serve``: files read and checked, versions parsed,
    pages, search documents and their JSON."""

    files: FileCache = field(default_factory=dict)
    rules: RuleCache = field(default_factory=RuleCache)
    history: ParseCache = field(default_factory=dict)
    render: RenderCache = field(default_factory=RenderCache)
    documents: DocumentCache = field(default_factory=dict)
    search_texts: dict[int, tuple[SearchDocument, str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AssembledSite:
    """What the handbook adds to a site."""

    pages: Mapping[str, str]
    """Generated pages: Markdown by source path."""
    files: Mapping[str, str]
    """Other files by source path: the published schemas, stylesheets and scripts."""
    nav: list[Any]
    """The whole navigation: the author's part first, then the handbook's."""
    titles: Mapping[str, str]
    """The navigation title of each generated page."""
    role_pages: frozenset[str]
    """Source paths of role pages (listed in no sidebar)."""
    edit_urls: Mapping[str, str]
    """Where to propose a change to each role page's YAML file."""


def load_inputs(
    root: Path,
    settings: Settings,
    *,
    history_entries: int | None,
    caches: Caches | None = None,
) -> tuple[SiteInputs, list[Diagnostic]]:
    """Load and check the handbook at ``root`` with its scores and (if wanted) history."""
    caches = caches or Caches()
    project, diags = load_project(root, settings, cache=caches.files, rule_cache=caches.rules)
    inputs, problems = gather(project, history_entries=history_entries, caches=caches)
    return inputs, diags + problems


def gather(
    project: Project, *, history_entries: int | None, caches: Caches | None = None
) -> tuple[SiteInputs, list[Diagnostic]]:
    """A loaded project's scores, measurements and history: what pages show besides roles."""
    caches = caches or Caches()
    settings = project.settings
    scores, problems = load_scores(project.root, project.organisation, settings.feedback)
    report, missing = _measured_report(project)
    problems.extend(missing)
    measured = measured_view(
        project.organisation,
        report,
        project.measurements,
        kind=settings.measure.period,
        periods=settings.measure.periods,
        min_group=settings.feedback.min_responses,
        audience=settings.audience,
    )
    if scores is None and report is not None:
        scores = scores_from_period(report.latest(), project.organisation, measured.min_group)
    history = (
        history_by_role(project, history_entries, cache=caches.history) if history_entries else {}
    )
    inputs = SiteInputs(project, scores, history, measured)
    return inputs, problems


def _measured_report(project: Project) -> tuple[MeasuredReport | None, list[Diagnostic]]:
    """The configured measured report; a missing one is a warning with a hint."""
    name = project.settings.measure.report
    if not name:
        return None, []
    path = project.root / name
    if not path.exists():
        hint = msg("run `handbook report --out %(name)s` to measure the promises", name=name)
        return None, [
            codes.MEASURED_REPORT.at(
                Location(name),
                msg("the measured report does not exist yet: pages show no measurements"),
                hint=hint,
                severity=Severity.WARNING,
            )
        ]
    try:
        return load_report(path, name), []
    except HandbookError as exc:
        return None, exc.diagnostics


def assemble(
    inputs: SiteInputs,
    *,
    directory_urls: bool,
    user_nav: list[Any] | None,
    content_pages: list[str],
    cache: RenderCache | None = None,
    jobs: int | None = 1,
) -> AssembledSite:
    """Render every generated page (by ``jobs`` processes, None: one per usable CPU) and merge
    its navigation with the author's."""
    project = inputs.project
    settings = project.settings
    site = render_site(
        project.organisation,
        settings,
        schemas=load_schemas(),
        directory_urls=directory_urls,
        scores=inputs.scores,
        cache=cache,
        history=inputs.history,
        measured=inputs.measured,
        today=project.today,
        jobs=jobs,
    )
    files = {f"{addresses.SCHEMA_DIR}/{n}.schema.json": schema_text(n) for n in SCHEMA_NAMES}
    files.update({path: asset_text(path) for path in (*ASSETS, SEARCH_WORKER)})
    home = translate(settings.language, "Home")
    roles = project.organisation.roles.values()
    edit_urls = {
        addresses.role_page(role.id): url
        for role in roles
        if (url := addresses.edit_url(settings.edit_url, role.source))
    }
    return AssembledSite(
        pages=site.pages,
        files=files,
        nav=merge_nav(user_nav, content_pages, site.nav, home=home),
        titles=dict(nav_titles(site.nav)),
        role_pages=frozenset(addresses.role_page(role.id) for role in roles),
        edit_urls=edit_urls,
    )


def expand_markers(markdown: str, src: str, project: Project, *, directory_urls: bool) -> str:
    """A hand-written page with the handbook's markers (the overview) filled in."""
    if OVERVIEW_MARKER not in markdown:
        return markdown
    overview = render_overview(
        project.organisation, project.settings, src, directory_urls=directory_urls
    )
    return markdown.replace(OVERVIEW_MARKER, overview)
