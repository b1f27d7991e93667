"""The fan-out bench's remote systems, in their own process (as real systems are: their work must not take
the measured process's CPU or GIL). Starts the loopback fakes from tests/fakes/ and takes commands on stdin.

Protocol, one JSON object per line: the first line out is {"sources": [{"system", "real", "env", "url"}]}; then
each command in gets one answer line out:
    {"op": "latency", "system": S, "seconds": X}   per-request latency of one fake
    {"op": "hang", "system": S}                    every request to S hangs until "clear"
    {"op": "clear", "system": S}                   faults cleared
    {"op": "requests", "system": S}                -> {"requests": N} received so far
    {"op": "stop"}                                 stop every fake and exit
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fakes.harness import FakeService, Reply  # noqa: E402

# system -> (fake module, fake class, environment that configures the product connector against it)
REAL = {
    "zendesk": ("zendesk", "FakeZendesk", lambda f, m: {"ZENDESK_BASE_URL": f.url, "ZENDESK_EMAIL": m.EMAIL, "ZENDESK_API_TOKEN": m.TOKEN}),
    "intercom": ("intercom", "FakeIntercom", lambda f, m: {"INTERCOM_BASE_URL": f.url, "INTERCOM_ACCESS_TOKEN": m.TOKEN}),
    "hubspot": ("hubspot", "FakeHubSpot", lambda f, m: {"HUBSPOT_BASE_URL": f.url, "HUBSPOT_ACCESS_TOKEN": m.TOKEN}),
    "salesforce": ("salesforce", "FakeSalesforce", lambda f, m: {"SALESFORCE_INSTANCE_URL": f.url, "SALESFORCE_ACCESS_TOKEN": m.TOKEN}),
    "slack": ("slack", "FakeSlack", lambda f, m: {"SLACK_BASE_URL": f.url + "/api", "SLACK_BOT_TOKEN": m.BOT_TOKEN,
                                                  "SLACK_USER_TOKEN": m.USER_TOKEN}),
    "jira": ("jira", "FakeJira", lambda f, m: {"JIRA_BASE_URL": f.url, "JIRA_EMAIL": m.EMAIL, "JIRA_API_TOKEN": m.API_TOKEN,
                                               "JIRA_PROJECT": "ENG"}),
    "confluence": ("confluence", "FakeConfluence", lambda f, m: {"CONFLUENCE_BASE_URL": f.base, "CONFLUENCE_EMAIL": m.EMAIL,
                                                                 "CONFLUENCE_API_TOKEN": m.API_TOKEN}),
    "notion": ("notion", "FakeNotion", lambda f, m: {"NOTION_BASE_URL": f.url + "/v1", "NOTION_TOKEN": m.TOKEN}),
    "linear": ("linear", "FakeLinear", lambda f, m: {"LINEAR_BASE_URL": f.url, "LINEAR_API_KEY": m.API_KEY}),
    "github": ("github", "FakeGitHub", lambda f, m: {"GITHUB_API_URL": f.url, "GITHUB_TOKEN": m.TOKEN, "GITHUB_REPOSITORY": m.REPO}),
}
# stand-ins for categories without a product connector in this checkout: one search endpoint
LOOPBACK = [("tracker", "tracker"), ("wiki", "knowledge_base"), ("chat", "chat")]


def _loopback(name: str) -> FakeService:
    fake = FakeService(name)

    @fake.route("GET", r"/search")
    def search(request: Any) -> Reply:
        return Reply(200, {"items": [{"id": n, "title": f"CSV export missing rows ({name} {n})"} for n in range(1, 4)]})

    return fake.start()


def start(count: int) -> tuple[dict[str, FakeService], list[dict[str, Any]]]:
    fakes: dict[str, FakeService] = {}
    described: list[dict[str, Any]] = []
    for system, (module_name, cls, env) in REAL.items():
        if len(fakes) == count:
            break
        try:
            importlib.import_module(f"customer_escalation.connectors.{system}")
            module = importlib.import_module(f"tests.fakes.{module_name}")
        except ImportError:  # not in this checkout (yet)
            continue
        fake = getattr(module, cls)().start()
        fakes[system] = fake
        described.append({"system": system, "real": True, "env": env(fake, module), "url": fake.url})
    for system, category in LOOPBACK:
        if len(fakes) == count:
            break
        fake = _loopback(system)
        fakes[system] = fake
        described.append({"system": system, "real": False, "category": category, "env": {}, "url": fake.url})
    return fakes, described


def main() -> None:
    fakes, described = start(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
    print(json.dumps({"sources": described}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        op, fake = cmd["op"], fakes.get(cmd.get("system", ""))
        answer: dict[str, Any] = {"ok": True}
        if op == "latency" and fake:
            fake.latency = float(cmd["seconds"])
        elif op == "hang" and fake:
            fake.fail_next(Reply(hang=True), times=100_000)
        elif op == "clear" and fake:
            with fake._lock:
                fake.faults.clear()
        elif op == "requests" and fake:
            answer["requests"] = len(fake.requests)
        elif op == "stop":
            break
        else:
            answer = {"ok": False, "error": f"bad command {cmd}"}
        print(json.dumps(answer), flush=True)
    for fake in fakes.values():
        fake.stop()
    print(json.dumps({"ok": True}), flush=True)


if __name__ == "__main__":
    main()
