"""One definition of ARR at risk: the same figure, saying what it counts, in the brief, the Slack post and the
Jira, Linear and GitHub issues of the same escalation (filed through the MCP tools to the loopback fakes), and in
every format of the CLI brief.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from mcp import Client

from customer_escalation.cli import main
from customer_escalation.models import AccountSummary, Segment
from customer_escalation.policy.model import Team
from customer_escalation.revenue import arr_at_risk, money
from customer_escalation.server import build_server
from tests.fakes.github import FakeGitHub
from tests.fakes.jira import FakeJira
from tests.fakes.linear import FakeLinear
from tests.fakes.slack import FakeSlack
from tests.helpers import SMALL
from tests.lifecycle_support import reset_slack, routing_policy, service, slack_posts

SAMPLE = Path(__file__).parent.parent / "tools" / "customer_escalation" / "data" / "sample_workspace.json"
BRIEF_ARR = re.compile(r"\*\*Revenue at risk:\*\* (\$[\d,]+) ARR at risk \(([^)]*)\)")
ANY_ARR = re.compile(r"(\$[\d,]+) ARR at risk \(([^)]*)\)")
SLACK_ARR = re.compile(r"\*ARR at risk:\* (\$[\d,]+) \(([^)]*)\)")


def summary(id: str, arr: float | None, plan: str = "Growth", name: str = "") -> AccountSummary:
    return AccountSummary(id=id, name=name or id, plan=plan, arr=arr)


# --- the definition ---------------------------------------------------------------------------------------


def test_arr_at_risk_is_the_combined_arr_of_the_affected_accounts_each_counted_once():
    figure = arr_at_risk([summary("a", 100_000), summary("b", 30_000), summary("a", 100_000), summary("c", None)])
    assert figure.amount == 130_000 and figure.accounts == 3
    assert figure.basis == "combined ARR of the 3 affected accounts; 1 of them without an ARR on record"
    one = arr_at_risk([summary("a", 100_000, name="Acme Corp")])
    assert (one.amount, one.basis) == (100_000, "ARR of the affected account, Acme Corp")


def test_a_named_segment_adds_its_accounts_and_accounts_outside_it_are_added_once():
    enterprise = Segment(label="Enterprise", plan="Enterprise", accounts=7, arr=3_525_000)
    figure = arr_at_risk([summary("e1", 900_000, "Enterprise"), summary("g1", 56_000, "Growth")], segment=enterprise)
    assert figure.amount == 3_525_000 + 56_000 and figure.accounts == 8  # e1 is one of the seven, not counted twice
    assert figure.basis == "combined ARR of the 7 Enterprise accounts and 1 other affected account"
    everyone = arr_at_risk([summary("g1", 56_000)], segment=Segment(label="all customers", accounts=30, arr=5_000_000))
    assert (everyone.amount, everyone.basis) == (5_000_000, "combined ARR of all 30 customer accounts")
    unknown_segment = arr_at_risk([summary("g1", 56_000)], segment=Segment(label="EU customers"))
    assert unknown_segment.amount == 56_000  # a segment the workspace cannot count adds nothing


def test_a_stated_figure_wins_and_says_so():
    figure = arr_at_risk([summary("a", 100_000)], stated=250_000, stated_by="stated by the reporter")
    assert (figure.amount, figure.basis, figure.stated) == (250_000, "stated by the reporter", 250_000)
    assert arr_at_risk([summary("a", None)]).amount == 0 and money(3_525_000) == "$3,525,000"


# --- the same figure on every surface ---------------------------------------------------------------------


@pytest.fixture
def slack():
    """The Slack fake the team-channel posts go to (its own per test: the posts are counted)."""
    with FakeSlack() as fake:
        yield reset_slack(fake)


def tracker_body(system: str, raw: dict) -> str:
    if system == "jira":
        from customer_escalation.connectors.jira import adf_text

        return adf_text(raw["description"], 100_000)
    return raw["description"] if system == "linear" else raw["body"]


@pytest.mark.anyio
@pytest.mark.parametrize("system, tracker, make", [
    ("jira", "jira:ENG", FakeJira),
    ("linear", "linear:ENG", FakeLinear),
    ("github", "github", FakeGitHub),
])
async def test_brief_slack_post_and_tracker_issue_show_the_same_arr_at_risk(tmp_path, slack, system, tracker, make):
    """The README's example names a segment: the brief once said $3.52M (the segment) and the post $3,273,000 (the
    customers listed). Now both, and the tracker issue, give one figure and say what it counts."""
    policy = routing_policy(engineering=Team(name="Engineering", tracker=tracker, chat_channel="#support-escalations"))
    with make() as fake:
        async with Client(build_server(service(tmp_path / "home", writes=True, jira=fake, slack=slack, policy=policy,
                                               workspace="sample"))) as c:
            rendered = await c.call_tool("render_brief", {"issue": "SSO login loop affecting all Enterprise customers",
                                                          "reported_by": "Sam (L2)"})
            assert not rendered.is_error, rendered.content[0].text
            brief = rendered.structured_content["markdown"]
            filed = await c.call_tool("file_escalation", {"draft_id": rendered.structured_content["draft_id"], "confirm": True})
            assert not filed.is_error, filed.content[0].text
            shown = (await c.call_tool("show_escalation", {"escalation_id": filed.structured_content["escalation"]["id"]})
                     ).structured_content["escalation"]
        [issue] = fake.created()
    [(_channel, post)] = slack_posts(slack)

    in_brief = BRIEF_ARR.findall(brief)
    in_post = SLACK_ARR.findall(post["text"])
    in_tracker = ANY_ARR.findall(tracker_body(system, issue["raw"]))
    # (the tracker body is the brief: it may repeat the figure where a criterion cites it, never another one)
    assert len(in_brief) == 1 and in_post == in_brief and set(in_tracker) == set(in_brief)
    figure, basis = in_brief[0]
    assert figure == money(shown["arr_at_risk"]) and basis == shown["arr_basis"]

    # worked out independently: every Enterprise account of the sample, plus the affected accounts outside the plan
    accounts = {a["name"]: a for a in json.loads(SAMPLE.read_text())["accounts"]}
    enterprise = [a for a in accounts.values() if a["plan"] == "Enterprise"]
    outside = [accounts[name] for name in shown["customers"] if accounts[name]["plan"] != "Enterprise"]
    assert figure == money(sum(a["arr"] for a in enterprise) + sum(a["arr"] or 0 for a in outside))
    assert basis.startswith(f"combined ARR of the {len(enterprise)} Enterprise accounts")


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("issue, account", [
    ("Data export is missing rows - 3 customers reported this week", ""),
    ("Customer threatening to churn over missing audit log feature", "Gamma Health"),
])
def test_every_format_of_the_cli_brief_carries_the_same_figure(capsys, issue, account):
    extra = ["--account", account] if account else []
    _, markdown, _ = cli(capsys, "brief", issue, "--workspace", SMALL, *extra)
    _, slack_text, _ = cli(capsys, "brief", issue, "--workspace", SMALL, "--format", "slack", *extra)
    figures = {fmt: set(ANY_ARR.findall(cli(capsys, "brief", issue, "--workspace", SMALL, "--format", fmt, *extra)[1]))
               for fmt in ("jira", "github")}
    [brief_figure] = BRIEF_ARR.findall(markdown)
    assert set(ANY_ARR.findall(markdown)) == {brief_figure}
    assert SLACK_ARR.findall(slack_text) == [brief_figure]
    assert figures == {"jira": {brief_figure}, "github": {brief_figure}}


@pytest.mark.anyio
async def test_attaching_a_customer_outside_the_segment_adds_its_arr_once_and_the_notice_says_the_same(tmp_path, slack):
    with FakeJira() as jira:
        async with Client(build_server(service(tmp_path / "home", writes=True, jira=jira, slack=slack, workspace="sample"))) as c:
            first = await c.call_tool("render_brief", {"issue": "SSO login loop affecting all Enterprise customers"})
            filed = (await c.call_tool("file_escalation", {"draft_id": first.structured_content["draft_id"], "confirm": True}
                                       )).structured_content["escalation"]
            second = await c.call_tool("render_brief", {"issue": "SSO login loop after the IdP change", "account": "Parcelly"})
            attached = await c.call_tool("attach_to_escalation", {"escalation_id": filed["id"], "notify": True, "confirm": True,
                                                                  "draft_id": second.structured_content["draft_id"]})
            assert not attached.is_error, attached.content[0].text
    after = attached.structured_content["escalation"]
    already = "Parcelly" in filed["customers"]
    assert after["arr_at_risk"] == filed["arr_at_risk"] + (0 if already else 56_000)
    assert after["arr_basis"].startswith("combined ARR of the 7 Enterprise accounts and")
    notice = slack_posts(slack)[-1][1]["text"]
    assert f"{money(after['arr_at_risk'])} ARR at risk ({after['arr_basis']})" in notice
