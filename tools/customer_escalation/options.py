"""Settings and the service from command-line options, shared by every command module (cli, lifecycle_cli, install)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .errors import UserError
from .service import Service
from .settings import Settings


def settings_from_args(args: argparse.Namespace) -> Settings:
    """The environment's settings, with the options given on the command line winning."""
    overrides: dict[str, Any] = {}
    if getattr(args, "workspace", None):
        overrides["workspace"] = args.workspace
    if getattr(args, "policy", None):
        overrides["policy_file"] = Path(args.policy)
    if getattr(args, "store", None):
        overrides["store"] = args.store
    if getattr(args, "home", None):
        overrides["home"] = Path(args.home)
    if getattr(args, "enable_writes", False):
        overrides["enable_writes"] = True
    try:
        return Settings.from_env(**overrides)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def service_from_args(args: argparse.Namespace, *, refusing: str = "") -> Service:
    """The application core for one command; a malformed policy is a user error (`refusing` prefixes its message)."""
    from .policy import PolicyError

    try:
        return Service(settings_from_args(args))
    except PolicyError as exc:
        raise UserError(f"{refusing}{exc}") from None
