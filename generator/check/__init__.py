"""The rules beyond the schema, run over the whole organisation at once."""

from __future__ import annotations

from generator.check import (
    bounds,
    cover,
    gaps,
    identity,
    references,
    structure,
    targets,
    upkeep,
    workload,
)
from generator.check.context import Finding, LintContext, RoleEntry
from generator.check.registry import RULES, Rule, rule, run_rules

__all__ = [
    "RULES",
    "Finding",
    "LintContext",
    "RoleEntry",
    "Rule",
    "bounds",
    "cover",
    "gaps",
    "identity",
    "references",
    "rule",
    "run_rules",
    "structure",
    "targets",
    "upkeep",
    "workload",
]
