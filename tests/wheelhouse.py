"""A local wheelhouse for offline installs: the package's wheel and every wheel it needs.

Nothing is downloaded. The package's wheel is built from a copy of the source tree with
the setuptools wheel that ``virtualenv`` (a dependency of pre-commit) ships; its
dependencies are repacked from the distributions installed in the running environment,
which has the same interpreter as the environments the wheels go into. The same
setuptools wheel joins the wheelhouse, since pip builds pre-commit's placeholder package
for local hooks with it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from collections.abc import Callable, Iterable
from importlib import metadata, resources
from pathlib import Path, PurePosixPath
from subprocess import DEVNULL

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

_IGNORED_ANYWHERE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    "feedback.db*",
    "node_modules",
)
_IGNORED_AT_THE_TOP = {"site", "build", "dist"}
"""Build output of the checkout itself; ``generator/site/`` is the site adapter's source."""


def source_ignored(root: Path) -> Callable[[str, list[str]], set[str]]:
    """What a copy of ``root`` leaves out: environments, caches and earlier build output."""

    def ignored(folder: str, names: list[str]) -> set[str]:
        found = set(_IGNORED_ANYWHERE(folder, names))
        if Path(folder) == root:
            found |= _IGNORED_AT_THE_TOP & set(names)
        return found

    return ignored
_LEFT_OUT = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}
"""Files of an installed ``.dist-info`` written by the installer, not shipped in the wheel."""


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment with none of this checkout or its virtual environment in it."""
    env = {
        "PATH": _clean_path(),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    env.update(extra)
    return env


def _clean_path() -> str:
    """``PATH`` without the running environment and without any ``handbook`` command."""
    folders = []
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        folder = Path(entry)
        if not entry or folder.resolve().is_relative_to(Path(sys.prefix).resolve()):
            continue
        if (folder / "handbook").exists():
            continue
        folders.append(entry)
    return os.pathsep.join(folders)


def make_venv(folder: Path) -> Path:
    """A new, empty virtual environment with pip; return its ``bin`` folder."""
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    return folder / "bin"


def setuptools_wheel() -> Path:
    """The newest setuptools wheel that virtualenv ships."""
    embed = resources.files("virtualenv.seed.wheels.embed")
    found = [Path(str(item)) for item in embed.iterdir() if item.name.startswith("setuptools-")]
    if not found:
        raise FileNotFoundError("virtualenv ships no setuptools wheel")
    return max(found, key=lambda path: Version(path.name.split("-")[1]))


def build_wheel(source: Path, out: Path, work: Path) -> Path:
    """Build the sdist from a clean copy of ``source``, then the wheel from it, offline.

    As ``python -m build`` does for a release: a file the sdist leaves out is missing from
    the wheel too.
    """
    copy = work / "source"
    shutil.copytree(source, copy, ignore=source_ignored(source))
    backend = work / "wheels-for-building"
    backend.mkdir()
    shutil.copy2(setuptools_wheel(), backend)
    python = str(make_venv(work / "build-env") / "python")
    offline = ["--no-index", "--find-links", str(backend), "--quiet"]
    env = clean_env(work)
    pip = [python, "-m", "pip"]
    subprocess.run([*pip, "install", *offline, _backend_requirement(source)], check=True, env=env)
    sdists = work / "sdist"
    subprocess.run(
        [python, "-c", _BUILD_SDIST, str(sdists)], cwd=copy, check=True, env=env, stdout=DEVNULL
    )
    (sdist,) = sdists.glob("*.tar.gz")
    subprocess.run(
        [*pip, "wheel", *offline, "--no-deps", "--no-build-isolation", "-w", str(out), str(sdist)],
        check=True,
        env=env,
    )
    (wheel,) = out.glob("*.whl")
    return wheel


_BUILD_SDIST = "import sys; from setuptools import build_meta; build_meta.build_sdist(sys.argv[1])"


def _backend_requirement(source: Path) -> str:
    """The project's setuptools requirement for building (``setuptools>=77``)."""
    build = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))
    requires: list[str] = build["build-system"]["requires"]
    return next(r for r in requires if canonicalize_name(Requirement(r).name) == "setuptools")


def requirements_of(wheel: Path) -> list[str]:
    """The ``Requires-Dist`` lines of a wheel's metadata."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        text = archive.read(name).decode("utf-8")
    return [
        line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if line.startswith("Requires-Dist:")
    ]


def closure(requirements: Iterable[str]) -> list[metadata.Distribution]:
    """The installed distributions that these requirements need, transitively.

    Markers are evaluated for the running interpreter; a requirement that is not
    installed, or installed at a version it excludes, raises LookupError.
    """
    found: dict[str, metadata.Distribution] = {}
    done: set[tuple[str, str]] = set()
    pending = [(Requirement(text), "") for text in requirements]
    while pending:
        requirement, extra = pending.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        if name not in found:
            found[name] = _installed(requirement)
        for wanted in ("", *sorted(requirement.extras)):
            if (name, wanted) not in done:
                done.add((name, wanted))
                pending += [(Requirement(t), wanted) for t in found[name].requires or []]
    return sorted(found.values(), key=lambda d: canonicalize_name(d.metadata["Name"]))


def _installed(requirement: Requirement) -> metadata.Distribution:
    try:
        dist = metadata.distribution(requirement.name)
    except metadata.PackageNotFoundError:
        raise LookupError(f"{requirement} is needed but not installed here") from None
    if not requirement.specifier.contains(dist.version, prereleases=True):
        raise LookupError(f"{requirement} is needed but {dist.version} is installed here")
    return dist


def repack(dist: metadata.Distribution, out: Path) -> Path:
    """Write an installed distribution back into a wheel in ``out``; return its path."""
    files = [PurePosixPath(str(f)) for f in dist.files or []]
    info = next(f.parts[0] for f in files if f.parts[0].endswith(".dist-info"))
    tags = [
        line.split(":", 1)[1].strip()
        for line in (dist.read_text("WHEEL") or "").splitlines()
        if line.startswith("Tag:")
    ]
    if not tags:
        raise ValueError(f"{info} has no WHEEL file with tags: it was not installed from a wheel")
    stem = info.removesuffix(".dist-info")
    wheel = out / f"{stem}-{_compressed(tags)}.whl"
    root = Path(str(dist.locate_file("")))
    record = []
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            source = root / file
            if not _shipped(file, info) or not source.is_file():
                continue
            data = source.read_bytes()
            archive.writestr(file.as_posix(), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append(f"{file.as_posix()},sha256={digest.decode()},{len(data)}")
        record.append(f"{info}/RECORD,,")
        archive.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return wheel


def _shipped(file: PurePosixPath, info: str) -> bool:
    """Whether an installed file belongs in the wheel (not scripts, caches or install records)."""
    if file.parts[0] == ".." or "__pycache__" in file.parts or file.suffix == ".pyc":
        return False
    return not (file.parts[0] == info and file.name in _LEFT_OUT)


def _compressed(tags: list[str]) -> str:
    """Wheel tags as a filename's compressed tag set (``py2.py3-none-any``)."""
    parts = [sorted({tag.split("-")[i] for tag in tags}) for i in range(3)]
    return "-".join(".".join(part) for part in parts)
