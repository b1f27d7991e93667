"""Shared setup for the lifecycle tests: a loopback tracker, the Slack fake, a policy routing to them.

`FakeTracker` is a small issue-tracker API served on 127.0.0.1 (create with required fields, find by
marker), and `TrackerClient` speaks it through the project's HttpSource, so filing runs over real
HTTP with real failures (a dropped connection after the issue was created, a 400 listing the
allowed values). It stands in for whichever of the Jira, Linear and GitHub connectors is absent.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from customer_escalation.connectors.base import ConnectorError, CreatedItem, HttpSettings, HttpSource, Page
from customer_escalation.connectors.slack import SlackConnector
from customer_escalation.models import Target
from customer_escalation.policy import Policy
from customer_escalation.policy.model import Team
from customer_escalation.service import Service
from customer_escalation.settings import Settings
from tests.fakes.harness import FakeService, Reply, Request
from tests.fakes.slack import BOT_TOKEN, FakeSlack
from tests.helpers import SMALL

FAST = HttpSettings(timeout=2.0, max_retries=0, backoff_base=0.0)


class FakeTracker(FakeService):
    """POST /issues {project, title, body, marker, labels, priority}; GET /issues?marker=M. Records every issue."""

    def __init__(self, name: str = "jira", projects: tuple[str, ...] = ("ENG", "SEC", "PROD"),
                 priorities: tuple[str, ...] = ("critical", "high", "medium")):
        super().__init__(name)
        self.projects, self.priorities = projects, priorities
        self.route("POST", "/issues")(self._create)
        self.route("GET", "/issues")(self._find)
        self.reset()

    def reset(self) -> FakeTracker:
        """No issues, no recorded requests, no queued faults."""
        with self._lock:
            self.requests.clear()
            self.faults.clear()
            self.issues: list[dict[str, Any]] = []
            self.drop_after_create = 0  # answer this many creates by dropping the connection, after creating the issue
            self._ids = itertools.count(1)
        return self

    def _create(self, request: Request) -> Reply:
        body = request.json()
        errors = {}
        if body.get("project") not in self.projects:
            errors["project"] = list(self.projects)
        if body.get("priority") not in self.priorities:
            errors["priority"] = list(self.priorities)
        if errors:
            return Reply(400, {"errorMessages": ["required fields are missing or invalid"], "allowed": errors})
        key = f"{body['project']}-{next(self._ids)}"
        issue = {"key": key, "url": f"{self.url}/browse/{key}", **body}
        with self._lock:
            self.issues.append(issue)
            drop = self.drop_after_create > 0
            self.drop_after_create -= int(drop)
        return Reply(drop=True) if drop else Reply(201, {"key": key, "url": issue["url"]})

    def _find(self, request: Request) -> Reply:
        marker = request.arg("marker")
        return Reply(200, {"issues": [{"key": i["key"], "url": i["url"]} for i in self.issues if i["marker"] == marker]})


class TrackerClient:
    """An IssueWriter (and an empty Tracker search) over FakeTracker's API."""

    category = "tracker"

    def __init__(self, name: str, base_url: str):
        self.name = name
        self.http = HttpSource(name, base_url, settings=FAST)

    async def check(self) -> None:
        pass

    async def search_items(self, query: Any) -> Page:
        return Page([])

    async def find_by_marker(self, marker: str) -> CreatedItem | None:
        found = (await self.http.get_json("issues", params={"marker": marker}))["issues"]
        return CreatedItem(id=found[0]["key"], url=found[0]["url"], system=self.name) if found else None

    async def create_issue(self, *, title: str, body_markdown: str, marker: str, project: str | None, labels: list[str],
                           priority: str | None) -> CreatedItem:
        response = await self.http.request("POST", "issues", json={"project": project, "title": title, "body": body_markdown,
                                                                   "marker": marker, "labels": labels, "priority": priority},
                                           ok_statuses=(400,))
        data = self.http.decode(response)
        if response.status_code == 400:
            raise ConnectorError(self.name, "invalid_request", "required fields are missing or invalid (HTTP 400)",
                                 status_code=400, valid_values=data.get("allowed") or {})
        return CreatedItem(id=data["key"], url=data["url"], system=self.name)

    async def aclose(self) -> None:
        await self.http.aclose()


def reset_slack(slack: FakeSlack) -> FakeSlack:
    """The seeded Slack workspace plus a #security-incidents channel the bot is in."""
    slack.reset()
    slack.channels["C0SECURITY"] = {"name": "security-incidents", "is_private": False, "bot_member": True}
    slack.messages["C0SECURITY"] = []
    return slack


def routing_policy(**teams: Team) -> Policy:
    """The default policy with engineering and security routed to the fakes (tracker on jira, chat on the Slack fake)."""
    defaults = {
        Target.engineering: Team(name="Engineering", tracker="jira:ENG", chat_channel="#support-escalations"),
        Target.security: Team(name="Security", tracker="jira:SEC", chat_channel="#security-incidents"),
        Target.product: Team(name="Product Management", tracker="jira:PROD", chat_channel="#support-escalations"),
    }
    defaults.update({Target(k): v for k, v in teams.items()})
    return Policy(teams={**Policy().teams, **defaults})


def service(home: Path, *, writes: bool, tracker: FakeTracker | None = None, slack: FakeSlack | None = None,
            policy: Policy | None = None, workspace: str = SMALL) -> Service:
    """A service on the small workspace whose connectors are clients of the running fakes."""

    def connectors() -> list[Any]:
        out: list[Any] = []
        if tracker is not None:
            out.append(TrackerClient(tracker.name, tracker.url))
        if slack is not None:
            out.append(SlackConnector(slack.url + "/api", bot_token=BOT_TOKEN, search_channels=("C0ESCAL",), settings=FAST))
        return out

    return Service(Settings(workspace=workspace, home=home, enable_writes=writes), policy=policy or routing_policy(),
                   connectors=connectors)


def slack_posts(slack: FakeSlack) -> list[tuple[str, dict[str, Any]]]:
    return [(channel, m) for channel, m in slack.all_messages() if m.get("bot_id")]
