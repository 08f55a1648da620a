"""The ``handbook`` command."""

from __future__ import annotations

from generator.cli.main import main

__all__ = ["main"]
