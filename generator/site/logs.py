"""MkDocs' messages on stderr, shown the way the ``mkdocs`` command shows them."""

from __future__ import annotations

import logging
import sys


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname:<8}-  {record.getMessage()}"


def configure_logging(*, verbose: bool = False) -> None:
    """Show MkDocs' messages on stderr the way ``mkdocs`` itself does."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_handbook", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_Formatter())
        handler._handbook = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
