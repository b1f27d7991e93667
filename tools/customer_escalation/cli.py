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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import __version__
from .errors import UserError


def _facts(pairs: list[str]):
    from pydantic import ValidationError

    from .models import Facts

    data = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise UserError(f"--fact takes name=value, got {pair!r} (e.g. --fact production_down=yes --fact customers_affected=12)")
        key, value = pair.split("=", 1)
        key = key.strip()
        if key not in Facts.model_fields:
            raise UserError(f"unknown fact {key!r}; known facts: {', '.join(Facts.model_fields)}")
        data[key] = value.strip()
    try:
        return Facts.coerce(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise UserError(f"bad --fact value: {problems}") from None


BRIEF_FORMATS = ("markdown", "slack", "jira", "github")
# render_brief's details as CLI options: (field, option, help); tried and repro_steps take one step per option
DETAIL_OPTIONS = (
    ("summary", "--summary", "one-line summary (the ESCALATION heading)"),
    ("description", "--description", "what is broken or needed, in 3-5 sentences"),
    ("tried", "--tried", "a step already tried and its result, 'step -> result' (repeatable, in order)"),
    ("repro_steps", "--repro-step", "a reproduction step from a stated starting state (repeatable, in order)"),
    ("expected", "--expected", "what should happen"),
    ("actual", "--actual", "what happens instead, with the exact error text"),
    ("environment", "--environment", "browser, OS, account type, plan, feature flags"),
    ("frequency", "--frequency", "always, intermittent, or only under a condition"),
    ("evidence", "--evidence", "exact error text, log lines, screenshot links"),
    ("ruled_out", "--ruled-out", "what was ruled out, e.g. 'same in Chrome and Firefox'"),
    ("last_customer_update", "--last-customer-update", "date and content of the last update sent to the customer"),
    ("customer_expectation", "--customer-expectation", "what the customer expects, by when"),
    ("escalation_risk", "--escalation-risk", "risk that the customer escalates further"),
    ("ask", "--ask", "the specific ask: investigate, fix, decide on X, approve Y"),
    ("deadline", "--deadline", "when the receiving team must act by"),
)


def _brief_input(args: argparse.Namespace):
    """render_brief's details from --details FILE (YAML or JSON), then the options, which win."""
    from pydantic import ValidationError

    from .brief import BriefInput, steps

    data: dict = {}
    if args.details:
        import yaml

        try:
            loaded = yaml.safe_load(Path(args.details).read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise UserError(f"cannot read --details {args.details}: {getattr(exc, 'strerror', None) or type(exc).__name__}; "
                           "it is a YAML or JSON mapping of brief fields") from None
        if not isinstance(loaded, dict):
            raise UserError(f"--details {args.details} must hold a mapping of brief fields, e.g. 'expected: ...'")
        unknown = sorted(set(map(str, loaded)) - set(BriefInput.model_fields))
        if unknown:
            raise UserError(f"unknown field(s) in --details: {', '.join(unknown)}; known: {', '.join(BriefInput.model_fields)}")
        data = {k: (steps(v) if k in ("tried", "repro_steps") and isinstance(v, str) else v) for k, v in loaded.items()}
    for field, _option, _help in DETAIL_OPTIONS:
        value = getattr(args, field, None)
        if value:
            data[field] = value
    if args.reported_by:
        data["reported_by"] = args.reported_by
    try:
        return BriefInput.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise UserError(f"bad brief details: {problems}") from None


def _progress_line():
    """A progress line on stderr while sources answer, on a terminal only (never in pipes, logs or CI output)."""
    if not sys.stderr.isatty():
        return None

    async def show(done: int, total: int, message: str) -> None:
        sys.stderr.write(f"\r\033[Kgathering context {done}/{total}: {message}")
        if done >= total:
            sys.stderr.write("\r\033[K")
        sys.stderr.flush()

    return show


def cmd_brief(args: argparse.Namespace) -> int:
    from .options import service_from_args

    inp = _brief_input(args)
    service = service_from_args(args)
    try:
        hint = service.empty_workspace_hint()
        if hint:
            print(f"customer-escalation: {hint}", file=sys.stderr)
        chain = asyncio.run(service.run(args.issue, args.account or "", _facts(args.fact), inp, progress=_progress_line()))
        if args.redact:
            chain = asyncio.run(service.render_brief(draft_id=chain.draft_id, brief_input=inp, redact=True))
        a, brief = chain.assessment, chain.brief
        assert a is not None and brief is not None
        if args.json:
            print(json.dumps({
                "draft_id": chain.draft_id, "assessment": a.model_dump(mode="json"),
                "routing": chain.routing.model_dump(mode="json") if chain.routing else None,
                "brief": brief.model_dump(mode="json"), "sources": [s.model_dump(mode="json") for s in chain.context.sources],
            }, indent=2))
            return 0
        if not a.escalate:
            print(_handle_in_support(chain))
            if args.format != "markdown":
                print(f"Nothing to escalate, so no {args.format} brief; the Markdown draft follows.\n")
            print(brief.markdown + _questions(a, "markdown"))
            return 0
        print(_formatted(service, chain, args.format) + _questions(a, args.format))
    finally:
        service.close()
    return 0


def _handle_in_support(chain) -> str:
    a = chain.assessment
    lines = ["# NOT ESCALATING: handle in support", "", a.decision, ""]
    lines += [f"- {rule.says}: {rule.evidence}" for rule in a.handle_in_support]
    lines += [f"- Workaround ({kb.id}, {kb.title}): {kb.workaround}" for kb in chain.context.kb_articles if kb.workaround and kb.applies]
    return "\n".join(lines) + "\n\n---\nDraft brief, should the answers change the decision:\n"


def _formatted(service, chain, fmt: str) -> str:
    """The brief as the filing tools send it: Markdown as rendered, the tracker issue (title, then body) for Jira and
    GitHub, the team-channel message (mrkdwn) for Slack."""
    if fmt == "markdown":
        return chain.brief.markdown
    from .escalations import Escalations

    return Escalations(service, "cli").formatted_brief(chain.draft_id, fmt)


def _questions(a, fmt: str) -> str:
    """The questions for the reporter, as a visible section in the brief's format."""
    if not a.missing:
        return ""
    heading = {"slack": "*Questions for the reporter*", "markdown": "## Questions for the reporter"}.get(fmt, "## Questions for the reporter")
    return "\n\n" + heading + "\n\n" + "\n".join(f"- {q.ask}" for q in a.missing) + "\n"


def cmd_serve(args: argparse.Namespace) -> int:
    from .options import service_from_args
    from .server import build_server

    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    service = service_from_args(args, refusing="refusing to start: ")
    if args.transport == "http" or service.settings.store:  # opened before serving: a bad store refuses to start
        try:
            service.store.is_empty()  # opens it (and reads it once)
        except UserError as exc:
            raise UserError(f"refusing to start: {exc}") from None
    app = build_server(service)
    if args.transport == "stdio":
        if sys.stdin.isatty():  # run by hand: stdin is the MCP wire, so say what it is waiting for (on stderr)
            print(f"customer-escalation {__version__}: MCP server on stdio, waiting for an MCP client (Ctrl-C to stop). "
                  "Register it in a client instead: see `customer-escalation install --help`.", file=sys.stderr, flush=True)
        app.run()
        return 0
    from .http import serve_http

    return serve_http(app, service, args)


def cmd_import(args: argparse.Namespace) -> int:
    from .options import service_from_args
    from .store import read_workspace_file

    workspace = read_workspace_file(Path(args.file))
    service = service_from_args(args)
    counts = service.store.import_workspace(workspace, replace=args.replace)
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
    from .options import settings_from_args
    from .policy import PolicyError, load_policy

    path = Path(args.file) if getattr(args, "file", None) else settings_from_args(args).policy_file
    try:
        policy = load_policy(path)
    except PolicyError as exc:
        raise UserError(str(exc)) from None
    if args.policy_command == "check":
        print(f"{path}: valid policy")
        return 0
    print(f"# policy in force: {path or 'built-in default'}")
    print(policy_toml(policy))
    return 0


def policy_toml(policy) -> str:
    """The policy as a TOML file that `policy check` and `--policy` load back to the same policy. TOML has no null:
    unset values are left out, which loads them as unset."""
    import tomli_w

    def present(value):
        if isinstance(value, dict):
            return {k: present(v) for k, v in value.items() if v is not None}
        if isinstance(value, list):
            return [present(v) for v in value if v is not None]
        return value

    return tomli_w.dumps(present(policy.model_dump(mode="json")))


def cmd_eval(args: argparse.Namespace) -> int:
    from .evals import run_cli

    return run_cli(args)


def cmd_connectors(args: argparse.Namespace) -> int:
    from .connectors.check import run_cli

    return run_cli(args)


CORE_COMMANDS = ("brief", "serve", "import", "schema", "policy", "eval", "connectors")


def common_options(p: argparse.ArgumentParser) -> None:
    """The options every command that opens a workspace takes."""
    p.add_argument("--workspace", help="default | sample | empty | path to a .json workspace file or .db store")
    p.add_argument("--policy", help="TOML policy file (default: $CUSTOMER_ESCALATION_POLICY or the built-in policy)")
    p.add_argument("--home", help="data directory (default: $CUSTOMER_ESCALATION_HOME or the user data dir)")
    p.add_argument("--store", metavar="URL", help="where drafts, the escalation log and the imported workspace live: 'sqlite' "
                   "(the default, files in the data directory) or postgresql://USER:PASSWORD@HOST/DB, a store several hosts "
                   "share (or $CUSTOMER_ESCALATION_STORE)")
    env_file_option(p)


def add_brief_command(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """`brief`: the whole chain for one issue, printed in the chosen format."""
    p = sub.add_parser("brief", help="gather, assess, route and render a brief for an issue")
    p.add_argument("issue", help="the issue, e.g. 'SSO login loop affecting all Enterprise customers'")
    p.add_argument("--account", help="customer name or domain")
    p.add_argument("--fact", action="append", metavar="NAME=VALUE", help="a fact you know, e.g. production_down=yes (repeatable)")
    p.add_argument("--reported-by", help="your name and team")
    p.add_argument("--format", choices=BRIEF_FORMATS, default="markdown",
                   help="markdown (default); slack: the team-channel message; jira, github: the tracker issue, title then body")
    p.add_argument("--details", metavar="FILE", help="YAML or JSON file of brief fields (description, tried, repro_steps, "
                                                     "expected, actual, environment, ...); options below override it")
    for field, option, text in DETAIL_OPTIONS:
        repeat = field in ("tried", "repro_steps")
        p.add_argument(option, dest=field, action="append" if repeat else "store", help=text)
    p.add_argument("--redact", action="store_true", help="mask personal data and secrets, for briefs posted to broad channels")
    p.add_argument("--json", action="store_true", help="print the assessment, routing and brief as JSON")
    common(p)
    p.set_defaults(func=cmd_brief)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; given the command about to run, without the other modules' commands it cannot need."""
    parser = argparse.ArgumentParser(prog="customer-escalation", description="Escalation briefs support teams can act on.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    common = common_options
    add_brief_command(sub, common)

    p = sub.add_parser("serve", help="run the MCP server")
    p.add_argument("--transport", choices=["stdio", "http"], default="stdio",
                   help="stdio (default): one client starts the server; http: one server for a whole team")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on with --transport http (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port to listen on with --transport http (default 8765)")
    p.add_argument("--enable-writes", action="store_true", help="expose the tools that file and update escalations")
    p.add_argument("--verbose", action="store_true", help="log requests and progress to stderr")
    common(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("import", help="load a workspace file (JSON, see docs/workspace.schema.json)")
    p.add_argument("file", help="workspace file (JSON), e.g. an export of accounts and tickets")
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
    pc.add_argument("file", help="the TOML policy file to validate")
    p.set_defaults(func=cmd_policy)

    p = sub.add_parser("eval", help="run eval cases (YAML files or folders)")
    p.add_argument("paths", nargs="+", help="eval case files (.yaml) or folders of them, e.g. evals/cases")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--export-skill-evals", metavar="FILE", help="also write the cases as Agent Skills evals.json")
    p.add_argument("--mode", choices=("text", "agent", "both"), default="text",
                   help="text: only the facts the human gives (default); agent: also the facts an agent passes after "
                        "reading the words (agent_facts); both: each, reported side by side")
    p.add_argument("--confusion", action="store_true", help="print confusion tables of expected against actual target and severity")
    p.add_argument("--failures-only", action="store_true", help="list only the failing cases")
    p.add_argument("--policy", metavar="FILE.toml", help="evaluate under this policy file instead of the default (to calibrate thresholds)")
    p.add_argument("--relevance", action="store_true",
                   help="also measure the related records found (same-problem tickets, KB workarounds, tracker items) "
                        "against the cases' context_truth: precision and recall")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("connectors", help="list configured connectors and check each with one cheap call")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    env_file_option(p)
    p.set_defaults(func=cmd_connectors)

    if command not in CORE_COMMANDS:  # the escalation-log commands: a core command (serve) need not import them
        from . import lifecycle_cli

        lifecycle_cli.add_commands(sub, common)
    from . import install  # install, uninstall, build-adapters, and serve's HTTP options

    install.add_commands(sub, common)
    return parser


def env_file_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--env-file", metavar="FILE", help="read NAME=VALUE lines (connector settings, CUSTOMER_ESCALATION_*) "
                                                      "into the environment first; variables already set win")


def load_env_file(path: str, environ=None) -> None:
    """NAME=VALUE lines, `export` and quotes allowed, # comments. A bad line is named by number, never shown: it may hold
    a secret."""
    import os
    import re
    import shlex

    environ = os.environ if environ is None else environ
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read --env-file {path}: {getattr(exc, 'strerror', None) or 'not UTF-8 text'}") from None
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(r"(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)", line)
        try:
            value = " ".join(shlex.split(match.group(2), comments=True)) if match else None
        except ValueError:
            value = None
        if match is None or value is None:
            raise UserError(f"--env-file {path}, line {number}: expected NAME=VALUE (the line is not shown: it may hold a secret)")
        environ.setdefault(match.group(1), value)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(next((a for a in argv if not a.startswith("-")), None))
    args = parser.parse_args(argv)
    try:
        if getattr(args, "env_file", None):
            load_env_file(args.env_file)
        return args.func(args)
    except UserError as exc:
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
