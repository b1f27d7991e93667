"""`customer-escalation install / uninstall / build-adapters`: put the skill and the MCP server where a client looks.

install --client claude-code|cursor|windsurf [--scope project|user] [--dry-run]
  copies the skill folder (SKILL.md and skill/) into the client's skills directory, writes the
  client's slash command where it has one (Cursor command, Windsurf workflow), and registers the
  MCP server in the client's MCP config. Existing config files are merged: only the
  `mcpServers.customer-escalation` entry is touched, the previous file is kept as a backup next
  to it, and running it twice changes nothing. A small install record in the data directory
  lets `uninstall` reverse exactly what install did, leaving anything the user changed since.

Where each client looks (checked against the clients' documentation):
  claude-code  project: .claude/skills/<name>/, .mcp.json        user: ~/.claude/skills/<name>/, ~/.claude.json
  cursor       project: .cursor/skills/<name>/, .cursor/commands/, .cursor/mcp.json
               user:    ~/.cursor/skills/<name>/, ~/.cursor/commands/, ~/.cursor/mcp.json
  windsurf     project: .windsurf/skills/<name>/, .windsurf/workflows/
               user:    ~/.codeium/windsurf/skills/<name>/, ~/.codeium/windsurf/global_workflows/
               MCP (both scopes; Windsurf has no project MCP file): ~/.codeium/windsurf/mcp_config.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import adapters
from .adapters import SKILL_NAME
from .errors import UserError

SERVER_NAME = "customer-escalation"
CLIENTS = ("claude-code", "cursor", "windsurf")
RECORD_VERSION = 1


class InstallError(UserError):
    """Install cannot proceed safely; nothing was changed. The message says what to do."""


@dataclass(frozen=True)
class Target:
    client: str
    scope: str
    base: Path  # the project directory, or the home directory for user scope
    skill_dir: Path
    command_file: Path | None
    mcp_config: Path

    @property
    def key(self) -> str:
        digest = hashlib.sha256(str(self.base.resolve()).encode()).hexdigest()[:12]
        return f"{self.client}-{self.scope}-{digest}"


def target_for(client: str, scope: str, project: Path, home: Path) -> Target:
    if client == "claude-code":
        if scope == "project":
            return Target(client, scope, project, project / ".claude/skills" / SKILL_NAME, None, project / ".mcp.json")
        return Target(client, scope, home, home / ".claude/skills" / SKILL_NAME, None, home / ".claude.json")
    if client == "cursor":
        root = project if scope == "project" else home
        return Target(client, scope, root, root / ".cursor/skills" / SKILL_NAME,
                      root / ".cursor/commands" / f"{SKILL_NAME}.md", root / ".cursor/mcp.json")
    if client == "windsurf":
        mcp = home / ".codeium/windsurf/mcp_config.json"
        if scope == "project":
            return Target(client, scope, project, project / ".windsurf/skills" / SKILL_NAME,
                          project / ".windsurf/workflows" / f"{SKILL_NAME}.md", mcp)
        return Target(client, scope, home, home / ".codeium/windsurf/skills" / SKILL_NAME,
                      home / ".codeium/windsurf/global_workflows" / f"{SKILL_NAME}.md", mcp)
    raise InstallError(f"unknown client {client!r}; choose one of {', '.join(CLIENTS)}")


# --- what gets written ---------------------------------------------------------------------------


def server_command(portable: bool = False) -> list[str]:
    """How the client should start the server (without `serve`).

    portable (a config file that lives in the project and is shared with everyone who opens it): `uvx --from <where
    this package came from> customer-escalation`, which works on any machine with uv. Otherwise this environment's
    console script by absolute path, unless the environment is a throwaway one in a package cache (uvx, pipx run),
    which is the uvx form again: a path into a cache stops working when the cache is cleaned."""
    if portable or _in_cache(Path(sys.prefix)):
        return ["uvx", "--from", package_source(), "customer-escalation"]
    script = Path(sys.executable).parent / ("customer-escalation.exe" if os.name == "nt" else "customer-escalation")
    if script.is_file():
        return [str(script)]
    found = shutil.which("customer-escalation")
    if found:
        return [str(Path(found).absolute())]
    return [sys.executable, "-c", "import sys; from customer_escalation.cli import main; sys.exit(main())"]


def _in_cache(prefix: Path) -> bool:
    return any("cache" in part.lower() or part.startswith("archive-v") for part in prefix.resolve().parts)


def package_source(dist: Any = None) -> str:
    """What `uvx --from` takes to get this package again: the git URL and commit, the archive URL or the local
    checkout it was installed from (PEP 610's direct_url.json), else the release on the package index."""
    from importlib import metadata
    from urllib.parse import unquote, urlparse

    try:
        dist = dist or metadata.distribution("customer-escalation")
        origin = json.loads(dist.read_text("direct_url.json") or "null")
    except (metadata.PackageNotFoundError, ValueError):
        origin = None
    if not isinstance(origin, dict) or not origin.get("url"):
        from . import __version__

        return f"customer-escalation=={__version__}"
    url = origin["url"]
    vcs = origin.get("vcs_info") or {}
    if vcs.get("vcs") == "git":
        return f"git+{url}" + (f"@{vcs['commit_id']}" if vcs.get("commit_id") else "")
    if url.startswith("file://"):
        return unquote(urlparse(url).path)
    return url


def server_entry(client: str, args: argparse.Namespace, *, portable: bool = False) -> dict[str, Any]:
    command, *prefix = server_command(portable)
    serve = [*prefix, "serve"]
    workspace = getattr(args, "workspace", None)
    if workspace:
        is_path = workspace not in ("default", "sample", "empty")
        serve += ["--workspace", str(Path(workspace).expanduser().absolute()) if is_path else workspace]
    if getattr(args, "policy", None):
        serve += ["--policy", str(Path(args.policy).expanduser().absolute())]
    if getattr(args, "home", None):
        serve += ["--home", str(Path(args.home).expanduser().absolute())]
    if getattr(args, "enable_writes", False):
        serve.append("--enable-writes")
    env: dict[str, str] = {}
    for pair in getattr(args, "env", None) or []:
        if "=" not in pair:
            raise InstallError(f"--env takes NAME=VALUE, got {pair.split('=')[0]!r}")
        name, value = pair.split("=", 1)
        env[name.strip()] = value
    entry: dict[str, Any] = {"command": command, "args": serve, "env": env}
    if client == "claude-code":
        entry = {"type": "stdio", **entry}
    return entry


def skill_files(client: str) -> dict[str, str]:
    """The skill folder's files (relative path -> text) and, under the key '<command>', the slash command."""
    skill = adapters.packaged_skill()
    files = dict(skill.files())
    if client == "cursor":
        files["<command>"] = adapters.render_cursor_command(skill)
    elif client == "windsurf":
        files["<command>"] = adapters.render_windsurf_workflow(skill)
    return files


# --- the record ---------------------------------------------------------------------------------


def records_dir() -> Path:
    from .settings import home_dir

    return home_dir() / "installs"


def _sha(text: str | bytes) -> str:
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


def _file_sha(path: Path) -> str | None:
    return _sha(path.read_bytes()) if path.is_file() else None


def _load_record(target: Target) -> dict[str, Any] | None:
    path = records_dir() / f"{target.key}.json"
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise InstallError(f"the install record {path} is unreadable; delete it to start over") from None


def _recorded(entry: Any) -> Any:
    """The server entry as the install record keeps it: --env values (often secrets) as digests only."""
    if not isinstance(entry, dict) or not isinstance(entry.get("env"), dict):
        return entry
    return {**entry, "env": {k: "sha256:" + _sha(str(v)) for k, v in entry["env"].items()}}


def _ours(current: Any, recorded: Any) -> bool:
    """The entry in the config is the one install wrote (records written before digests hold it as it was)."""
    return recorded is not None and current is not None and recorded in (current, _recorded(current))


SECRET_WORDS = ("TOKEN", "KEY", "SECRET", "PASSWORD", "CREDENTIAL")


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        if path.exists():
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_config(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InstallError(
            f"{path} is not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start}), and JSON config files must be: "
            "save it as UTF-8 in your editor, then run this again; nothing was changed") from None
    try:
        data = json.loads(text or "{}")
    except json.JSONDecodeError as exc:
        raise InstallError(f"{path} is not valid JSON ({exc.msg} at line {exc.lineno}); fix it first, nothing was changed") from None
    if not isinstance(data, dict) or not isinstance(data.get("mcpServers", {}), dict):
        raise InstallError(f"{path} does not hold a JSON object with an 'mcpServers' object; nothing was changed")
    return data


def config_backup(path: Path) -> Path:
    return path.with_name(path.name + ".customer-escalation.bak")


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Equal as JSON values (key order and formatting aside); an empty mcpServers counts as absent."""
    def norm(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if not (k == "mcpServers" and v == {})}
    return norm(a) == norm(b)


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


class Plan:
    """Changes to make, printed as they are made (or instead, with --dry-run)."""

    def __init__(self, dry_run: bool):
        self.dry_run = dry_run
        self.lines: list[str] = []
        self.changed = False

    def say(self, verb: str, path: Path, note: str = "") -> None:
        self.lines.append(f"  {verb:<9} {path}{f'  ({note})' if note else ''}")
        if verb not in ("unchanged", "kept", "skipped"):
            self.changed = True


# --- install / uninstall ------------------------------------------------------------------------


def install(target: Target, entry: dict[str, Any], files: dict[str, str], *, dry_run: bool = False) -> Plan:
    plan = Plan(dry_run)
    record = _load_record(target) or {}
    old_files = {f["path"]: f for f in record.get("files", [])}
    config = _read_config(target.mcp_config)  # validate before touching anything
    config_existed = target.mcp_config.exists()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    backup_root = records_dir() / "backups" / target.key / stamp
    created_dirs = list(record.get("created_dirs", []))
    new_files = _install_files(target, files, old_files, backup_root, created_dirs, plan)
    _remove_dropped(old_files, new_files, plan)
    config_record = _install_entry(target, entry, config, config_existed, record.get("config") or {}, created_dirs, plan)
    if not dry_run:
        record_path = records_dir() / f"{target.key}.json"
        _atomic_write(record_path, _dump({
            "version": RECORD_VERSION, "client": target.client, "scope": target.scope, "base": str(target.base),
            "installed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "files": new_files, "created_dirs": created_dirs, "config": config_record,
        }))
    return plan


def _note_dirs(target: Target, path: Path, created_dirs: list[str]) -> None:
    """Record the folders under the target's base that writing `path` creates (uninstall removes them if empty)."""
    missing = []
    for parent in path.parents:
        if parent.exists() or parent == target.base or target.base not in parent.parents:
            break
        missing.append(str(parent))
    for d in reversed(missing):
        if d not in created_dirs:
            created_dirs.append(d)


def _install_files(target: Target, files: dict[str, str], old_files: dict[str, Any], backup_root: Path,
                   created_dirs: list[str], plan: Plan) -> list[dict[str, Any]]:
    """Write the skill's files; a file found changed by someone else is copied aside first. Returns the files' record."""
    new_files: list[dict[str, Any]] = []
    for rel, text in files.items():
        path = target.command_file if rel == "<command>" else target.skill_dir / rel
        assert path is not None
        key = str(path)
        previous = old_files.get(key, {})
        current = _file_sha(path)
        backup = previous.get("backup")
        if current == _sha(text):
            plan.say("unchanged", path)
        elif current is None:
            _note_dirs(target, path, created_dirs)
            plan.say("create", path)
        elif current == previous.get("sha256"):
            plan.say("update", path)
        else:  # someone else's file, or ours edited by hand: keep a copy before replacing it
            backup = str(backup_root / "files" / path.relative_to(target.base)) if target.base in path.parents else str(backup_root / "files" / path.name)
            plan.say("replace", path, f"previous copy kept at {backup}")
            if not plan.dry_run:
                Path(backup).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, backup)
        if not plan.dry_run and current != _sha(text):
            _atomic_write(path, text)
        new_files.append({"path": key, "sha256": _sha(text), "backup": backup})
    return new_files


def _remove_dropped(old_files: dict[str, Any], new_files: list[dict[str, Any]], plan: Plan) -> None:
    """Files an earlier version installed and this one does not ship: removed unless changed since."""
    wanted = {f["path"] for f in new_files}
    for key, old in old_files.items():
        if key not in wanted:
            path = Path(key)
            if _file_sha(path) == old["sha256"]:
                plan.say("remove", path, "no longer part of the skill")
                if not plan.dry_run:
                    path.unlink()
            elif path.exists():
                plan.say("kept", path, "changed since install")


def _install_entry(target: Target, entry: dict[str, Any], config: dict[str, Any], config_existed: bool,
                   old_config: dict[str, Any], created_dirs: list[str], plan: Plan) -> dict[str, Any]:
    """Add or replace the server's entry in the client's MCP config. Returns the config's record (what uninstall undoes)."""
    servers = config.setdefault("mcpServers", {})
    current_entry = servers.get(SERVER_NAME)
    backup_path = config_backup(target.mcp_config)
    # the backup holds the file as it was before our first install; later installs keep it
    config_backup_made = bool(old_config.get("backup_made")) and backup_path.is_file()
    if current_entry == entry:
        plan.say("unchanged", target.mcp_config, f"mcpServers.{SERVER_NAME}")
        previous_entry = old_config.get("previous")
    else:
        # the entry found there before our first install is what uninstall puts back
        ours = _ours(current_entry, old_config.get("entry"))
        previous_entry = old_config.get("previous") if ours else current_entry
        if config_existed:
            take_backup = not config_backup_made
            verb = "update"
            note = f"mcpServers.{SERVER_NAME} {'replaced' if current_entry is not None else 'added'}" + (
                f"; backup {backup_path}" if take_backup else "")
        else:
            take_backup = False
            _note_dirs(target, target.mcp_config, created_dirs)
            verb, note = "create", f"mcpServers.{SERVER_NAME}"
        plan.say(verb, target.mcp_config, note)
        servers[SERVER_NAME] = entry
        if not plan.dry_run:
            if take_backup:
                shutil.copy2(target.mcp_config, backup_path)
                config_backup_made = True
            _atomic_write(target.mcp_config, _dump(config))
    created_config = old_config["created_file"] if "created_file" in old_config else not config_existed
    return {"path": str(target.mcp_config), "entry": _recorded(entry), "previous": previous_entry,
            "created_file": created_config, "backup_made": config_backup_made}


def uninstall(target: Target, *, dry_run: bool = False) -> Plan | None:
    record = _load_record(target)
    if record is None:
        return None
    plan = Plan(dry_run)
    for item in record.get("files", []):
        path = Path(item["path"])
        if not path.exists():
            plan.say("skipped", path, "already gone")
        elif _file_sha(path) != item["sha256"]:
            plan.say("kept", path, "changed since install")
        elif item.get("backup") and Path(item["backup"]).is_file():
            plan.say("restore", path, "the copy from before install")
            if not dry_run:
                shutil.copy2(item["backup"], path)
        else:
            plan.say("remove", path)
            if not dry_run:
                path.unlink()

    cfg = record.get("config") or {}
    path = Path(cfg.get("path", target.mcp_config))
    if path.exists():
        config = _read_config(path)
        servers = config.get("mcpServers", {})
        if not _ours(servers.get(SERVER_NAME), cfg.get("entry")):
            plan.say("kept", path, f"mcpServers.{SERVER_NAME} changed since install")
        else:
            if cfg.get("previous") is not None:
                servers[SERVER_NAME] = cfg["previous"]
                note = f"mcpServers.{SERVER_NAME} restored to the entry from before install"
            else:
                del servers[SERVER_NAME]
                note = f"mcpServers.{SERVER_NAME} removed"
            backup = config_backup(path)
            original = _read_config(backup) if cfg.get("backup_made") and backup.is_file() else None
            if cfg.get("created_file") and config == {"mcpServers": {}}:
                plan.say("remove", path, "created by install, now empty")
                if not dry_run:
                    path.unlink()
            elif original is not None and _same(original, config):
                plan.say("restore", path, f"{note}; the file as it was before install")
                if not dry_run:
                    shutil.copy2(backup, path)
            else:
                plan.say("update", path, note)
                if not dry_run:
                    _atomic_write(path, _dump(config))
            if original is not None:
                plan.say("remove", backup, "backup made by install")
                if not dry_run:
                    backup.unlink()

    for d in sorted(record.get("created_dirs", []), key=len, reverse=True):
        directory = Path(d)
        if directory.is_dir() and not any(directory.iterdir()):
            plan.say("remove", directory, "empty directory created by install")
            if not dry_run:
                directory.rmdir()

    if not dry_run:
        (records_dir() / f"{target.key}.json").unlink(missing_ok=True)
        shutil.rmtree(records_dir() / "backups" / target.key, ignore_errors=True)
    return plan


# --- the commands -------------------------------------------------------------------------------


def _target(args: argparse.Namespace) -> Target:
    project = Path(args.project_dir).expanduser().absolute() if args.project_dir else Path.cwd()
    return target_for(args.client, args.scope, project, Path.home())


def _fail(exc: Exception) -> int:
    print(f"customer-escalation: {exc}", file=sys.stderr)
    return 2


def cmd_install(args: argparse.Namespace) -> int:
    try:
        target = _target(args)
        # a config file inside the project is shared (committed, opened on other machines): no path of this machine
        shared = target.base in target.mcp_config.parents and target.scope == "project"
        entry = server_entry(args.client, args, portable=shared)
        plan = install(target, entry, skill_files(args.client), dry_run=args.dry_run)
    except (InstallError, adapters.AdapterError, OSError) as exc:
        return _fail(exc)
    names = [pair.split("=", 1)[0].strip() for pair in args.env or []]
    secrets = [name for name in names if any(word in name.upper() for word in SECRET_WORDS)]
    if secrets:
        print(f"warning: {', '.join(secrets)} {'is' if len(secrets) == 1 else 'are'} written in plain text to {target.mcp_config}"
              + (" (a project file: keep it out of version control)" if args.scope == "project" else "")
              + "; the install record keeps a digest only. To keep secrets out of the file, leave out --env and set them "
              "in the environment the client starts from.", file=sys.stderr)
    head = "would change" if args.dry_run else "changed"
    print(f"{'Dry run: ' if args.dry_run else ''}install for {args.client} ({args.scope} scope):")
    print("\n".join(plan.lines))
    if not plan.changed:
        print("Already installed; nothing to do.")
    elif args.dry_run:
        print(f"Nothing written. Run without --dry-run to apply ({head} the files above).")
    else:
        print(f"Restart {args.client} (or reload its MCP servers), then type /{SKILL_NAME} <issue> [account].")
        if args.client == "windsurf":
            print("Windsurf reads MCP servers from one global file for every project.")
    if entry["command"] == "uvx" and shutil.which("uvx") is None:
        print("The server is started with uvx: install uv (https://docs.astral.sh/uv/) wherever the client runs.")
    hint = workspace_hint(args)
    if hint:
        print(hint)
    return 0


def workspace_hint(args: argparse.Namespace) -> str:
    """After install: say so when the server would answer from an empty workspace with nothing connected."""
    from .options import service_from_args

    if getattr(args, "workspace", None) not in (None, "default"):
        return ""
    try:
        service = service_from_args(args)
    except UserError:
        return ""
    try:
        return service.empty_workspace_hint()
    finally:
        service.close()


def cmd_uninstall(args: argparse.Namespace) -> int:
    try:
        plan = uninstall(_target(args), dry_run=args.dry_run)
    except (InstallError, OSError) as exc:
        return _fail(exc)
    if plan is None:
        print(f"Nothing to uninstall: no install record for {args.client} ({args.scope} scope) here.")
        return 0
    print(f"{'Dry run: ' if args.dry_run else ''}uninstall for {args.client} ({args.scope} scope):")
    print("\n".join(plan.lines))
    return 0


def cmd_build_adapters(args: argparse.Namespace) -> int:
    root = Path(args.root).absolute()
    try:
        if args.check:
            wrong = adapters.stale(root)
            for rel in wrong:
                print(f"out of date: {rel}")
            if wrong:
                print("Run `customer-escalation build-adapters` and commit the result.", file=sys.stderr)
            return 1 if wrong else 0
        changed = adapters.write(root)
    except adapters.AdapterError as exc:
        return _fail(exc)
    for rel in changed:
        print(f"wrote {rel}")
    print("Up to date." if not changed else f"{len(changed)} file(s) regenerated from SKILL.md and skill/.")
    return 0


def add_commands(sub: argparse._SubParsersAction, common) -> None:
    def where(p: argparse.ArgumentParser) -> None:
        p.add_argument("--client", required=True, choices=CLIENTS, help="the agent client to set up")
        p.add_argument("--scope", choices=("project", "user"), default="project",
                       help="project: this project's folders (default); user: your home directory, every project")
        p.add_argument("--project-dir", help="project directory for --scope project (default: the current directory)")
        p.add_argument("--dry-run", action="store_true", help="print what would change and change nothing")

    p = sub.add_parser("install", help="install the skill and register the MCP server in Claude Code, Cursor or Windsurf")
    where(p)
    p.add_argument("--enable-writes", action="store_true", help="register the server with its write tools enabled")
    p.add_argument("--env", action="append", metavar="NAME=VALUE",
                   help="environment for the server, e.g. connector settings (stored in the client's config file)")
    common(p)
    p.set_defaults(func=cmd_install)

    p = sub.add_parser("uninstall", help="reverse what install did (files you changed since are kept)")
    where(p)
    p.set_defaults(func=cmd_uninstall)

    p = sub.add_parser("build-adapters", help="regenerate the installable skill folder, package copy, Cursor command and Windsurf workflow from SKILL.md")
    p.add_argument("--root", default=".", help="repository root holding SKILL.md and skill/ (default: current directory)")
    p.add_argument("--check", action="store_true", help="exit 1 if any generated file is out of date")
    p.set_defaults(func=cmd_build_adapters)

    serve = sub.choices.get("serve")
    if serve is not None:
        from .http import add_serve_options

        add_serve_options(serve)
