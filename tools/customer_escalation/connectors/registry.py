"""Which systems exist, and which are configured from the environment.

Each connector module exposes:
    SYSTEM: str                     # e.g. "zendesk"
    CATEGORY: SourceCategory
    ENV_VARS: tuple[str, ...]       # the variables it reads, for docs and `connectors`
    def from_env(env, settings) -> Connector | None
        # None when the system has no credentials (not consulted);
        # raises ConnectorError(kind="misconfigured") when set up only in part.
Modules are imported only when asked for, so the server starts without loading them.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass

from .base import Connector, ConnectorError, HttpSettings

SYSTEMS: dict[str, str] = {
    "zendesk": "support",
    "intercom": "support",
    "hubspot": "crm",
    "salesforce": "crm",
    "slack": "chat",
    "jira": "tracker",
    "linear": "tracker",
    "github": "tracker",
    "confluence": "knowledge_base",
    "notion": "knowledge_base",
}


def module(system: str):
    return importlib.import_module(f"{__package__}.{system}")


@dataclass
class Configured:
    connectors: list[Connector]
    misconfigured: list[ConnectorError]


def from_env(env: Mapping[str, str], settings: HttpSettings | None = None, only: set[str] | None = None) -> Configured:
    """Build every connector that has credentials in `env`."""
    settings = settings or HttpSettings()
    found: list[Connector] = []
    broken: list[ConnectorError] = []
    for system in SYSTEMS:
        if only is not None and system not in only:
            continue
        mod = module(system)
        if not any(env.get(var) for var in mod.ENV_VARS):
            continue
        try:
            connector = mod.from_env(env, settings)
        except ConnectorError as exc:
            broken.append(exc)
            continue
        if connector is not None:
            found.append(connector)
    return Configured(found, broken)
