"""CLI commands after the brief: `escalations`, `escalation ...`, `follow-ups`. Thin over the application layer
(`escalations.py`), which applies the write rules: changes to the local escalation log (updates, severity,
de-escalation, resolution, attaching a customer, filing with `--only log`) need no setting, because they never leave
the machine. Anything sent to a tracker or chat needs writes enabled (`--enable-writes` or
CUSTOMER_ESCALATION_ENABLE_WRITES=1) and `--confirm`; without `--confirm` the command prints what it would send and
writes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import getpass
import json
import sys
from collections.abc import Callable
from typing import Any

from .escalations import Escalations
from .options import service_from_args


def _by(args: argparse.Namespace) -> str:
    if args.by:
        return args.by
    try:
        return getpass.getuser()
    except Exception:
        return ""


def _run(args: argparse.Namespace, job: Callable[[Escalations], Any]) -> Any:
    """Run `job(escalations)` (sync or async) over the service; refusals are user errors (cli.main prints them)."""
    service = service_from_args(args)
    try:
        result = job(Escalations(service, "cli"))
        if asyncio.iscoroutine(result):
            result = asyncio.run(result)
        return result
    finally:
        service.close()


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))


def _warn_damaged(app: Escalations) -> None:
    if app.damaged:
        print(f"customer-escalation: left out, damaged in {app.state_path}: {', '.join(app.damaged)}; "
              "restore it from a backup to recover them", file=sys.stderr)


def _line(e: Any, app: Escalations) -> str:
    due = app.clocks(e)
    when = f"  next: internal {due[0]:%Y-%m-%d %H:%M}, customer {due[1]:%Y-%m-%d %H:%M} UTC" if due else ""
    customers = ", ".join(c.name for c in e.customers) or "no account"
    return f"{e.id}  {e.status:<12} {e.severity.value:<8} {e.team:<20} {e.title}  [{customers}]{when}"


def _outcome(o: Any, as_json: bool) -> int:
    if as_json:
        _print_json(o.model_dump(mode="json", exclude={"escalation": {"brief_markdown", "history"}}))
        return 0
    print(o.message)
    for d in o.deliveries:
        print(f"\n--- {d.kind} {d.where} [{d.state}]" + (f" {d.item_id}" if d.item_id else "")
              + (f" ({d.note})" if d.note else ""))
        if d.state in ("planned", "unavailable"):
            if d.title:
                print(f"Title: {d.title}")
            print(d.body)
    for m in o.duplicates:
        print(f"\nPossible duplicate: {m.id} ({m.status}, score {m.score:.2f}) {m.title}: {m.why}")
    if o.checklist:
        print("\nChecklist:")
        for step in o.checklist:
            print(f"[{'x' if step.done else ' '}] {step.step} ({step.where})\n    {step.draft.replace(chr(10), chr(10) + '    ')}")
    return 0


# --- commands ---------------------------------------------------------------------------------------------


def cmd_escalations(args: argparse.Namespace) -> int:
    def job(app: Escalations) -> tuple[Escalations, list[Any]]:
        return app, app.list(account=args.account or "", status=args.status or "", severity=args.severity or "", limit=args.limit)

    app, items = _run(args, job)
    _warn_damaged(app)
    if args.json:
        _print_json([e.model_dump(mode="json", exclude={"brief_markdown", "history"}) for e in items])
    elif not items:
        print("no escalations match")
    for e in items if not args.json else []:
        print(_line(e, app))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    app, (e, deliveries) = _run(args, lambda app: (app, app.show(args.id)))
    _warn_damaged(app)
    if args.json:
        _print_json({**e.model_dump(mode="json"), "deliveries": [d.model_dump(mode="json") for d in deliveries]})
        return 0
    print(_line(e, app))
    if e.outcome:
        print(f"outcome: {e.outcome}")
    if e.learning:
        print(f"learning: {e.learning}")
    for link in e.links:
        print(f"link: {link.kind} {link.system} {link.id}" + (f" {link.url}" if link.url else ""))
    print("\nHistory:")
    for ev in e.history:
        print(f"  {ev.at:%Y-%m-%d %H:%M} UTC  {ev.by:<14} {ev.kind:<17} {ev.summary}")
    print("\n" + e.brief_markdown)
    return 0


def cmd_follow_ups(args: argparse.Namespace) -> int:
    app, items = _run(args, lambda app: (app, app.follow_ups(args.within)))
    _warn_damaged(app)
    if args.json:
        _print_json([f.model_dump(mode="json") for f in items])
        return 0
    if not items:
        print(f"nothing overdue or due within {args.within:g} hours")
    for f in items:
        when = f"OVERDUE by {_minutes(-f.minutes)}" if f.state == "overdue" else f"due in {_minutes(f.minutes)}"
        print(f"{f.escalation_id}  {f.severity.value:<8} {f.clock:<8} {when:<22} {f.title}\n    {f.action}")
    return 0


def _minutes(m: int) -> str:
    return f"{m // 60}h{m % 60:02d}m" if m >= 60 else f"{m}m"


def cmd_file(args: argparse.Namespace) -> int:
    o = _run(args, lambda app: app.file(args.draft_id, by=_by(args), only=args.only, project=args.project or "",
                                               priority=args.priority or "", confirmed=args.confirm))
    if not o.applied:
        print("(preview: add --confirm to file it" + ("" if args.enable_writes else "; sending needs --enable-writes") + ")\n")
    return _outcome(o, args.json)


def cmd_update(args: argparse.Namespace) -> int:
    return _outcome(_run(args, lambda app: app.record_update(args.id, args.kind, args.note or "", _by(args))), args.json)


def cmd_severity(args: argparse.Namespace) -> int:
    from .models import Severity

    return _outcome(_run(args, lambda app: app.change_severity(args.id, Severity(args.level), args.reason, by=_by(args),
                                                                      notify=args.notify, confirmed=args.confirm)), args.json)


def cmd_de_escalate(args: argparse.Namespace) -> int:
    return _outcome(_run(args, lambda app: app.de_escalate(
        args.id, args.reason, args.note or "", by=_by(args), workaround=args.workaround or "", learning=args.learning or "",
        notify=args.notify, confirmed=args.confirm)), args.json)


def cmd_resolve(args: argparse.Namespace) -> int:
    return _outcome(_run(args, lambda app: app.resolve(args.id, args.resolution, by=_by(args), learning=args.learning or "",
                                                              notify=args.notify, confirmed=args.confirm)), args.json)


def cmd_attach(args: argparse.Namespace) -> int:
    return _outcome(_run(args, lambda app: app.attach(args.id, args.draft_id, by=_by(args), notify=args.notify,
                                                             confirmed=args.confirm)), args.json)


def cmd_customer_update(args: argparse.Namespace) -> int:
    _e, subject, body = _run(args, lambda app: app.draft_customer_update(args.id, args.progress or "", args.account or ""))
    print(f"Subject: {subject}\n\n{body}")
    return 0


def cmd_duplicates(args: argparse.Namespace) -> int:
    matches = _run(args, lambda app: app.duplicates(args.draft_id))
    if args.json:
        _print_json([m.model_dump(mode="json") for m in matches])
    elif not matches:
        print("no open escalation or tracker issue about the same problem")
    for m in matches if not args.json else []:
        print(f"{m.kind:<10} {m.id:<10} {m.status:<12} {m.score:.2f}  {m.title}  ({m.why})")
    return 0


def _base(p: argparse.ArgumentParser, common: Callable[[argparse.ArgumentParser], None], *, writes: bool = False) -> None:
    common(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    if writes:
        p.add_argument("--by", help="who is doing this (default: your user name)")


def _remote(p: argparse.ArgumentParser, notify: bool = True) -> None:
    if notify:
        p.add_argument("--notify", action="store_true", help="also post a notice to the receiving team's chat channel")
    p.add_argument("--confirm", action="store_true", help="send it (without: print what would be sent)")
    p.add_argument("--enable-writes", action="store_true", help="allow sending to trackers and chat")


def add_commands(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """`escalations`, `follow-ups` and `escalation show|file|update|severity|de-escalate|resolve|attach|...`."""
    base = functools.partial(_base, common=common)
    p = sub.add_parser("escalations", help="list escalations in the log")
    p.add_argument("--account", help="account id, name or domain")
    p.add_argument("--status", choices=["open", "de_escalated", "resolved"], help="only escalations in this state")
    p.add_argument("--severity", choices=["critical", "high", "medium"], help="only escalations of this severity")
    p.add_argument("--limit", type=int, default=50, help="at most this many, newest first (default 50)")
    base(p)
    p.set_defaults(func=cmd_escalations)

    p = sub.add_parser("follow-ups", help="follow-ups overdue and due soon, most urgent first")
    p.add_argument("--within", type=float, default=4, help="also list what is due within this many hours (default 4)")
    base(p)
    p.set_defaults(func=cmd_follow_ups)

    esc = sub.add_parser("escalation", help="show, file, update, de-escalate or resolve an escalation")
    esub = esc.add_subparsers(dest="escalation_command", required=True)
    _add_reading(esub, common)
    _add_changes(esub, common)


def _add_reading(esub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    base = functools.partial(_base, common=common)
    p = esub.add_parser("show", help="an escalation with its history")
    p.add_argument("id", help="escalation id, e.g. CE-0001")
    base(p)
    p.set_defaults(func=cmd_show)

    p = esub.add_parser("customer-update", help="draft the customer-facing status update")
    p.add_argument("id", help="escalation id, e.g. CE-0001")
    p.add_argument("--progress", help="what changed, in words the customer may read")
    p.add_argument("--account", help="which customer (default: the first)")
    common(p)
    p.set_defaults(func=cmd_customer_update)

    p = esub.add_parser("duplicates", help="open escalations and tracker issues about the same problem as a draft")
    p.add_argument("draft_id", help="draft id from `brief --json` or render_brief")
    base(p)
    p.set_defaults(func=cmd_duplicates)


def _add_changes(esub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    base, remote = functools.partial(_base, common=common), _remote
    p = esub.add_parser("file", help="file a rendered brief (draft id from `brief --json` or the MCP tools)")
    p.add_argument("draft_id", help="draft id from `brief --json` or render_brief")
    p.add_argument("--only", choices=["all", "tracker", "chat", "log"], default="all", help="where to send it (log: record locally only)")
    p.add_argument("--project", help="override the tracker project/team")
    p.add_argument("--priority", help="override the tracker priority")
    base(p, writes=True)
    remote(p, notify=False)
    p.set_defaults(func=cmd_file)

    p = esub.add_parser("update", help="record a follow-up: internal check-in, customer update, note, or re-opened")
    p.add_argument("id", help="escalation id, e.g. CE-0001")
    p.add_argument("--kind", choices=["internal", "customer", "note", "reopened"], required=True,
                   help="internal: checked with the receiving team; customer: updated the customer; reopened: it came back")
    p.add_argument("--note", help="what was learned or said")
    base(p, writes=True)
    p.set_defaults(func=cmd_update)

    p = esub.add_parser("severity", help="raise or lower severity (re-plans both clocks)")
    p.add_argument("id", help="escalation id, e.g. CE-0001")
    p.add_argument("level", choices=["critical", "high", "medium"], help="the new severity")
    p.add_argument("--reason", required=True, help="what changed")
    base(p, writes=True)
    remote(p)
    p.set_defaults(func=cmd_severity)

    p = esub.add_parser("de-escalate", help="de-escalate with its reason; prints the checklist with drafts")
    p.add_argument("id", help="escalation id, e.g. CE-0001")
    p.add_argument("--reason", required=True, choices=["support_resolvable", "workaround", "went_away", "lower_severity"],
                   help="why it no longer needs the receiving team")
    p.add_argument("--note", help="root cause / what support does / the new information")
    p.add_argument("--workaround", help="for --reason workaround: the steps, customer-readable")
    p.add_argument("--learning", help="what was learned, for the record")
    base(p, writes=True)
    remote(p)
    p.set_defaults(func=cmd_de_escalate)

    p = esub.add_parser("resolve", help="close the loop; prints the checklist with drafts")
    p.add_argument("id", help="escalation id, e.g. CE-0001")
    p.add_argument("--resolution", required=True, help="what fixed it, customer-readable")
    p.add_argument("--learning", help="what was learned, for the record")
    base(p, writes=True)
    remote(p)
    p.set_defaults(func=cmd_resolve)

    p = esub.add_parser("attach", help="add a new report's customer to an existing escalation")
    p.add_argument("id", help="escalation id, e.g. CE-0001")
    p.add_argument("draft_id", help="draft id from `brief --json` or render_brief")
    base(p, writes=True)
    remote(p)
    p.set_defaults(func=cmd_attach)
