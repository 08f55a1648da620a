"""The MkDocs plugin: thin hooks that load, check and render through plain functions."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from jinja2 import ChoiceLoader, DictLoader, Environment
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import nest_paths
from mkdocs.utils.templates import TemplateContext

from . import paths
from .assets import ASSETS, asset_text
from .errors import Diagnostic, Severity, format_text
from .history import ParseCache, RoleHistory, history_by_role
from .i18n import LANGUAGES, theme_language, translate
from .plugin_pages import (
    CACHED_TEMPLATE,
    GeneratedPage,
    OutputCache,
    PageConverter,
    SearchCache,
    hide_from_sidebar,
    nav_titles,
    settings_key,
)
from .project import FileCache, Project, load_project
from .render import OVERVIEW_MARKER, NavItem, RenderCache, render_overview, render_site
from .scores import Scores, load_scores
from .settings import FeedbackSettings, Settings

log = get_plugin_logger(__name__)

REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "admonition", "tables", "toc")


class FeedbackConfig(base.Config):
    """``feedback:`` options."""

    endpoint = c.Optional(c.Type(str))
    """URL the embedded forms post to; without it forms are left out."""
    fallback_url = c.Optional(c.Type(str))
    """A mailto: or issue link shown instead of forms when there is no endpoint."""
    report = c.Optional(c.Type(str))
    """A feedback report (JSON) whose scores the pages show."""
    priorities = c.ListOfItems(
        c.Type(str), default=["speed", "quality", "communication", "availability"]
    )
    """Choices for "what matters most to you"."""
    min_responses = c.Type(int, default=5)
    """Groups with fewer responses are never shown."""
    origins = c.ListOfItems(c.Type(str), default=[])
    """Origins besides `site_url`'s that the receiver accepts submissions from."""
    trusted_proxies = c.ListOfItems(c.Type(str), default=[])
    """Reverse proxies (addresses or networks) whose X-Forwarded-For and sign-on header count."""
    sso_header = c.Optional(c.Type(str))
    """Header a trusted proxy sets to the signed-in person, e.g. `X-Forwarded-Email`."""
    open_answers = c.Type(bool, default=True)
    """Accept answers without an invitation or sign-on."""
    verified_only = c.Type(bool, default=False)
    """Count only verified answers (invitation or sign-on) in reports and exports."""
    period = c.Choice(("month", "quarter", "year"), default="quarter")
    """One answer per person per commitment in each period; reports show trends by period."""
    open_answers_per_hour = c.Type(int, default=6)
    """Open answers accepted from one client address per hour."""
    answers_per_person_per_hour = c.Type(int, default=60)
    """Signed-on answers accepted from one person per hour."""
    invite_secret_env = c.Type(str, default="HANDBOOK_INVITE_SECRET")
    """Environment variable with the secret that signs invitation links."""
    sso_secret_env = c.Type(str, default="HANDBOOK_SSO_SECRET")
    """Environment variable with the secret that salts sign-on identities."""


class HandbookConfig(base.Config):
    """``plugins: - handbook:`` options."""

    roles_dir = c.Type(str, default="roles")
    """Folder (relative to mkdocs.yml) with teams.yaml and the role files."""
    priorities = c.ListOfItems(c.Type(str), default=["urgent", "normal"])
    """Urgency names a commitment's targets may use, most urgent first."""
    max_responsibilities = c.Type(int, default=10)
    """More responsibilities than this in one role is a warning."""
    max_commitments = c.Type(int, default=8)
    """More commitments than this in one role is a warning."""
    business_day_hours = c.Type((int, float), default=8)
    """Length of a business day in hours, for `d` and `w` with `hours: business`."""
    rules = c.DictOfItems(c.Choice(("error", "warning", "info", "off")), default={})
    """Severity per linter rule, by code (`HB111`) or name (`promises-nothing`)."""
    edit_uri = c.Optional(c.Type(str))
    """Path under `repo_url` to edit files, e.g. `edit/main/`; derived from MkDocs' own
    `edit_uri` when left out."""
    language = c.Choice(LANGUAGES, default="en")
    """Language of every label the handbook writes (`en`, `pl`); the theme follows it."""
    admins = c.ListOfItems(c.Type(str), default=[])
    """Owners (`@org/team`) of mkdocs.yml, the workflows and anything without a role owner,
    written into CODEOWNERS."""
    history = c.Type(bool, default=True)
    """Show each role's dated history of meaningful changes (read from git, when there is one)."""
    history_entries = c.Type(int, default=20)
    """The most history entries shown per role."""
    feedback = c.SubConfig(FeedbackConfig)
    """Embedded feedback forms and scores."""


