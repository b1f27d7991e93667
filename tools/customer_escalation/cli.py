"""The `customer-escalation` command. Thin: parse arguments, call the core, print.

Exit codes: 0 success, 1 the job ran and found a problem (failed evals, failing connectors),
2 bad input or configuration (with a message saying what to do).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path

from . import __version__


class CLIError(Exception):
    """A user-facing error: printed without a traceback, exit code 2."""


def _settings(args: argparse.Namespace):
    from .settings import Settings

    overrides = {}
    if getattr(args, "workspace", None):
        overrides["workspace"] = args.workspace
    if getattr(args, "policy", None):
        overrides["policy_file"] = Path(args.policy)
    if getattr(args, "home", None):
        overrides["home"] = Path(args.home)
    if getattr(args, "enable_writes", False):
        overrides["enable_writes"] = True
    try:
        return Settings.from_env(**overrides)
    except ValueError as exc:
        raise CLIError(str(exc)) from None


def _service(args: argparse.Namespace):
    from .policy import PolicyError
    from .service import Service

    try:
        return Service(_settings(args))
    except PolicyError as exc:
        raise CLIError(str(exc)) from None


def _facts(pairs: list[str]):
    from pydantic import ValidationError

    from .models import Facts

    data = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise CLIError(f"--fact takes name=value, got {pair!r} (e.g. --fact production_down=yes --fact customers_affected=12)")
        key, value = pair.split("=", 1)
        key = key.strip()
        if key not in Facts.model_fields:
            raise CLIError(f"unknown fact {key!r}; known facts: {', '.join(Facts.model_fields)}")
        data[key] = value.strip()
    try:
        return Facts.coerce(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise CLIError(f"bad --fact value: {problems}") from None


def cmd_brief(args: argparse.Namespace) -> int:
    from .brief import BriefInput
    from .service import InputError
    from .store import StoreError

    service = _service(args)
    try:
        chain = asyncio.run(service.run(args.issue, args.account or "", _facts(args.fact),
                                        BriefInput(reported_by=args.reported_by or "")))
    except (InputError, StoreError) as exc:
        raise CLIError(str(exc)) from None
    finally:
        service.close()
    a, brief = chain.assessment, chain.brief
    assert a is not None and brief is not None
    if args.json:
        print(json.dumps({
            "draft_id": chain.draft_id, "assessment": a.model_dump(mode="json"), "routing": chain.routing.model_dump(mode="json") if chain.routing else None,
            "brief": brief.model_dump(mode="json"), "sources": [s.model_dump(mode="json") for s in chain.context.sources],
        }, indent=2))
        return 0
    if not a.escalate:
        print("# NOT ESCALATING: handle in support\n")
        print(a.decision + "\n")
        for rule in a.handle_in_support:
            print(f"- {rule.says}: {rule.evidence}")
        for kb in chain.context.kb_articles:
            if kb.workaround:
                print(f"- Workaround ({kb.id}, {kb.title}): {kb.workaround}")
        if a.missing:
            print("\nQuestions that could change this:")
            for q in a.missing:
                print(f"- {q.ask}")
        print("\n---\nDraft brief, should the answers change the decision:\n")
    print(brief.markdown)
    if a.missing and a.escalate:
        print("\n<!-- Questions for the reporter: " + " | ".join(q.ask for q in a.missing) + " -->")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .policy import PolicyError
    from .server import build_server
    from .service import Service

    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        service = Service(_settings(args))
    except PolicyError as exc:
        raise CLIError(f"refusing to start: {exc}") from None
    app = build_server(service)
    if args.transport == "stdio":
        app.run()
        return 0
    from .http import serve_http

    return serve_http(app, service, args)


def cmd_import(args: argparse.Namespace) -> int:
    from .store import StoreError, read_workspace_file

    try:
        workspace = read_workspace_file(Path(args.file))
        service = _service(args)
        counts = service.store.import_workspace(workspace, replace=args.replace)
    except StoreError as exc:
        raise CLIError(str(exc)) from None
    where = service.store.workspace_name
    print(f"imported into {where!r}: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items()))
    service.close()
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .models import Workspace

    schema = Workspace.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "customer-escalation workspace"
    text = json.dumps(schema, indent=2) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_policy(args: argparse.Namespace) -> int:
    from .policy import PolicyError, load_policy

    path = Path(args.file) if getattr(args, "file", None) else _settings(args).policy_file
    try:
        policy = load_policy(path)
    except PolicyError as exc:
        raise CLIError(str(exc)) from None
    if args.policy_command == "check":
        print(f"{path}: valid policy")
        return 0
    import tomllib  # noqa: F401  (TOML output below is written by hand: the policy is flat enough)

    print(f"# policy in force: {path or 'built-in default'}")
    print(_to_toml(policy.model_dump(mode="json")))
    return 0


def _to_toml(data: dict, prefix: str = "") -> str:
    scalars, tables = [], []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            scalars.append(f"{key} = {json.dumps(value)}")
    out = []
    if scalars:
        if prefix:
            out.append(f"[{prefix}]")
        out.extend(scalars)
        out.append("")
    for key, value in tables:
        out.append(_to_toml(value, f"{prefix}.{key}" if prefix else key))
    return "\n".join(out)


def cmd_eval(args: argparse.Namespace) -> int:
    from .evals import run_cli

    return run_cli(args)


def cmd_connectors(args: argparse.Namespace) -> int:
    from .connectors.check import run_cli

    return run_cli(args)


CORE_COMMANDS = ("brief", "serve", "import", "schema", "policy", "eval", "connectors")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; given the command about to run, without the other modules' commands it cannot need."""
    parser = argparse.ArgumentParser(prog="customer-escalation", description="Escalation briefs support teams can act on.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--workspace", help="default | sample | empty | path to a .json workspace file or .db store")
        p.add_argument("--policy", help="TOML policy file (default: $CUSTOMER_ESCALATION_POLICY or the built-in policy)")
        p.add_argument("--home", help="data directory (default: $CUSTOMER_ESCALATION_HOME or the user data dir)")

    p = sub.add_parser("brief", help="gather, assess, route and render a brief for an issue")
    p.add_argument("issue", help="the issue, e.g. 'SSO login loop affecting all Enterprise customers'")
    p.add_argument("--account", help="customer name or domain")
    p.add_argument("--fact", action="append", metavar="NAME=VALUE", help="a fact you know, e.g. production_down=yes (repeatable)")
    p.add_argument("--reported-by", help="your name and team")
    p.add_argument("--json", action="store_true", help="print the assessment, routing and brief as JSON")
    common(p)
    p.set_defaults(func=cmd_brief)

    p = sub.add_parser("serve", help="run the MCP server")
    p.add_argument("--transport", choices=["stdio", "http"], default="stdio")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--enable-writes", action="store_true", help="expose the tools that file and update escalations")
    p.add_argument("--verbose", action="store_true")
    common(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("import", help="load a workspace file (JSON, see docs/workspace.schema.json)")
    p.add_argument("file")
    p.add_argument("--replace", action="store_true", help="replace the workspace instead of merging by id")
    common(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("schema", help="print the JSON Schema of the workspace import format")
    p.add_argument("--output", help="write to this file")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("policy", help="show the policy in force, or check a policy file")
    psub = p.add_subparsers(dest="policy_command", required=True)
    ps = psub.add_parser("show")
    common(ps)
    pc = psub.add_parser("check")
    pc.add_argument("file")
    p.set_defaults(func=cmd_policy)

    p = sub.add_parser("eval", help="run eval cases (YAML files or folders)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--json", action="store_true")
    p.add_argument("--export-skill-evals", metavar="FILE", help="also write the cases as Agent Skills evals.json")
    p.add_argument("--mode", choices=("text", "agent", "both"), default="text",
                   help="text: only the facts the human gives (default); agent: also the facts an agent passes after "
                        "reading the words (agent_facts); both: each, reported side by side")
    p.add_argument("--confusion", action="store_true", help="print confusion tables of expected against actual target and severity")
    p.add_argument("--failures-only", action="store_true", help="list only the failing cases")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("connectors", help="list configured connectors and check each with one cheap call")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_connectors)

    if command not in CORE_COMMANDS:  # the escalation-log commands: a core command (serve) need not import them
        from . import lifecycle_cli

        lifecycle_cli.add_commands(sub, common)
    from . import install  # install, uninstall, build-adapters, and serve's HTTP options

    install.add_commands(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(next((a for a in argv if not a.startswith("-")), None))
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CLIError as exc:
        print(f"customer-escalation: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
