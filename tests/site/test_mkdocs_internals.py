"""Contracts of the private MkDocs and Material names in generator/site/mkdocs_internals.py.

Each test names the private name it guards, so an upgrade that changes one fails here,
by name, instead of quietly changing the site.
"""

from __future__ import annotations

import inspect
import io
import json
import wsgiref.util
from pathlib import Path
from typing import Any

import markdown
import mkdocs.commands.build as build_steps
import mkdocs.commands.serve as mkdocs_serve
import pytest
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from generator.site import mkdocs_internals

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "small"


def test_extract_title_treeprocessor_finds_the_first_heading() -> None:
    """``mkdocs.structure.pages._ExtractTitleTreeprocessor`` and its ``_register``."""
    md = markdown.Markdown(extensions=["toc"])
    extractor = mkdocs_internals.TitleExtractor(md)
    md.convert("# The *first* title\n\n## Second\n")
    assert extractor.title == "The first title"
    extractor.reset()
    md.reset().convert("No heading here.\n")
    assert extractor.title is None


def _page(tmp_path: Path) -> Page:
    config = load_config(str(FIXTURE / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    docs = tmp_path / "docs"
    (docs / "roles").mkdir(parents=True, exist_ok=True)
    (docs / "roles" / "x.md").write_text("# X\n", encoding="utf-8")
    file = File("roles/x.md", str(docs), str(tmp_path / "site"), use_directory_urls=True)
    return Page(None, file, config)


def test_page_title_from_render_is_the_page_title(tmp_path: Path) -> None:
    """``Page._title_from_render`` is what ``Page.title`` shows when no title was given."""
    page = _page(tmp_path)
    page.markdown = "# X\n"
    page.content = "<h1>X</h1>"
    mkdocs_internals.record_render(page, "Rendered title", ["a", "b"])
    assert page.title == "Rendered title"


def test_page_present_anchor_ids_feed_anchor_validation(tmp_path: Path) -> None:
    """``Page.present_anchor_ids``: the anchors MkDocs validates links against."""
    page = _page(tmp_path)
    mkdocs_internals.record_render(page, None, ["commitment-a"])
    assert page.present_anchor_ids == {"commitment-a"}
    assert "present_anchor_ids" in inspect.getsource(Page.render)


def test_page_render_takes_config_and_files() -> None:
    """``Page.render(config, files)``, which generated pages override."""
    assert list(inspect.signature(Page.render).parameters) == ["self", "config", "files"]


def test_material_search_index_add_entry_from_context(tmp_path: Path) -> None:
    """Material's ``search_index.add_entry_from_context`` and ``search_index.entries``."""
    config = load_config(str(FIXTURE / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    search = config.plugins["material/search"]
    search.on_config(config)
    index = mkdocs_internals.search_index(search)
    assert index is not None, "Material's search plugin has no search index the handbook knows"
    seen: list[str] = []

    def wrapper(original: Any, page: Page) -> None:
        seen.append(page.file.src_uri)
        original(page)

    mkdocs_internals.wrap_search_entries(index, wrapper)
    page = _page(tmp_path)
    page.content = "<h1 id='x'>X</h1><p>Words</p>"
    page.toc = []  # type: ignore[assignment]
    index.add_entry_from_context(page)
    assert seen == ["roles/x.md"]
    assert index.entries and any("Words" in str(e) for e in index.entries)


def test_build_steps_of_one_page() -> None:
    """``mkdocs.commands.build._populate_page`` and ``_build_page`` take what is passed."""
    populate = list(inspect.signature(build_steps._populate_page).parameters)
    assert populate[:3] == ["page", "config", "files"]
    build = inspect.signature(build_steps._build_page).parameters
    assert list(build)[:5] == ["page", "config", "doc_files", "nav", "env"]
    assert "excluded" in build


def test_live_reload_server_is_looked_up_in_the_serve_module() -> None:
    """``mkdocs.commands.serve.LiveReloadServer``: the name ``serve()`` instantiates."""
    assert getattr(mkdocs_serve, mkdocs_internals.SERVER_NAME) is LiveReloadServer
    assert "LiveReloadServer(" in inspect.getsource(mkdocs_serve.serve)


def test_serve_request_routes_a_prefix() -> None:
    """``LiveReloadServer._serve_request(environ, start_response)``."""
    params = list(inspect.signature(LiveReloadServer._serve_request).parameters)
    assert params == ["self", "environ", "start_response"]
    answered: list[str] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        answered.append(environ["PATH_INFO"])
        start_response("204 No Content", [])
        return [b""]

    server = mkdocs_internals.RoutingLiveReloadServer(
        lambda: None, "127.0.0.1", 0, root="/nonexistent", app=app
    )
    try:
        environ: dict[str, Any] = {"PATH_INFO": "/api/health", "wsgi.input": io.BytesIO()}
        wsgiref.util.setup_testing_defaults(environ)
        server._serve_request(environ, lambda status, headers: None)
        assert answered == ["/api/health"]
    finally:
        server.server_close()


@pytest.mark.parametrize("name", ["LiveReloadServer"])
def test_server_class_is_restored(name: str) -> None:
    """The swap of ``mkdocs.commands.serve.LiveReloadServer`` lasts only while asked."""
    original = getattr(mkdocs_serve, name)
    with mkdocs_internals.server_class(mkdocs_internals.RoutingLiveReloadServer):
        assert getattr(mkdocs_serve, name) is mkdocs_internals.RoutingLiveReloadServer
    assert getattr(mkdocs_serve, name) is original


@pytest.fixture(scope="module")
def material_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built by Material alone (its search plugin, no handbook)."""
    root = tmp_path_factory.mktemp("material")
    (root / "docs" / "guide").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n\nWords.\n", encoding="utf-8")
    (root / "docs" / "guide" / "page.md").write_text("# Guide\n\nMore.\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: x\ntheme: {name: material}\nplugins: [search]\n", encoding="utf-8"
    )
    from mkdocs.commands.build import build  # noqa: PLC0415 - only this fixture builds

    build(load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site")))
    return root / "site"


def test_material_pages_name_their_search_worker(material_site: Path) -> None:
    """Material's ``<script id="__config">``: ``search`` is the worker its script starts."""
    for page in ("index.html", "guide/page/index.html"):
        html = (material_site / page).read_text(encoding="utf-8")
        worker = mkdocs_internals.page_search_worker(html)
        assert worker is not None and "workers/search" in worker, page
        assert ((material_site / page).parent / worker).resolve().is_file(), worker
        bundle = next((material_site / "assets" / "javascripts").glob("bundle.*.min.js"))
        assert "search/search_index.json" in bundle.read_text(encoding="utf-8")


def test_replacing_the_search_worker_keeps_the_page_configuration(material_site: Path) -> None:
    """The worker is replaced by a path from the site's root; the rest stays as it was."""
    html = (material_site / "guide" / "page" / "index.html").read_text(encoding="utf-8")
    replaced = mkdocs_internals.replace_search_worker(html, "assets/handbook/worker.js")
    worker = mkdocs_internals.page_search_worker(replaced)
    assert worker is not None
    resolved = ((material_site / "guide" / "page") / worker).resolve()
    assert resolved == (material_site / "assets" / "handbook" / "worker.js").resolve()
    before = mkdocs_internals._PAGE_CONFIG.search(html)
    after = mkdocs_internals._PAGE_CONFIG.search(replaced)
    assert before is not None and after is not None
    was, now = json.loads(before.group(2)), json.loads(after.group(2))
    assert {k: v for k, v in was.items() if k != "search"} == {
        k: v for k, v in now.items() if k != "search"
    }
    assert replaced.replace(after.group(0), "") == html.replace(before.group(0), "")


def test_material_writes_the_search_index_the_handbook_completes(material_site: Path) -> None:
    """``search/search_index.json``: ``config`` (language, separator) and ``docs``."""
    data = json.loads((material_site / mkdocs_internals.SEARCH_INDEX).read_text("utf-8"))
    assert {"lang", "separator"} <= set(data["config"])
    assert {"location", "title", "text"} <= set(data["docs"][0])
