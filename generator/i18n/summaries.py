"""Babel extractor for the summaries of the diagnostic codes.

Each ``_declare(code, name, severity, summary, …)`` call in ``generator/diagnostics/codes.py``
gives a summary that the rules reference page shows, translated; the English text is
the message id. The declarations are read from the source, never imported or run.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

SUMMARY_ARGUMENT = 3
"""The position of the summary among ``_declare``'s arguments."""


def extract_code_summaries(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, None, str, list[str]]]:
    """(line, None, summary, []) of every code declared in the file."""
    tree = ast.parse(fileobj.read().decode("utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "_declare"
            and len(node.args) > SUMMARY_ARGUMENT
        ):
            summary = node.args[SUMMARY_ARGUMENT]
            if isinstance(summary, ast.Constant) and isinstance(summary.value, str):
                yield summary.lineno, None, summary.value, []
