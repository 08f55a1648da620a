"""Manual measurements: ``measurements/<period>.yaml``, one file per period.

Each file gives, by role and expectation id, the value the role's owners recorded for
an expectation measured manually. The file name is the period (``2026-Q4.yaml`` for a
quarter, ``2026-11.yaml`` for a month, of the configured kind); every name must exist
and every expectation must be a manual one. Files are reviewed by pull request like
role files, and checked the same way.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import codes
from generator.diagnostics.values import Diagnostic, Location, Severity, msg
from generator.load.files import display_path
from generator.load.schema import validate_measurements
from generator.load.strict_yaml import Document, load_yaml
from generator.measure.outcomes import Measurement
from generator.model.organisation import Organisation
from generator.model.periods import Period, PeriodKind, parse_period

SUFFIXES = (".yaml", ".yml")

Measurements = Mapping[Period, Mapping[str, Measurement]]
"""By period, the recorded value of each ``role-id/expectation-id``."""


@dataclass(frozen=True, slots=True)
class _Read:
    period: Period | None
    doc: Document | None
    values: dict[str, Measurement]


def load_measurements(
    folder: Path,
    root: Path,
    organisation: Organisation,
    kind: PeriodKind,
    *,
    invalid_roles: frozenset[str] = frozenset(),
) -> tuple[dict[Period, dict[str, Measurement]], list[Diagnostic]]:
    """Every measurements file in ``folder`` (none when it does not exist), checked.

    Values of ``invalid_roles`` (roles whose files failed, already reported) are left
    out without a word.
    """
    if not folder.is_dir():
        return {}, []
    found: dict[Period, dict[str, Measurement]] = {}
    diags: list[Diagnostic] = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in SUFFIXES or path.name.startswith("."):
            continue
        display = display_path(path, root)
        if path.is_symlink() or not path.is_file():
            diags.append(_skipped(display))
            continue
        read, problems = _read(path, display, organisation, kind, invalid_roles)
        diags.extend(problems)
        if read.period is not None and not problems:
            found[read.period] = read.values
    return found, diags


_NOT_A_PERIOD = {
    "quarter": msg("'%(name)s' is not a quarter: name the file after its period"),
    "month": msg("'%(name)s' is not a month: name the file after its period"),
}
_PERIOD_EXAMPLE = {
    "quarter": msg("for example %(example)s (the periods are quarters)"),
    "month": msg("for example %(example)s (the periods are months)"),
}


def _skipped(display: str) -> Diagnostic:
    return codes.FILE_LAYOUT.at(
        Location(display),
        msg("symbolic link or special file skipped: links are not followed"),
        hint=msg("put the measurements file itself in the folder"),
        severity=Severity.WARNING,
    )


def _read(
    path: Path,
    display: str,
    organisation: Organisation,
    kind: PeriodKind,
    invalid_roles: frozenset[str],
) -> tuple[_Read, list[Diagnostic]]:
    period = parse_period(path.stem)
    if period is None or period.kind != kind:
        example = "2026-Q4" if kind == "quarter" else "2026-11"
        return _Read(None, None, {}), [
            codes.MEASUREMENT.at(
                Location(display, 1, 1),
                msg(_NOT_A_PERIOD[kind].template, name=path.stem),
                hint=msg(_PERIOD_EXAMPLE[kind].template, example=f"{example}{path.suffix}"),
            )
        ]
    doc, diags = load_yaml(path, display)
    if doc is None:
        return _Read(period, None, {}), diags
    problems = validate_measurements(doc)
    if problems:
        return _Read(period, doc, {}), problems
    values, problems = _values(doc, organisation, invalid_roles)
    return _Read(period, doc, values), problems


def _values(
    doc: Document, organisation: Organisation, invalid_roles: frozenset[str]
) -> tuple[dict[str, Measurement], list[Diagnostic]]:
    values: dict[str, Measurement] = {}
    diags: list[Diagnostic] = []
    for role_id, given in doc.data["values"].items():
        role = organisation.roles.get(role_id)
        if role is None and role_id in invalid_roles:
            continue
        if role is None:
            diags.append(_unknown(doc, ("values", role_id), "role", role_id, organisation.roles))
            continue
        manual = {e.id: e for e in role.expectations if e.source == "manual"}
        every = {e.id for e in role.expectations}
        for name, raw in given.items():
            path = ("values", role_id, name)
            if name not in every:
                diags.append(_unknown(doc, path, "expectation", name, every, of=role.id))
            elif name not in manual:
                diags.append(
                    doc.diagnostic(
                        path,
                        msg("'%(id)s' is measured from its source, not recorded by hand", id=name),
                        code=codes.MEASUREMENT,
                        hint=msg("only expectations with source: manual take recorded values"),
                        key=True,
                    )
                )
            else:
                values[f"{role.id}/{name}"] = _measurement(raw)
    return values, diags


def _unknown(
    doc: Document,
    path: tuple[str, ...],
    kind: str,
    name: str,
    known: Mapping[str, Any] | set[str],
    *,
    of: str = "",
) -> Diagnostic:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    hint = (
        msg("did you mean '%(value)s'?", value=close[0])
        if close
        else msg("a value recorded before it was removed")
    )
    if of:
        message = msg(
            "unknown expectation '%(id)s' of role '%(role)s': its value is not shown",
            id=name,
            role=of,
        )
    elif kind == "role":
        message = msg("unknown role '%(id)s': its value is not shown", id=name)
    else:
        message = msg("unknown expectation '%(id)s': its value is not shown", id=name)
    return doc.diagnostic(
        path,
        message,
        code=codes.MEASUREMENT,
        hint=hint,
        key=True,
        severity=Severity.WARNING,
    )


def _measurement(raw: Any) -> Measurement:
    if isinstance(raw, dict):
        return Measurement(float(raw["value"]), raw.get("note"))
    return Measurement(float(raw))