def _severity(name: str) -> Severity | None:
    return None if name == "off" else Severity.parse(name)


def _edit_url(config: MkDocsConfig, edit_uri: str | None) -> str | None:
    """Base URL for editing files in the repository, e.g. ``…/edit/main/``."""
    if not config.repo_url:
        return None
    if edit_uri is None:
        docs_uri = (config.edit_uri or "").rstrip("/")
        docs_dir = Path(config.docs_dir).name
        if not docs_uri or not docs_uri.endswith(docs_dir):
            return None
        edit_uri = docs_uri[: -len(docs_dir)]
    return config.repo_url.rstrip("/") + "/" + edit_uri.strip("/") + "/"


def settings_from_config(plugin: HandbookConfig, config: MkDocsConfig) -> Settings:
    """Plain settings for the pure functions, from the typed plugin configuration."""
    fb = plugin.feedback
    return Settings(
        roles_dir=plugin.roles_dir,
        priorities=tuple(plugin.priorities),
        max_responsibilities=plugin.max_responsibilities,
        max_commitments=plugin.max_commitments,
        business_day_hours=float(plugin.business_day_hours),
        rules={code: _severity(level) for code, level in plugin.rules.items()},
        strict=bool(config.strict),
        edit_url=_edit_url(config, plugin.edit_uri),
        language=plugin.language,
        admins=tuple(plugin.admins),
        base_path=urlsplit(config.site_url or "/").path.rstrip("/") + "/",
        feedback=FeedbackSettings(
            endpoint=fb.endpoint,
            fallback_url=fb.fallback_url,
            report=fb.report,
            priorities=tuple(fb.priorities),
            min_responses=fb.min_responses,
            origins=tuple(fb.origins),
            site_url=config.site_url or None,
            trusted_proxies=tuple(fb.trusted_proxies),
            sso_header=fb.sso_header,
            open_answers=fb.open_answers,
            verified_only=fb.verified_only,
            period=fb.period,
            open_answers_per_hour=fb.open_answers_per_hour,
            answers_per_person_per_hour=fb.answers_per_person_per_hour,
            invite_secret_env=fb.invite_secret_env,
            sso_secret_env=fb.sso_secret_env,
        ),
    )


def report_diagnostics(diags: list[Diagnostic]) -> None:
    """Log warnings and notes; raise one PluginError listing every error."""
    errors = [d for d in diags if d.severity is Severity.ERROR]
    for diag in diags:
        if diag.severity is Severity.WARNING:
            log.warning(format_text(diag))
        elif diag.severity is Severity.INFO:
            log.info(format_text(diag))
    if errors:
        listing = "\n".join(format_text(d) for d in errors)
        raise PluginError(f"{len(errors)} error(s) in the handbook's role files:\n{listing}")


