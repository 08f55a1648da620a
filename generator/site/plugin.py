"""The MkDocs plugin: thin hooks, in the order MkDocs calls them, over plain functions."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Literal

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.diagnostics.values import Diagnostic, Severity, format_text, msg_plural
from generator.i18n import SOURCE_LANGUAGE, number, theme_language, translate, translations
from generator.model.settings import Settings
from generator.project import Project
from generator.render.pages import OVERVIEW_MARKER, leaders_notice
from generator.site.assemble import (
    REQUIRED_EXTENSIONS,
    SCRIPTS,
    STYLESHEETS,
    AssembledSite,
    Caches,
    SiteInputs,
    assemble,
    expand_markers,
    load_inputs,
)
from generator.site.caches import ServeCaches
from generator.site.config import HandbookConfig, settings_from_config
from generator.site.mkdocs_internals import build_page, populate_page
from generator.site.nav import hide_from_sidebar
from generator.site.pages import GeneratedPage, PageConverter, settings_key
from generator.site.rebuild import (
    FullBuildNeededError,
    KeptBuild,
    changed_pages,
    changed_paths,
    check_config,
    collections_paused,
    keep_heap,
    only_data_changed,
    register,
    release_heap,
    retitled_pages,
    snapshot,
    watched_roots,
)
from generator.site.search import (
    SiteSearch,
    complete_index,
    keep_out_of_html_index,
    material_search,
    plan_search,
    search_entries,
    start_handbook_worker,
)
from generator.site.sidebar import SidebarWindows, theme_below

log = get_plugin_logger("handbook")

OVERRIDES = str(Path(__file__).parent / "overrides" / "origin")
"""Theme partials that keep readers' browsers on the handbook's own origin."""
FIXES = str(Path(__file__).parent / "overrides" / "fixes")
"""Theme partials corrected for every handbook (accessible names read once escaped)."""


def watched(project: Project) -> list[Path]:
    """What ``mkdocs serve`` rebuilds for: the roles, measurements and the reports shown."""
    return watched_at(project.root, project.settings)


def watched_at(root: Path, settings: Settings) -> list[Path]:
    """The roles, measurements and reports of the handbook at ``root`` that exist."""
    paths = [root / settings.roles_dir, root / settings.measure.measurements_dir]
    for report in (settings.feedback.report, settings.measure.report):
        if report:
            paths.append(root / report)
    return [path for path in paths if path.exists()]


_ERRORS = msg_plural(
    "%(count)s error in the handbook's files:", "%(count)s errors in the handbook's files:", 0
)


def report_diagnostics(
    diags: list[Diagnostic], language: str = "en", shown: Collection[Diagnostic] = ()
) -> None:
    """Log warnings and notes not ``shown`` before; raise one PluginError listing every error.

    The words are in ``language``.
    """
    catalog = translations(language)
    errors = [d for d in diags if d.severity is Severity.ERROR]
    for diag in diags:
        if diag in shown:
            continue
        if diag.severity is Severity.WARNING:
            log.warning(format_text(diag, catalog))
        elif diag.severity is Severity.INFO:
            log.info(format_text(diag, catalog))
    if errors:
        listing = "\n".join(format_text(d, catalog) for d in errors)
        heading = msg_plural(_ERRORS.template, _ERRORS.plural, len(errors)).render(catalog)
        raise PluginError(f"{heading}\n{listing}")


def _root(config: MkDocsConfig) -> Path:
    """The folder of the handbook: where its mkdocs.yml is."""
    return Path(config.config_file_path or ".").resolve().parent


class HandbookPlugin(BasePlugin[HandbookConfig]):
    """Adds the generated handbook pages to an MkDocs site."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.caches = Caches()
        self.serving: ServeCaches | None = None
        self.converter: PageConverter | None = None
        self.inputs: SiteInputs | None = None
        self.site: AssembledSite | None = None
        self.sidebar: SidebarWindows | None = None
        self.search: SiteSearch | None = None
        self.shown: frozenset[Diagnostic] = frozenset()
        """Diagnostics the command line printed before the build (not logged again)."""
        self.kept: KeptBuild | None = None
        """While serving: the last good build, which single pages are rebuilt into."""
        self._building: KeptBuild | None = None
        self.jobs: int | None = None
        """Processes that render the generated pages of a build (None: one per usable CPU)."""

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Stay alive across rebuilds of ``mkdocs serve``, keeping what they can reuse."""
        self.serving = ServeCaches() if command == "serve" else None
        register(self.rebuild_changed_pages if self.serving else None)

    def on_shutdown(self) -> None:
        """Forget the fast rebuild when serving ends: a later build in this process is full."""
        register(None)
        release_heap()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load and check the organisation; fail the build on errors, before anything is written."""
        root = _root(config)
        settings = settings_from_config(self.config, config)
        if self.serving:
            self.kept = None  # a full build writes the site anew: nothing is kept until it ends
            release_heap()
            roots = watched_roots(config) + [p.resolve() for p in watched_at(root, settings)]
            self._building = KeptBuild(config, roots, snapshot(roots))
        inputs = self._load(root, settings)
        self.inputs = inputs
        config.watch.extend(str(path) for path in watched(inputs.project))
        config.theme["language"] = theme_language(settings.language)
        self._keep_requests_on_site(config)
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        config.extra_css.extend(STYLESHEETS)
        config.extra_javascript.extend(SCRIPTS)
        return config

    def _keep_requests_on_site(self, config: MkDocsConfig) -> None:
        """Unless the owner opts in, pages load nothing from another origin; the theme's
        partials the handbook corrects come before the theme's own."""
        if self.config.fonts == "system":
            config.theme["font"] = False
        if not self.config.repository_stats and OVERRIDES not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, OVERRIDES)
        if FIXES not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, FIXES)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """While serving, let the search index reuse the entries of unchanged pages."""
        if self.serving:
            self.serving.attach_search(config)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add the generated pages, the schemas and assets; build the navigation."""
        assert self.inputs is not None, "on_config loads the project first"
        content_pages = [f.src_uri for f in files.documentation_pages()]
        site = assemble(
            self.inputs,
            directory_urls=config.use_directory_urls,
            user_nav=config.nav,
            content_pages=content_pages,
            cache=self.caches.render,
            jobs=1 if self.serving else self.jobs,
        )
        converter = self._converter(config)
        converter.forget_except(site.pages.values())
        if not self.serving:
            converter.prepare(list(site.pages.values()), self.jobs)
        for src_uri, markdown in site.pages.items():
            file = File.generated(
                config, src_uri, content=markdown, inclusion=InclusionLevel.INCLUDED
            )
            self._add(files, file, config)
            GeneratedPage(site.titles.get(src_uri), file, config, converter)
        for src_uri, text in site.files.items():
            self._add(files, File.generated(config, src_uri, content=text), config)
        if self._building is not None:
            self._building.user_nav = config.nav
            self._building.content_pages = content_pages
        config.nav = site.nav
        self.site = site
        self._plan_search(config)
        return files

    def _plan_search(self, config: MkDocsConfig) -> None:
        assert self.inputs is not None and self.site is not None
        self.search = None
        if material_search(config) is not None:
            self.search = plan_search(
                self.inputs.project.organisation,
                self.site.pages,
                self.site.titles,
                language=self.inputs.project.settings.language,
                directory_urls=config.use_directory_urls,
                cache=self.caches.documents,
            )

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Keep role pages out of the sidebar's listings: navigation stays the team tree's size."""
        assert self.site is not None, "on_files assembles the site first"
        hide_from_sidebar(nav, set(self.site.role_pages))
        self._start_pages(config, nav, self.site)
        if self._building is not None:
            self._building.nav = nav
        return nav

    def _start_pages(self, config: MkDocsConfig, nav: Navigation, site: AssembledSite) -> None:
        """What the pages of a build (or a serve rebuild) share: the sidebar made from ``nav``,
        and while serving, what decides whether a page's output can be reused."""
        self.sidebar = SidebarWindows(nav, self._all_entries_title, set(site.role_pages))
        if self.serving:
            self.serving.start(config, nav)

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """While serving, add the template that writes a reused page's HTML as it is.

        A build does not look for changed theme templates before each page: the theme is
        read once per build (MkDocs makes a new environment for every build).
        """
        if not self.serving:
            env.auto_reload = False
        elif env.loader is not None:
            env.loader = self.serving.template_loader(env.loader)
        env.loader = theme_below(env.loader, config.theme.dirs, FIXES)
        env.globals["handbook_nav"] = self._shared_nav
        if self._building is not None:
            self._building.env = env
            self._building.files = files
        return env

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Fill in the handbook's markers (the overview) in hand-written pages.

        Generated pages the search index holds as documents are kept out of its HTML indexing.
        """
        if self.search is not None:
            keep_out_of_html_index(page, self.search)
        if self.inputs is None:
            return markdown
        return expand_markers(
            markdown,
            page.file.src_uri,
            self.inputs.project,
            directory_urls=config.use_directory_urls,
        )

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Mark the leaders' edition; while serving, reuse unchanged pages' finished HTML."""
        if self.inputs is not None and self.inputs.project.settings.audience == "leaders":
            html = leaders_notice(self.inputs.project.settings.language) + html
        if self.serving and isinstance(page, GeneratedPage):
            page.content = html
            self.serving.reuse(page)
        return html

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Point the theme's edit button of a role page at the role's YAML file."""
        url = self.site.edit_urls.get(page.file.src_uri) if self.site else None
        if url is not None:
            page.edit_url = url
        if self.sidebar is not None:
            context["nav"] = self.sidebar.navigation()
            context["handbook_nav_key"] = self.sidebar.key(page)  # type: ignore[typeddict-unknown-key]
        return context

    def _shared_nav(self, key: object, caller: Callable[[], str]) -> str:
        """The theme's navigation, made once for the pages of ``key`` (``partials/nav.html``)."""
        return caller() if self.sidebar is None else self.sidebar.shared(key, caller)

    def _all_entries_title(self, count: int) -> str:
        """The sidebar's link from a long section's window to the section's page."""
        language = self.inputs.project.settings.language if self.inputs else SOURCE_LANGUAGE
        return translate(language, "Show all %(count)s") % {"count": number(count, language)}

    @event_priority(100)  # before other plugins change the theme's output
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Start the handbook's search worker; while serving, remember generated pages' output."""
        if self.search is not None:
            output = start_handbook_worker(output)
        if self.serving and isinstance(page, GeneratedPage):
            self.serving.store(page, output)
        return output

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        """The theme's own pages (the 404 page) start the handbook's search worker too."""
        if self.search is not None and template_name.endswith(".html"):
            return start_handbook_worker(output_content)
        return output_content

    @event_priority(-100)  # after Material's search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Add the generated pages' documents and the site's language to the search index."""
        if self.search is not None:
            complete_index(Path(config.site_dir), self.search, self.caches.search_texts)
        if self._building is not None:
            self._building.site = self.site
            self.kept, self._building = self._building, None
            keep_heap()

    def rebuild_changed_pages(self) -> bool:
        """Rebuild only the pages an edit of role or measured files changed (False: build fully).

        Errors in the handbook's files are raised, as a full build would: the site stays.
        """
        kept = self.kept
        if kept is None:
            return False
        now = snapshot(kept.roots)
        try:
            with collections_paused():
                self._rebuild_pages(kept, now)
        except FullBuildNeededError as reason:
            log.debug(f"full rebuild: {reason}")
            return False
        except PluginError as exc:
            log.error(str(exc))
            raise
        except Exception as exc:  # anything unexpected: MkDocs' full build decides
            log.debug(f"full rebuild after an error in the page rebuild: {exc!r}")
            self.kept = None
            return False
        kept.snapshot = now
        keep_heap()
        return True

    def _rebuild_pages(self, kept: KeptBuild, now: dict[str, tuple[int, int]]) -> None:
        assert kept.files is not None and kept.nav is not None and kept.env is not None
        assert kept.site is not None and self.inputs is not None
        config, files, nav = kept.config, kept.files, kept.nav
        check_config(config)
        if not only_data_changed(changed_paths(kept.snapshot, now), self.inputs.project):
            raise FullBuildNeededError("a file besides roles, measurements and reports changed")
        inputs = self._load(_root(config), settings_from_config(self.config, config))
        site = assemble(
            inputs,
            directory_urls=config.use_directory_urls,
            user_nav=kept.user_nav,
            content_pages=kept.content_pages,
            cache=self.caches.render,
        )
        titles = retitled_pages(kept.site, site)
        changed = changed_pages(kept.site.pages, site.pages)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        pages = self._pages_to_rebuild(doc_files, site, changed, titles)
        self.inputs, self.site = inputs, site
        self._plan_search(config)
        self._converter(config).forget(kept.site.pages[src] for src in changed)
        for src in changed:
            file = files.get_file_from_path(src)
            assert file is not None and file.page is not None
            file.content_string = site.pages[src]
        for src, title in titles.items():
            retitled = files.get_file_from_path(src)
            assert retitled is not None and retitled.page is not None
            retitled.page.title = title
        self._start_pages(config, nav, site)
        entries = search_entries(config)
        urls = {p.url for p in pages}
        if entries is not None:
            entries[:] = [e for e in entries if e["location"].split("#")[0] not in urls]
        for page in pages:
            populate_page(page, config, files)
        for page in pages:
            build_page(page, config, doc_files, nav, kept.env)
        if entries is not None:
            order = {f.url: n for n, f in enumerate(doc_files)}
            entries.sort(key=lambda e: order.get(e["location"].split("#")[0], len(order)))
        config.plugins.on_post_build(config=config)
        kept.site = site

    @staticmethod
    def _pages_to_rebuild(
        files: Sequence[File], site: AssembledSite, changed: set[str], titles: dict[str, str]
    ) -> list[Page]:
        """Changed pages, their neighbours when their title changed, pages with markers."""
        wanted = changed | titles.keys()

        def shows_a_change(page: Page) -> bool:
            src = page.file.src_uri
            neighbours = (page.previous_page, page.next_page)
            return (
                src in wanted
                or any(n is not None and n.file.src_uri in titles for n in neighbours)
                or (src not in site.pages and OVERVIEW_MARKER in page.file.content_string)
            )

        return [f.page for f in files if f.page is not None and shows_a_change(f.page)]

    def _load(self, root: Path, settings: Settings) -> SiteInputs:
        """Load and check the organisation at ``root``; raise PluginError on errors."""
        history = self.config.history_entries if self.config.history else None
        inputs, diags = load_inputs(root, settings, history_entries=history, caches=self.caches)
        report_diagnostics(diags, settings.language, self.shown)
        return inputs

    def _converter(self, config: MkDocsConfig) -> PageConverter:
        """The page converter, kept across serve rebuilds while the Markdown settings stay."""
        if self.converter is None or self.converter.key != settings_key(config):
            self.converter = PageConverter(config)
        return self.converter

    @staticmethod
    def _add(files: Files, file: File, config: MkDocsConfig) -> None:
        if files.get_file_from_path(file.src_uri) is not None:
            docs = Path(config.docs_dir).name
            raise PluginError(
                f"{docs}/{file.src_uri} collides with a page the handbook generates; "
                "rename or remove it"
            )
        files.append(file)
