"""The lifecycle tools through the real MCP protocol, filing with the Jira and Slack connectors to their loopback fakes."""

from __future__ import annotations

import re

import pytest
from mcp import Client
from mcp.types import ElicitResult

from customer_escalation.connectors.jira import adf_text
from customer_escalation.lifecycle_tools import WRITE_TOOLS
from customer_escalation.policy.model import Team
from customer_escalation.server import build_server
from tests.fakes.harness import Reply
from tests.fakes.github import FakeGitHub
from tests.fakes.jira import FakeJira
from tests.fakes.linear import FakeLinear
from tests.fakes.slack import FakeSlack
from tests.lifecycle_support import reset_slack, routing_policy, service, slack_posts

pytestmark = pytest.mark.anyio

READ_TOOLS = {"list_escalations", "show_escalation", "follow_ups", "draft_customer_update", "find_duplicates"}


@pytest.fixture(scope="module")
def jira_server():
    with FakeJira() as fake:
        yield fake


@pytest.fixture(scope="module")
def slack_server():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def jira(jira_server):
    return jira_server.reset()


@pytest.fixture
def slack(slack_server):
    yield reset_slack(slack_server)
    slack_server.__dict__.pop("m_chat_postMessage", None)  # a test may have wrapped the method


def writes_seen(jira: FakeJira, slack) -> list[str]:
    return ([f"jira {r.method} {r.path}" for r in jira.requests if r.method == "POST" and r.path.endswith("/issue")]
            + [f"slack {r.path}" for r in slack.requests if "chat.postMessage" in r.path])


def description(issue: dict) -> str:
    return adf_text(issue["raw"]["description"], 100_000)


async def draft(c: Client, issue: str = "CSV export is missing rows", account: str = "Acme Corp") -> str:
    r = await c.call_tool("render_brief", {"issue": issue, "account": account, "reported_by": "Sam (L2)"})
    assert not r.is_error, r.content[0].text
    return r.structured_content["draft_id"]


async def test_read_only_mode_lists_no_write_tool_and_refuses_every_write_call(tmp_path, jira, slack):
    app = build_server(service(tmp_path / "home", writes=False, jira=jira, slack=slack))
    async with Client(app) as c:
        listed = {t.name for t in (await c.list_tools()).tools}
        assert READ_TOOLS <= listed and not set(WRITE_TOOLS) & listed
        d = await draft(c)
        for tool, args in [
            ("file_escalation", {"draft_id": d, "confirm": True}),
            ("file_escalation", {"draft_id": d}),
            ("record_update", {"escalation_id": "CE-0001", "kind": "internal"}),
            ("change_severity", {"escalation_id": "CE-0001", "severity": "high", "reason": "x", "notify": True, "confirm": True}),
            ("de_escalate", {"escalation_id": "CE-0001", "reason": "workaround", "workaround": "y", "notify": True, "confirm": True}),
            ("resolve_escalation", {"escalation_id": "CE-0001", "resolution": "z", "notify": True, "confirm": True}),
            ("attach_to_escalation", {"escalation_id": "CE-0001", "draft_id": d, "notify": True, "confirm": True}),
        ]:
            r = await c.call_tool(tool, args)
            assert r.is_error and "CUSTOMER_ESCALATION_ENABLE_WRITES" in r.content[0].text, (tool, r.content[0].text)
        assert (await c.call_tool("list_escalations", {})).structured_content["escalations"] == []
    assert writes_seen(jira, slack) == []
    assert jira.created() == [] and slack_posts(slack) == []


async def test_write_tools_declare_their_hints_and_check_the_setting_when_called(tmp_path, jira, slack):
    svc = service(tmp_path / "home", writes=True, jira=jira, slack=slack)
    async with Client(build_server(svc)) as c:
        tools = {t.name: t for t in (await c.list_tools()).tools}
        assert set(WRITE_TOOLS) <= set(tools)
        for name in WRITE_TOOLS:
            hints = tools[name].annotations
            assert hints.read_only_hint is False and None not in (hints.destructive_hint, hints.idempotent_hint, hints.open_world_hint)
        assert tools["file_escalation"].annotations.idempotent_hint and tools["file_escalation"].annotations.open_world_hint
        d = await draft(c)
        svc.settings.enable_writes = False  # switched off after the list was built: refused at call time
        r = await c.call_tool("file_escalation", {"draft_id": d, "confirm": True})
        assert r.is_error and "CUSTOMER_ESCALATION_ENABLE_WRITES" in r.content[0].text
    assert writes_seen(jira, slack) == []


