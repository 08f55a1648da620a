"""Every diagnostic code the handbook can emit, declared once: name, severity, meaning.

Reading a file (``yaml-*``), the schema (``HB001``), the file layout (``HB114``), the
rules beyond the schema (``HB1xx``), CODEOWNERS (``HB130``) and the feedback report all
speak through these codes. ``handbook rules`` lists them; ``rules:`` in mkdocs.yml
re-levels any adjustable one by code or name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.diagnostics.values import Diagnostic, Location, Severity, Text


@dataclass(frozen=True, slots=True)
class Code:
    """One kind of problem: a stable code, a name, a default severity and its meaning."""

    code: str
    name: str
    severity: Severity
    summary: str
    strict: Severity | None = None
    """The severity with ``--strict``, when it differs."""
    adjustable: bool = True
    """False for problems that stop a file from being read: they are always errors."""

    def at(
        self,
        location: Location,
        message: Text,
        *,
        path: str = "",
        hint: Text = "",
        source_line: str = "",
        severity: Severity | None = None,
    ) -> Diagnostic:
        """A diagnostic of this code at ``location`` (at the code's severity by default)."""
        return Diagnostic.of(
            severity or self.severity,
            location,
            message,
            path=path,
            hint=hint,
            code=self.code,
            source_line=source_line,
        )


_REGISTRY: dict[str, Code] = {}


def _declare(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    *,
    strict: Severity | None = None,
    adjustable: bool = True,
) -> Code:
    declared = Code(code, name, severity, summary, strict, adjustable)
    assert code not in _REGISTRY and not any(c.name == name for c in _REGISTRY.values())
    _REGISTRY[code] = declared
    return declared


E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: a note (info)

# --- reading a file ----------------------------------------------------------------------
YAML_FILE = _declare("yaml-file", "unreadable-file", E, "The file can be read.", adjustable=False)
YAML_SIZE = _declare(
    "yaml-size", "file-too-large", E, "The file is at most 1 MB.", adjustable=False
)
YAML_ENCODING = _declare(
    "yaml-encoding", "not-utf8", E, "The file is UTF-8 text.", adjustable=False
)
YAML_CHARACTER = _declare(
    "yaml-character",
    "control-character",
    E,
    "The file holds no control characters YAML forbids.",
    adjustable=False,
)
YAML_SYNTAX = _declare(
    "yaml-syntax", "invalid-yaml", E, "The file is valid YAML.", adjustable=False
)
YAML_DEPTH = _declare(
    "yaml-depth", "nested-too-deep", E, "Values nest at most 64 levels deep.", adjustable=False
)
YAML_DOCUMENTS = _declare(
    "yaml-documents", "several-documents", E, "The file holds one YAML document.", adjustable=False
)
YAML_DUPLICATE_KEY = _declare(
    "yaml-duplicate-key", "duplicate-key", E, "No key appears twice in a mapping.", adjustable=False
)
YAML_COMPLEX_KEY = _declare(
    "yaml-complex-key", "complex-key", E, "Mapping keys are plain text.", adjustable=False
)
YAML_MERGE_KEY = _declare(
    "yaml-merge-key", "merge-key", E, "No merge keys (<<): values are written out.",
    adjustable=False,
)  # fmt: skip
YAML_TAG = _declare("yaml-tag", "tag", E, "No YAML tags.", adjustable=False)
YAML_ALIAS = _declare(
    "yaml-alias", "anchor-alias", E, "No anchors or aliases: values are written out.",
    adjustable=False,
)  # fmt: skip
YAML_NUMBER = _declare(
    "yaml-number", "non-finite-number", E, "Numbers are finite: no .nan, .inf or overflow.",
    adjustable=False,
)  # fmt: skip

# --- the schema and the file layout ------------------------------------------------------
SCHEMA = _declare(
    "HB001",
    "schema",
    E,
    "Every file follows its JSON Schema: known fields, right types, required values.",
    adjustable=False,
)
FILE_LAYOUT = _declare(
    "HB114",
    "file-layout",
    E,
    "Role files do not collide on case-insensitive file systems; symbolic links are "
    "skipped with a warning.",
)

UNSAFE_NAME = _declare(
    "HB140",
    "unsafe-file-name",
    E,
    "File and folder names under roles/ use only letters, digits, '-', '_' and '.'.",
    adjustable=False,
)
SCHEMA_COPY = _declare(
    "HB144",
    "schema-copy",
    W,
    "The handbook's schema/ copy is the tool's, and modelines in role files point at it.",
)

# --- rules beyond the schema -------------------------------------------------------------
DANGLING_REFERENCE = _declare(
    "HB101",
    "dangling-reference",
    E,
    "Every role, team, commitment and expectation a file names exists.",
)
DUPLICATE_ID = _declare(
    "HB102",
    "duplicate-id",
    E,
    "Role and team ids are unique; item ids are unique within their kind in a role.",
)
REPORTS_TO_CYCLE = _declare(
    "HB103",
    "reports-to-cycle",
    E,
    "Following ``reports_to`` always reaches the top, never comes back round.",
)
TEAM_CYCLE = _declare("HB104", "team-cycle", E, "Team ``parent`` links form a tree.")
TARGET_ORDER = _declare(
    "HB105",
    "target-order",
    E,
    "``exceeds`` is strictly better than ``meets`` in the ``better`` direction.",
)
RESPONSE_AFTER_RESOLUTION = _declare(
    "HB106",
    "response-after-resolution",
    E,
    "A target's ``response`` comes no later than its ``resolution``.",
)
SHARES_OVER_100 = _declare(
    "HB107",
    "shares-over-100",
    E,
    "The shares of a role's responsibilities add up to at most 100 %.",
)
WORKLOAD_LIMIT = _declare(
    "HB108",
    "workload-limit",
    W,
    "More responsibilities or commitments than the configured limits.",
)
REVIEW_OVERDUE = _declare(
    "HB109",
    "review-overdue",
    W,
    "``review_by`` is a real date, not in the past (an error with --strict).",
    strict=E,
)
MISSING_OWNER = _declare(
    "HB110", "missing-owner", W, "Every role names its owners and a review date."
)
PROMISES_NOTHING = _declare(
    "HB111",
    "promises-nothing",
    N,
    "A role with no commitments serves no internal customer visibly.",
)
UNUSED_EXPECTATION = _declare(
    "HB112", "unused-expectation", N, "An expectation that no reward and no feedback uses."
)
FILE_NAME_MISMATCH = _declare(
    "HB113",
    "file-name-mismatch",
    E,
    "A role file is named after its id: ``roles/…/<id>.yaml``.",
)
SINGLE_TOP = _declare(
    "HB115",
    "single-top",
    E,
    "Exactly one role has no ``reports_to``: the top of the organisation.",
)
SELF_REFERENCE = _declare(
    "HB116",
    "self-reference",
    E,
    "A commitment escalates to another role, never to the role itself.",
)
LEAD_OUTSIDE_TEAM = _declare(
    "HB117",
    "lead-outside-team",
    W,
    "A team's lead is a role in that team or one of its sub-teams.",
)
FEEDBACK_SCALE = _declare(
    "HB118",
    "feedback-scale",
    E,
    "Feedback-based expectations are mean ratings on the 1–5 scale.",
)
UNKNOWN_PRIORITY = _declare(
    "HB119",
    "unknown-priority",
    E,
    "Target priorities come from the configured list, each at most once per commitment.",
)
POSITIVE_DURATION = _declare(
    "HB121",
    "positive-duration",
    E,
    "Response and resolution targets are longer than zero.",
)
RESERVED_ID = _declare(
    "HB141",
    "reserved-id",
    E,
    "No team or role id takes the address of a generated page (such as 'index').",
)
TEAM_DEPTH = _declare(
    "HB142",
    "team-depth",
    E,
    "The team tree is at most 16 levels deep.",
)
DURATION_LIMIT = _declare(
    "HB143",
    "duration-limit",
    E,
    "Response and resolution targets are at most a year (366d, 53w, 8784h).",
)

CALENDAR = _declare(
    "HB123",
    "calendar",
    E,
    "A team's business calendar is usable: a known time zone, working days, ordered hour "
    "ranges, a known holiday country and real dates.",
)

MEASUREMENT = _declare(
    "HB124",
    "measurement",
    E,
    "A manual measurement names a period, a role and one of its manual expectations; a "
    "role or expectation that no longer exists is a warning (its value is not shown).",
)

# --- workload signals (also shown on the workload page) ----------------------------------
SINGLE_POINT = _declare(
    "HB125",
    "single-point-of-failure",
    N,
    "A round-the-clock or very fast promise (``workload.short_target``) has a second role "
    "that makes it too.",
)
ESCALATION_GAP = _declare(
    "HB126",
    "escalation-gap",
    N,
    "Escalations reach someone: a role with a manager names whom to escalate to, a "
    "round-the-clock promise a role on duty around the clock.",
)

# --- other outputs -----------------------------------------------------------------------
CODEOWNERS = _declare(
    "HB130",
    "codeowners",
    W,
    "CODEOWNERS exists, matches the roles' owners, and every owner is a @user, "
    "@org/team or e-mail address.",
)
FEEDBACK_REPORT = _declare(
    "feedback-report",
    "unreadable-report",
    E,
    "The configured feedback report can be read and is a handbook report.",
)


MEASURED_REPORT = _declare(
    "measured-report",
    "unreadable-measured-report",
    E,
    "The configured measured report can be read and is a handbook measured report.",
)


def all_codes() -> Iterator[Code]:
    """Every declared code, in code order."""
    yield from sorted(_REGISTRY.values(), key=lambda c: c.code)


def find(key: str) -> Code | None:
    """The code spelled ``key`` (its code or its name), if there is one."""
    found = _REGISTRY.get(key)
    if found is not None:
        return found
    return next((c for c in _REGISTRY.values() if c.name == key), None)


def keys() -> list[str]:
    """Every spelling ``rules:`` accepts: codes and names."""
    return [spelled for c in _REGISTRY.values() for spelled in (c.code, c.name)]


def configured_severity(
    code: Code, levels: dict[str, Severity | None] | None, *, strict: bool = False
) -> Severity | None:
    """The severity of ``code`` as configured (None: off), else its default."""
    if levels and code.adjustable:
        for key in (code.code, code.name):
            if key in levels:
                return levels[key]
    return code.strict if strict and code.strict else code.severity


def relevel(
    diags: list[Diagnostic], levels: dict[str, Severity | None], *, strict: bool = False
) -> list[Diagnostic]:
    """Apply configured severities (and --strict) to diagnostics; drop those turned off.

    A diagnostic reported at its code's default severity takes the configured one; one
    reported at another severity (a variant the code's summary names) keeps it unless
    the code is configured explicitly.
    """
    out: list[Diagnostic] = []
    for diag in diags:
        code = _REGISTRY.get(diag.code)
        if code is None:
            out.append(diag)
            continue
        explicit = code.adjustable and (code.code in levels or code.name in levels)
        if not explicit and diag.severity is not code.severity:
            out.append(diag)
            continue
        wanted = configured_severity(code, levels, strict=strict)
        if wanted is not None:
            out.append(diag if wanted is diag.severity else diag.with_severity(wanted))
    return out
