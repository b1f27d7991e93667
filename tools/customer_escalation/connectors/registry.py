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

from ..text import host_of
from .base import Connector, ConnectorError, HttpSettings

# system -> (category, the variables that turn it on). Kept here so that checking what is
# configured imports no connector module.
SYSTEMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "zendesk": ("support", ("ZENDESK_API_TOKEN", "ZENDESK_EMAIL", "ZENDESK_SUBDOMAIN", "ZENDESK_BASE_URL")),
    "intercom": ("support", ("INTERCOM_ACCESS_TOKEN",)),
    "hubspot": ("crm", ("HUBSPOT_ACCESS_TOKEN",)),
    "salesforce": ("crm", ("SALESFORCE_ACCESS_TOKEN", "SALESFORCE_INSTANCE_URL")),
    "slack": ("chat", ("SLACK_BOT_TOKEN", "SLACK_USER_TOKEN")),
    "jira": ("tracker", ("JIRA_API_TOKEN", "JIRA_BASE_URL", "JIRA_EMAIL")),
    "linear": ("tracker", ("LINEAR_API_KEY",)),
    "github": ("tracker", ("GITHUB_TOKEN", "GITHUB_REPOSITORY")),
    "confluence": ("knowledge_base", ("CONFLUENCE_API_TOKEN", "CONFLUENCE_BASE_URL", "CONFLUENCE_EMAIL")),
    "notion": ("knowledge_base", ("NOTION_TOKEN",)),
}


# where a system's pages live when that is not its API's host (github.com for api.github.com): its links point there
WEB_DOMAINS: dict[str, tuple[str, ...]] = {
    "github": ("github.com",), "slack": ("slack.com",), "linear": ("linear.app",), "notion": ("notion.so", "notion.site"),
    "hubspot": ("hubspot.com",), "intercom": ("intercom.com",), "salesforce": ("force.com", "salesforce.com"),
}


def link_hosts(connector: object) -> set[str]:
    """The hosts a connector's records may link to: its configured addresses and its vendor's web domains."""
    hosts = set(WEB_DOMAINS.get(str(getattr(connector, "name", "")), ()))
    for holder in (connector, getattr(connector, "http", None)):
        for attr in ("base_url", "app_url"):
            url = getattr(holder, attr, None)
            if isinstance(url, str) and host_of(url):
                hosts.add(host_of(url))
    return hosts


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
    for system, (_category, switches) in SYSTEMS.items():
        if only is not None and system not in only:
            continue
        if not any(env.get(var) for var in switches):
            continue
        mod = module(system)
        try:
            connector = mod.from_env(env, settings)
        except ConnectorError as exc:
            broken.append(exc)
            continue
        if connector is not None:
            found.append(connector)
    return Configured(found, broken)
