"""Shared setup for the lifecycle tests: the tracker and Slack connectors on their loopback fakes, and a policy routing to them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from customer_escalation.connectors.base import HttpSettings
from customer_escalation.connectors.github import GitHubConnector
from customer_escalation.connectors.jira import JiraConnector
from customer_escalation.connectors.linear import LinearConnector
from customer_escalation.connectors.slack import SlackConnector
from customer_escalation.models import Target
from customer_escalation.policy import Policy
from customer_escalation.policy.model import Team
from customer_escalation.service import Service
from customer_escalation.settings import Settings
from tests.fakes import github as github_fake
from tests.fakes import linear as linear_fake
from tests.fakes.github import FakeGitHub
from tests.fakes.jira import API_TOKEN, EMAIL, FakeJira
from tests.fakes.linear import FakeLinear
from tests.fakes.slack import BOT_TOKEN, FakeSlack
from tests.helpers import SMALL

FAST = HttpSettings(timeout=2.0, max_retries=0, backoff_base=0.0)


def reset_slack(slack: FakeSlack) -> FakeSlack:
    """The seeded Slack workspace plus a #security-incidents channel the bot is in."""
    slack.reset()
    slack.channels["C0SECURITY"] = {"name": "security-incidents", "is_private": False, "bot_member": True}
    slack.messages["C0SECURITY"] = []
    return slack


def routing_policy(**teams: Team) -> Policy:
    """The default policy with engineering and security routed to the fakes: projects of the Jira fake (its PROD
    project stands for the security team's), channels of the Slack fake."""
    defaults = {
        Target.engineering: Team(name="Engineering", tracker="jira:ENG", chat_channel="#support-escalations"),
        Target.security: Team(name="Security", tracker="jira:PROD", chat_channel="#security-incidents"),
    }
    defaults.update({Target(k): v for k, v in teams.items()})
    return Policy(teams={**Policy().teams, **defaults})


def tracker_connector(fake: FakeJira | FakeLinear | FakeGitHub) -> Any:
    """The project's connector for a tracker fake."""
    if isinstance(fake, FakeJira):
        return JiraConnector(fake.url, api_token=API_TOKEN, email=EMAIL, settings=FAST)
    if isinstance(fake, FakeLinear):
        return LinearConnector(fake.url, api_key=linear_fake.API_KEY, settings=FAST)
    return GitHubConnector(fake.api, token=github_fake.TOKEN, repository=github_fake.REPO, settings=FAST)


def service(home: Path, *, writes: bool, jira: FakeJira | FakeLinear | FakeGitHub | None = None, slack: FakeSlack | None = None,
            policy: Policy | None = None, workspace: str = SMALL) -> Service:
    """A service on the small workspace whose connectors are clients of the running fakes (`jira`: any tracker fake)."""

    def connectors() -> list[Any]:
        out: list[Any] = []
        if jira is not None:
            out.append(tracker_connector(jira))
        if slack is not None:
            out.append(SlackConnector(slack.url + "/api", bot_token=BOT_TOKEN, search_channels=("C0ESCAL",), settings=FAST))
        return out

    return Service(Settings(workspace=workspace, home=home, enable_writes=writes), policy=policy or routing_policy(),
                   connectors=connectors)


def slack_posts(slack: FakeSlack) -> list[tuple[str, dict[str, Any]]]:
    return [(channel, m) for channel, m in slack.all_messages() if m.get("bot_id")]
