"""The skill as MCP surfaces, for clients that have the server but not the skill installed.

- Prompt `customer-escalation(issue, account)`: the skill's instructions with the issue filled
  in, so `/customer-escalation` works as a slash command in any client that lists MCP prompts.
- Resources: the policy in force (`customer-escalation://policy`), the skill itself
  (`customer-escalation://skill`), the brief template (`customer-escalation://brief-template`)
  and each reference file (`customer-escalation://reference/<name>`). The prompt and the
  Windsurf workflow point to these URIs.

The text comes from the package copy of SKILL.md and skill/ (see adapters.py), so it is the
same text the installed skill holds.
"""

from __future__ import annotations

import json
from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.resources import FunctionResource, TextResource
from pydantic import Field

from . import adapters
from .service import MAX_ACCOUNT, MAX_ISSUE, Service

PROMPT_NAME = "customer-escalation"
POLICY_URI = "customer-escalation://policy"
SKILL_URI = "customer-escalation://skill"
BRIEF_TEMPLATE_URI = "customer-escalation://brief-template"
MARKDOWN = "text/markdown"


def prompt_text(skill: adapters.Skill, issue: str, account: str) -> str:
    issue = " ".join(issue.split())
    account = " ".join(account.split())
    request = f"Issue: {issue}\nAccount: {account or '(not given: ask, or gather by issue only)'}"
    return (
        f"A support engineer asked to escalate a customer issue.\n\n{request}\n\n"
        "Follow these instructions (the customer-escalation skill). Reference files are resources of this "
        f"server: `{adapters.RESOURCE_PREFIX}<name>`.\n\n" + adapters.with_resource_links(skill.body)
    )


def register(app: MCPServer, service: Service) -> None:
    skill = adapters.packaged_skill()

    @app.prompt(name=PROMPT_NAME, title="Escalate a customer issue",
                description="Run the escalation workflow for an issue: gather context, assess impact, pick the target team "
                            "and severity, render the brief, and offer next steps.")
    def customer_escalation(
        issue: Annotated[str, Field(min_length=1, max_length=MAX_ISSUE,
                                    description="what is broken or needed, e.g. 'API returning 500 errors intermittently'")],
        account: Annotated[str, Field(max_length=MAX_ACCOUNT, description="customer name or domain, if known")] = "",
    ) -> str:
        return prompt_text(skill, issue, account)

    def policy_json() -> str:
        data = service.policy.model_dump(mode="json")
        source = service.settings.policy_file
        return json.dumps({"source": str(source) if source else "built-in default", "policy": data}, indent=2)

    app.add_resource(FunctionResource(
        uri=POLICY_URI, name="policy", title="Escalation policy in force", mime_type="application/json", fn=policy_json,
        description="Thresholds, key accounts, teams with their tracker projects and chat channels, SLA targets and "
                    "follow-up cadence that the tools apply; the organisation's policy file or the built-in default."))
    app.add_resource(TextResource(
        uri=SKILL_URI, name="skill", title="Customer escalation skill (SKILL.md)", mime_type=MARKDOWN, text=skill.skill_md,
        description="The full workflow: when to escalate, which tool to call when, what to ask, how to present the brief."))
    template = skill.references.get("skill/brief-template.md")
    if template is not None:
        app.add_resource(TextResource(
            uri=BRIEF_TEMPLATE_URI, name="brief-template", title="Escalation brief template", mime_type=MARKDOWN,
            text=template, description="The brief's layout receiving teams expect, with guidance for each section."))
    for path, text in skill.references.items():
        name = adapters.reference_name(path)
        title = text.lstrip().splitlines()[0].lstrip("# ").strip() if text.strip() else name
        app.add_resource(TextResource(
            uri=f"{adapters.RESOURCE_PREFIX}{name}", name=name, title=title, mime_type=MARKDOWN, text=text,
            description=f"Reference file {path} of the customer-escalation skill."))
