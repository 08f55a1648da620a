"""The failure a subcommand stops with: one line for its user and an exit status."""

from __future__ import annotations

from generator.diagnostics.values import HandbookError, Text

EXIT_FAILED, EXIT_USAGE = 1, 2


class CommandError(HandbookError):
    """A command could not finish; ``status`` is its exit status (1, or 2 for usage)."""

    def __init__(self, message: Text, status: int = EXIT_FAILED) -> None:
        super().__init__(message, exit_status=status)

    @property
    def status(self) -> int:
        """The command's exit status."""
        return self.exit_status
