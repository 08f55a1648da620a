"""The ``handbook`` command."""

from __future__ import annotations

from generator.cli.commands import main

__all__ = ["main"]