async def test_preview_first_then_filing_delivers_in_each_system_s_format_and_records_the_links(tmp_path, jira, slack):
    async with Client(build_server(service(tmp_path / "home", writes=True, jira=jira, slack=slack))) as c:
        d = await draft(c)
        preview = await c.call_tool("file_escalation", {"draft_id": d})
        p = preview.structured_content
        assert not preview.is_error and p["outcome"] == "preview"
        assert [(x["kind"], x["system"], x["destination"]) for x in p["deliveries"]] == [
            ("tracker", "jira", "ENG"), ("chat", "slack", "#support-escalations")]
        assert p["deliveries"][0]["title"] == "[Critical] CSV export is missing rows (Acme Corp)"
        assert p["deliveries"][0]["body"].startswith("# ESCALATION: ")
        assert writes_seen(jira, slack) == []

        filed = await c.call_tool("file_escalation", {"draft_id": d, "confirm": True, "by": "sam"})
        f = filed.structured_content
        assert not filed.is_error and f["outcome"] == "done", filed.content[0].text
        eid = f["escalation"]["id"]

        [issue] = jira.created()
        url = f"{jira.url}/browse/{issue['key']}"
        assert issue["key"].startswith("ENG-") and issue["priority"] == "Highest"
        assert issue["raw"]["description"]["type"] == "doc"  # Markdown arrived as ADF
        assert issue["summary"] == "[Critical] CSV export is missing rows (Acme Corp)"
        marker = next(label for label in issue["labels"] if label.startswith("cesc-"))
        assert "customer-escalation" in issue["labels"]
        body = description(issue)
        assert "ESCALATION: CSV export is missing rows" in body and "Customer tickets" in body and "T-1" in body and "T-2" in body
        [(channel, post)] = slack_posts(slack)
        assert channel == "C0ESCAL" and post["metadata"]["event_payload"]["key"] != marker  # one marker per destination
        assert f"<{url}|{issue['key']}>" in post["text"]  # Slack mrkdwn link to the new issue
        assert post["blocks"][0]["type"] == "header" and "*Severity:* Critical" in post["blocks"][1]["text"]["text"]

        shown = (await c.call_tool("show_escalation", {"escalation_id": eid})).structured_content
        assert f"tracker jira {issue['key']} {url}" in shown["escalation"]["links"]
        assert any(link.startswith("chat slack ") for link in shown["escalation"]["links"])
        assert [h["kind"] for h in shown["history"]] == ["filed", "delivered", "delivered"]
        assert shown["history"][0]["by"] == "sam"

        again = await c.call_tool("file_escalation", {"draft_id": d, "confirm": True})
        assert not again.is_error and again.structured_content["escalation"]["id"] == eid
    assert len(jira.created()) == 1 and len(slack_posts(slack)) == 1


async def test_a_retry_after_dropped_responses_never_files_or_posts_twice(tmp_path, jira, slack):
    original = slack.m_chat_postMessage

    def post_then_drop(args, who):
        original(args, who)  # the message is stored, then the answer is lost
        slack.m_chat_postMessage = original
        return Reply(drop=True)

    jira.drop_after_create = 1
    async with Client(build_server(service(tmp_path / "home", writes=True, jira=jira, slack=slack))) as c:
        d = await draft(c)
        first = await c.call_tool("file_escalation", {"draft_id": d, "confirm": True})
        assert first.is_error and "may have reached jira" in first.content[0].text and "never twice" in first.content[0].text
        assert len(jira.created()) == 1 and slack_posts(slack) == []  # no chat message before the issue is known

        slack.m_chat_postMessage = post_then_drop
        second = await c.call_tool("file_escalation", {"draft_id": d, "confirm": True})
        assert second.is_error and "may have reached slack" in second.content[0].text
        assert len(jira.created()) == 1 and len(slack_posts(slack)) == 1

        third = await c.call_tool("file_escalation", {"draft_id": d, "confirm": True})
        assert not third.is_error, third.content[0].text
        eid = third.structured_content["escalation"]["id"]
        history = (await c.call_tool("show_escalation", {"escalation_id": eid})).structured_content["history"]
    assert len(jira.created()) == 1 and len(slack_posts(slack)) == 1
    assert writes_seen(jira, slack) == ["jira POST /rest/api/3/issue", "slack /api/chat.postMessage"]  # the retries created nothing
    kinds = [h["kind"] for h in history]
    assert kinds.count("delivery_failed") == 2 and kinds.count("delivered") == 2
    assert sum("found already delivered" in h["summary"] for h in history) == 2


