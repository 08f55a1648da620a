"""Report how an upgraded ``uv.lock`` differs from the committed one, as Markdown.

    python scripts/lock_drift.py uv.lock.committed uv.lock >> "$GITHUB_STEP_SUMMARY"

The scheduled dependency-drift job runs ``uv lock --upgrade`` (never committed) and
then the test suite; this lists the packages whose newest allowed version differs
from the locked one, and the packages that came or went with the upgrade.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

Versions = Mapping[str, tuple[str, ...]]


def locked_versions(text: str) -> dict[str, tuple[str, ...]]:
    """Each locked package's versions (a package can be locked at more than one)."""
    found: dict[str, set[str]] = {}
    for package in tomllib.loads(text).get("package", []):
        if isinstance(package, dict) and isinstance(package.get("name"), str):
            found.setdefault(package["name"], set()).add(str(package.get("version", "")))
    return {name: tuple(sorted(versions)) for name, versions in sorted(found.items())}


def _shown(versions: tuple[str, ...]) -> str:
    return ", ".join(v or "(no version)" for v in versions)


def report(before: Versions, after: Versions) -> str:
    """The Markdown report: changed, added and removed packages."""
    changed = [n for n in before if n in after and before[n] != after[n]]
    added = [n for n in after if n not in before]
    removed = [n for n in before if n not in after]
    lines = ["## Dependency drift", ""]
    if not (changed or added or removed):
        lines.append(
            f"All {len(before)} locked packages are already the newest versions the ranges allow."
        )
        return "\n".join(lines) + "\n"
    lines.append(
        f"{len(changed)} of {len(before)} locked packages have newer versions within the ranges."
    )
    if changed:
        lines += ["", "| package | locked | newest allowed |", "| --- | --- | --- |"]
        lines += [f"| {n} | {_shown(before[n])} | {_shown(after[n])} |" for n in changed]
    if added:
        lines += ["", "New packages: " + ", ".join(f"{n} {_shown(after[n])}" for n in added)]
    if removed:
        lines += ["", "No longer needed: " + ", ".join(f"{n} {_shown(before[n])}" for n in removed)]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str]) -> int:
    """Print the report for ``COMMITTED_LOCK UPGRADED_LOCK``; exit 2 on a usage error."""
    if len(argv) != 2:
        print("usage: lock_drift.py COMMITTED_LOCK UPGRADED_LOCK", file=sys.stderr)
        return 2
    try:
        before, after = (locked_versions(Path(a).read_text(encoding="utf-8")) for a in argv)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        print(f"lock_drift.py: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(report(before, after))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