class HandbookPlugin(BasePlugin[HandbookConfig]):
    """Adds the generated handbook pages to an MkDocs site."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.project: Project | None = None
        self.scores: Scores | None = None
        self.command: str = "build"
        self.converter: PageConverter | None = None
        self.role_pages: set[str] = set()
        self.file_cache: FileCache = {}
        self.render_cache = RenderCache()
        self.history_cache: ParseCache = {}
        self.histories: dict[str, RoleHistory] = {}
        self.outputs = OutputCache()
        self.search_cache = SearchCache()
        self.reused: set[str] = set()

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Stay alive across rebuilds of ``mkdocs serve``."""
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load and check the organisation; fail the build on errors, before anything is written."""
        root = Path(config.config_file_path or ".").resolve().parent
        settings = settings_from_config(self.config, config)
        project, diags = load_project(root, settings, cache=self.file_cache)
        scores, problems = load_scores(root, project.organisation, settings.feedback)
        report_diagnostics(diags + problems)
        self.project = project
        self.scores = scores
        self.histories = (
            history_by_role(project, self.config.history_entries, cache=self.history_cache)
            if self.config.history
            else {}
        )
        config.watch.append(str(project.roles_path))
        config.theme["language"] = theme_language(settings.language)
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        config.extra_css.extend(p for p in ASSETS if p.endswith(".css"))
        config.extra_javascript.extend(p for p in ASSETS if p.endswith(".js"))
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add the generated pages, the schemas and assets; build the navigation."""
        assert self.project is not None, "on_config loads the project first"
        site = render_site(
            self.project.organisation,
            self.project.settings,
            directory_urls=config.use_directory_urls,
            scores=self.scores,
            cache=self.render_cache,
            history=self.histories,
        )
        content_pages = [f.src_uri for f in files.documentation_pages()]
        converter = self._converter(config)
        converter.forget_except(site.pages.values())
        titles = dict(nav_titles(site.nav))
        for src_uri, markdown in site.pages.items():
            file = File.generated(
                config, src_uri, content=markdown, inclusion=InclusionLevel.INCLUDED
            )
            self._add(files, file, config)
            GeneratedPage(titles.get(src_uri), file, config, converter)
        self.role_pages = {paths.role_page(role_id) for role_id in self.project.organisation.roles}
        for src_uri, text in {**site.files, **{p: asset_text(p) for p in ASSETS}}.items():
            self._add(files, File.generated(config, src_uri, content=text), config)
        home = translate(self.project.settings.language, "Home")
        config.nav = merge_nav(config.nav, content_pages, site.nav, home=home)
        return files

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """While serving, let the search index reuse the entries of unchanged pages."""
        if self.command != "serve":
            return
        for name, plugin in config.plugins.items():
            if name.endswith("search"):
                self.search_cache.attach(plugin)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Keep role pages out of the sidebar's listings: navigation stays the team tree's size."""
        hide_from_sidebar(nav, self.role_pages)
        if self.command == "serve":
            self.outputs.start(config, nav)
            self.reused = set()
        return nav

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """While serving, reuse the finished HTML of a generated page nothing has changed for."""
        if self.command == "serve" and isinstance(page, GeneratedPage):
            page.content = html
            output = self.outputs.reuse(page)
            if output is not None:
                page.handbook_output = output
                page.meta["template"] = CACHED_TEMPLATE
                self.reused.add(page.file.src_uri)
        return html

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """While serving, add the template that writes a reused page's HTML as it is."""
        if self.command == "serve" and env.loader is not None:
            cached = DictLoader({CACHED_TEMPLATE: "{{ page.handbook_output }}"})
            env.loader = ChoiceLoader([cached, env.loader])
        return env

    @event_priority(100)  # before other plugins change the theme's output
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """While serving, remember the theme's output of generated pages."""
        if (
            self.command == "serve"
            and isinstance(page, GeneratedPage)
            and page.file.src_uri not in self.reused
        ):
            self.outputs.store(page, output)
        return output

    def _converter(self, config: MkDocsConfig) -> PageConverter:
        """The page converter, kept across serve rebuilds while the Markdown settings stay."""
        if self.converter is None or self.converter.key != settings_key(config):
            self.converter = PageConverter(config)
        return self.converter

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Replace the overview marker in hand-written pages with the organisation at a glance."""
        if self.project is None or OVERVIEW_MARKER not in markdown:
            return markdown
        overview = render_overview(
            self.project.organisation,
            self.project.settings,
            page.file.src_uri,
            directory_urls=config.use_directory_urls,
        )
        return markdown.replace(OVERVIEW_MARKER, overview)

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Point the theme's edit button of a role page at the role's YAML file."""
        project = self.project
        if project is None or not project.settings.edit_url:
            return context
        src = page.file.src_uri
        role = project.organisation.roles.get(src.removeprefix("roles/").removesuffix(".md"))
        if role is not None and src == paths.role_page(role.id):
            page.edit_url = project.settings.edit_url + role.source
        return context

    @staticmethod
    def _add(files: Files, file: File, config: MkDocsConfig) -> None:
        if files.get_file_from_path(file.src_uri) is not None:
            docs = Path(config.docs_dir).name
            raise PluginError(
                f"{docs}/{file.src_uri} collides with a page the handbook generates; "
                "rename or remove it"
            )
        files.append(file)


def merge_nav(
    user_nav: list[Any] | None,
    content_pages: list[str],
    generated: list[NavItem],
    *,
    home: str = "Home",
) -> list[Any]:
    """The site navigation: the author's (or the content folder's) first, then the handbook's."""
    if user_nav:
        return [*user_nav, *generated]
    ordered = sorted(content_pages, key=lambda p: (p != "index.md", p))
    items: list[Any] = [{home: p} if p == "index.md" else p for p in ordered[:1]]
    return [*items, *nest_paths(ordered[1:]), *generated]