async def test_tracker_create_errors_list_the_valid_values_and_a_corrected_retry_files_once(tmp_path, jira, slack):
    policy = routing_policy(engineering=Team(name="Engineering", tracker="jira:OPS", chat_channel="#support-escalations"))
    async with Client(build_server(service(tmp_path / "home", writes=True, jira=jira, slack=slack, policy=policy))) as c:
        d = await draft(c)
        r = await c.call_tool("file_escalation", {"draft_id": d, "confirm": True})
        text = r.content[0].text
        assert r.is_error and "components" in text and "Billing, Data pipeline, Support tools" in text
        assert "project=" in text  # what file_escalation can change: the project
        bad_priority = await c.call_tool("file_escalation", {"draft_id": d, "confirm": True, "priority": "urgent"})
        assert bad_priority.is_error and "priority: critical, high, medium" in bad_priority.content[0].text
        assert jira.created() == [] and slack_posts(slack) == []
        fixed = await c.call_tool("file_escalation", {"draft_id": d, "confirm": True, "project": "ENG"})
        assert not fixed.is_error, fixed.content[0].text
    assert [i["key"].split("-")[0] for i in jira.created()] == ["ENG"] and len(slack_posts(slack)) == 1


async def test_security_goes_only_to_the_security_destination_and_chat_gets_a_minimal_notice(tmp_path, jira, slack):
    async with Client(build_server(service(tmp_path / "home", writes=True, jira=jira, slack=slack))) as c:
        d = await draft(c, "Customer can see another tenant's invoices in their account", "Gamma Health")
        preview = (await c.call_tool("file_escalation", {"draft_id": d})).structured_content
        assert [(x["system"], x["destination"]) for x in preview["deliveries"]] == [("jira", "PROD"), ("slack", "#security-incidents")]
        filed = await c.call_tool("file_escalation", {"draft_id": d, "confirm": True})
        assert not filed.is_error, filed.content[0].text
    [issue] = jira.created()
    assert issue["key"].startswith("PROD-") and "another tenant" in description(issue)  # details go to the security tracker
    [(channel, post)] = slack_posts(slack)
    assert channel == "C0SECURITY"
    text = post["text"] + str(post.get("blocks"))
    assert f"{jira.url}/browse/{issue['key']}" in text
    for detail in ("Gamma", "invoice", "tenant", "$", "T-"):
        assert detail not in text, detail


async def test_customer_text_is_neutralised_before_it_reaches_slack_and_the_tracker(tmp_path, jira, slack):
    async with Client(build_server(service(tmp_path / "home", writes=True, jira=jira, slack=slack))) as c:
        d = await draft(c, "<!channel> CSV export is missing rows, @here see [status](http://evil.example/x)", "Acme Corp")
        assert not (await c.call_tool("file_escalation", {"draft_id": d, "confirm": True})).is_error
    [(_channel, post)] = slack_posts(slack)
    [issue] = jira.created()
    for text in (post["text"], str(post["blocks"]), issue["summary"], description(issue), str(issue["raw"]["description"])):
        assert "<!channel>" not in text and not re.search(r"(?<![\w-])@here", text)
        assert "](http://evil.example/x)" not in text and "<http://evil.example/x|" not in text


async def test_elicitation_asks_the_human_before_sending_and_a_decline_writes_nothing(tmp_path, jira, slack):
    asked: list[str] = []

    def answer(action: str):
        async def callback(context, params):
            asked.append(params.message)
            return ElicitResult(action=action, content={"approve": True} if action == "accept" else None)
        return callback

    svc = service(tmp_path / "home", writes=True, jira=jira, slack=slack)
    async with Client(build_server(svc), elicitation_callback=answer("decline")) as c:
        d = await draft(c)
        declined = await c.call_tool("file_escalation", {"draft_id": d, "confirm": True})
        assert not declined.is_error and declined.structured_content["outcome"] == "declined"
        preview = await c.call_tool("file_escalation", {"draft_id": d})  # confirm=false: a preview, nobody is asked
        assert preview.structured_content["outcome"] == "preview"
    assert len(asked) == 1 and "jira ENG" in asked[0] and "slack #support-escalations" in asked[0]
    assert writes_seen(jira, slack) == []

    async with Client(build_server(svc), elicitation_callback=answer("accept")) as c:
        filed = await c.call_tool("file_escalation", {"draft_id": d, "confirm": True})
        assert not filed.is_error and filed.structured_content["outcome"] == "done", filed.content[0].text
    assert len(asked) == 2 and len(jira.created()) == 1 and len(slack_posts(slack)) == 1


