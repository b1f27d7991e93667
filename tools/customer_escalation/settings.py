"""Where things live and what the environment sets. Read once at the edges, passed inward."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

APP = "customer-escalation"


def home_dir(env: Mapping[str, str] | None = None) -> Path:
    """The data directory: $CUSTOMER_ESCALATION_HOME, else the platform's user data dir."""
    env = os.environ if env is None else env
    if env.get("CUSTOMER_ESCALATION_HOME"):
        return Path(env["CUSTOMER_ESCALATION_HOME"]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False))


def is_loopback(host: str) -> bool:
    """A host name or address that stays on this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _float(env: Mapping[str, str], name: str, default: float, unit: str = "seconds") -> float:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of {unit}, got {raw!r}") from None
    if not 0 < value < float("inf"):
        raise ValueError(f"{name} must be a number of {unit} greater than 0")
    return value


def _bool(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass
class Settings:
    workspace: str = "default"  # default | sample | empty | path to .json or .db
    store: str | None = None  # None: SQLite files in `home`; or a postgresql:// URL (a store several hosts share)
    home: Path = field(default_factory=home_dir)
    policy_file: Path | None = None
    gather_deadline: float = 4.0  # seconds for gather_context overall
    source_timeout: float = 3.0  # seconds per source request
    enable_writes: bool = False
    draft_days: float = 30.0  # a draft unused this long is deleted (filed escalations keep what they need)
    now: datetime | None = None  # fixed clock (tests, evals); None = real time or the workspace's own

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if env is None else env
        policy = env.get("CUSTOMER_ESCALATION_POLICY")
        now = env.get("CUSTOMER_ESCALATION_NOW")
        values: dict[str, object] = dict(
            workspace=env.get("CUSTOMER_ESCALATION_WORKSPACE") or "default",
            store=env.get("CUSTOMER_ESCALATION_STORE") or None,
            home=home_dir(env),
            policy_file=Path(policy).expanduser() if policy else None,
            gather_deadline=_float(env, "CUSTOMER_ESCALATION_DEADLINE", 4.0),
            source_timeout=_float(env, "CUSTOMER_ESCALATION_SOURCE_TIMEOUT", 3.0),
            enable_writes=_bool(env, "CUSTOMER_ESCALATION_ENABLE_WRITES"),
            draft_days=_float(env, "CUSTOMER_ESCALATION_DRAFT_DAYS", 30.0, unit="days"),
            now=parse_now(now) if now else None,
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def parse_now(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"CUSTOMER_ESCALATION_NOW must be an ISO 8601 date-time, got {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
