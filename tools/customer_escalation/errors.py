"""The one user-facing error type.

Everything the core refuses or fails with for a reason the caller can fix raises a subclass of `UserError` with
trusted text that says what to do. Each surface translates it once: the CLI prints it and exits 2 (`cli.main`), the
MCP server turns it into an error result the model can read (`server.user_errors`).
"""

from __future__ import annotations


class UserError(Exception):
    """A refusal or failure with a message the caller can act on (trusted text only, no traceback)."""