async def test_duplicates_are_offered_and_attaching_tells_the_receiving_team(tmp_path, jira, slack):
    async with Client(build_server(service(tmp_path / "home", writes=True, jira=jira, slack=slack))) as c:
        first = await draft(c)
        eid = (await c.call_tool("file_escalation", {"draft_id": first, "confirm": True})).structured_content["escalation"]["id"]
        second = await draft(c, "CSV export missing rows after 10,000", "Epsilon Bank")

        dupes = (await c.call_tool("find_duplicates", {"draft_id": second})).structured_content
        assert dupes["matches"][0]["id"] == eid and "attach_to_escalation" in dupes["next_step"]
        offered = (await c.call_tool("file_escalation", {"draft_id": second})).structured_content
        assert [m["id"] for m in offered["duplicates"]] == [eid] and "attach" in offered["next_step"]

        preview = (await c.call_tool("attach_to_escalation", {"escalation_id": eid, "draft_id": second, "notify": True})).structured_content
        assert preview["outcome"] == "preview" and len(slack_posts(slack)) == 1
        assert (await c.call_tool("show_escalation", {"escalation_id": eid})).structured_content["escalation"]["customers"] == [
            "Acme Corp", "Gamma Health", "Beta Labs"]

        attached = await c.call_tool("attach_to_escalation", {"escalation_id": eid, "draft_id": second, "notify": True, "confirm": True})
        a = attached.structured_content
        assert not attached.is_error and a["outcome"] == "done", attached.content[0].text
        assert a["escalation"]["customers"][-1] == "Epsilon Bank"
        assert a["escalation"]["arr_at_risk"] == 480000 + 300000 + 30000 + 900000
        assert "Epsilon Bank renews 2026-12-20" in a["escalation"]["renewals_soon"]
    posts = slack_posts(slack)
    assert len(posts) == 2 and posts[1][0] == "C0ESCAL"
    assert "another customer is affected" in posts[1][1]["text"] and "Epsilon Bank" in posts[1][1]["text"]
    assert len(jira.created()) == 1  # attached, not filed again


async def test_follow_up_tools_and_de_escalation_with_a_notice(tmp_path, jira, slack):
    async with Client(build_server(service(tmp_path / "home", writes=True, jira=jira, slack=slack))) as c:
        d = await draft(c)
        eid = (await c.call_tool("file_escalation", {"draft_id": d, "confirm": True})).structured_content["escalation"]["id"]
        due = (await c.call_tool("follow_ups", {"within_hours": 4})).structured_content
        assert [(i["escalation_id"], i["clock"]) for i in due["items"]] == [(eid, "internal"), (eid, "customer")]
        update = (await c.call_tool("draft_customer_update", {"escalation_id": eid})).structured_content
        assert "ENG-" not in update["body"] and "$" not in update["body"] and "T-1" in update["body"]

        done = await c.call_tool("record_update", {"escalation_id": eid, "kind": "internal", "note": "fix in review"})
        assert not done.is_error and "internal check-in" in done.structured_content["message"]
        assert [i["clock"] for i in (await c.call_tool("follow_ups", {"within_hours": 1})).structured_content["items"]] == []

        de = await c.call_tool("de_escalate", {"escalation_id": eid, "reason": "workaround", "workaround": "Export one week at a time",
                                               "note": "page limit hit", "notify": True, "confirm": True})
        out = de.structured_content
        assert not de.is_error and out["escalation"]["status"] == "de_escalated", de.content[0].text
        assert out["checklist"][0]["done"] is True and "Export one week at a time" in out["checklist"][2]["draft"]
        assert (await c.call_tool("follow_ups", {"within_hours": 100})).structured_content["items"] == []
        listed = (await c.call_tool("list_escalations", {"status": "de_escalated"})).structured_content["escalations"]
        assert [e["id"] for e in listed] == [eid] and listed[0]["internal_due"] == ""
    notice = slack_posts(slack)[-1][1]["text"]
    assert "de-escalated: a workaround unblocks the customer" in notice


async def test_a_notice_whose_answer_was_lost_is_resumed_not_posted_again(tmp_path, jira, slack):
    original = slack.m_chat_postMessage

    def post_then_drop(args, who):
        original(args, who)
        slack.m_chat_postMessage = original
        return Reply(drop=True)

    async with Client(build_server(service(tmp_path / "home", writes=True, jira=jira, slack=slack))) as c:
        first = await draft(c)
        eid = (await c.call_tool("file_escalation", {"draft_id": first, "destinations": "log", "confirm": True})).structured_content["escalation"]["id"]
        second = await draft(c, "CSV export missing rows after 10,000", "Epsilon Bank")
        slack.m_chat_postMessage = post_then_drop
        args = {"escalation_id": eid, "draft_id": second, "notify": True, "confirm": True}
        lost = await c.call_tool("attach_to_escalation", args)
        assert lost.is_error and "may have reached slack" in lost.content[0].text
        again = await c.call_tool("attach_to_escalation", args)
        a = again.structured_content
        assert not again.is_error and a["outcome"] == "unchanged" and "already on" in a["message"], again.content[0].text
        assert [d["state"] for d in a["deliveries"]] == ["done"]
    assert len(slack_posts(slack)) == 1 and len(slack.requests_to(r"chat\.postMessage")) == 1


@pytest.mark.parametrize("system, tracker, make", [
    ("jira", "jira:ENG", FakeJira),
    ("linear", "linear:ENG", FakeLinear),
    ("github", "github", FakeGitHub),
])
async def test_each_tracker_gets_the_brief_in_its_format_once_even_when_the_create_answer_is_lost(tmp_path, slack, system, tracker, make):
    policy = routing_policy(engineering=Team(name="Engineering", tracker=tracker, chat_channel="#support-escalations"))
    with make() as fake:
        fake.drop_after_create = 1
        async with Client(build_server(service(tmp_path / "home", writes=True, jira=fake, slack=slack, policy=policy))) as c:
            d = await draft(c)
            lost = await c.call_tool("file_escalation", {"draft_id": d, "confirm": True})
            assert lost.is_error and f"may have reached {system}" in lost.content[0].text
            filed = await c.call_tool("file_escalation", {"draft_id": d, "confirm": True})
            assert not filed.is_error, filed.content[0].text
            links = filed.structured_content["escalation"]["links"]
        [issue] = fake.created()
    raw = issue["raw"]
    if system == "jira":
        assert raw["description"]["type"] == "doc" and any(label.startswith("cesc-") for label in raw["labels"])
        body = adf_text(raw["description"], 100_000)
    else:
        body = raw["description"] if system == "linear" else raw["body"]
        assert body.startswith("# ESCALATION: ") and re.search(r"cesc-[0-9a-f]+-file-tracker\s*$", body)  # Markdown, marker last
    assert "Customer tickets" in body and "T-1" in body
    if system == "github":
        assert {"customer-escalation", "severity-critical"} <= set(raw["labels"])
    [tracker_link] = [link for link in links if link.startswith(f"tracker {system} ")]
    url = tracker_link.split()[-1]
    [(_channel, post)] = slack_posts(slack)
    assert url in post["text"]


async def test_an_unknown_linear_team_lists_the_teams_and_project_fixes_it(tmp_path, slack):
    policy = routing_policy(engineering=Team(name="Engineering", tracker="linear:OPS", chat_channel="#support-escalations"))
    with FakeLinear() as linear:
        async with Client(build_server(service(tmp_path / "home", writes=True, jira=linear, slack=slack, policy=policy))) as c:
            d = await draft(c)
            refused = await c.call_tool("file_escalation", {"draft_id": d, "confirm": True})
            assert refused.is_error and "team: ENG, PROD" in refused.content[0].text and "project=" in refused.content[0].text
            fixed = await c.call_tool("file_escalation", {"draft_id": d, "confirm": True, "project": "ENG"})
            assert not fixed.is_error, fixed.content[0].text
        assert [i["identifier"].split("-")[0] for i in linear.created()] == ["ENG"]
