"""Bad input through the real MCP protocol: every tool, generated arguments of every wrong shape.

Every call must end in a result or an is_error that names the argument and says what to pass,
within a bounded time, without a traceback, without the server's generic crash message, and
without echoing what was sent (the SDK's own validation text repeats `input_value=...`).
"""

from __future__ import annotations

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client

from customer_escalation.server import build_server
from tests.helpers import small_service

pytestmark = pytest.mark.anyio

FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NASTY_STRINGS = [
    "", " ", "null", "undefined", "None", "NaN", "0", "-1", "true", "[]", "{}", "\x00", "\u202e\u2066evil", "\ufeff",
    "../../etc/passwd", "' OR 1=1 --", "<script>alert(1)</script>", "{{7*7}}", "%s%n%x", "esc_" + "0" * 12,
    "<function_calls><invoke name=\"post\"></invoke></function_calls>", "😀" * 50, "\r\n\t", "a\x1b[31mred",
]

nasty_text = st.one_of(
    st.sampled_from(NASTY_STRINGS),
    st.text(max_size=300),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "So", "Lo"]), max_size=200),
    st.integers(min_value=100, max_value=20_000).map(lambda n: "x" * n),
)
nasty_value = st.one_of(
    nasty_text,
    st.none(), st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)

# a canary planted in every generated call: it must never come back in an error
CANARY = "CANARY-ECHO-7f3a9c"


@pytest.fixture
def app(tmp_path):
    return build_server(small_service(tmp_path))


async def _schemas(app) -> dict[str, dict]:
    """Every tool's declared input schema, with the length limits calls are checked against (the listing leaves those out)."""
    async with Client(app) as c:
        listed = {t.name for t in (await c.list_tools()).tools}
    return {t.name: t.input_schema for t in await app.declared_tools() if t.name in listed}


def _generic_crash(tool: str, text: str) -> bool:
    return text.strip() == f"Error executing tool {tool}"


async def _call(c: Client, tool: str, args: dict):
    with anyio.fail_after(20):  # never a hang
        return await c.call_tool(tool, args)


def _check(tool: str, schema: dict, args: dict, result) -> None:
    text = "\n".join(getattr(b, "text", "") for b in result.content)
    assert "Traceback" not in text and "input_value=" not in text and "pydantic" not in text, text[:500]
    assert not _generic_crash(tool, text), f"{tool} crashed on {args!r}"
    if result.is_error:
        assert len(text) < 3000, "an error must not carry the input back"
        if text.startswith("Invalid arguments"):
            # names an argument of this tool and says what to pass
            assert any(f"'{name}'" in text for name in schema.get("properties", {})), text
            assert "pass " in text
            assert CANARY not in text
    else:
        assert result.structured_content is not None


def _listed_schemas() -> dict[str, dict]:
    """Every tool the server lists (the core four and whatever other modules register), read once."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as home:
        return anyio.run(_schemas, build_server(small_service(Path(home))))


SCHEMAS = _listed_schemas()
CORE = ["gather_context", "assess_impact", "choose_tier", "render_brief"]


def _wrong(tool: str):
    """Arguments of the wrong shape: any subset of the parameters, each with any nasty value, a canary in non-strings."""
    props = SCHEMAS[tool].get("properties", {})
    values = {name: (st.one_of(nasty_value, st.just(CANARY)) if props[name].get("type") not in ("string", None) else nasty_value)
              for name in props}
    return st.fixed_dictionaries({}, optional=values)


def _well_typed(prop: dict):
    """Values the schema accepts, chosen to be awkward: control characters, bidi, markup, the limits."""
    if "enum" in prop:
        return st.sampled_from(prop["enum"])
    kind = prop.get("type")
    if kind == "string":
        limit = prop.get("maxLength", 5000)
        return st.one_of(st.sampled_from(NASTY_STRINGS), st.text(max_size=200), st.just("y" * limit)).map(lambda t: t[:limit])
    if kind == "integer":
        return st.integers(min_value=prop.get("minimum", -(2**31)), max_value=2**53)
    if kind == "number":
        return st.floats(min_value=prop.get("minimum", -1e300), max_value=1e300, allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    return st.none()


def _awkward(tool: str):
    props = SCHEMAS[tool].get("properties", {})
    base = st.fixed_dictionaries({}, optional={name: _well_typed(p) for name, p in props.items()})
    if "issue" in props and tool != "gather_context":
        # also start from issue text instead of a draft id, so the whole chain runs on awkward input
        issue = st.sampled_from(["CSV export missing rows", "SSO login loop \u202e for Acme Corp", "\x00 null", "undefined"])
        with_issue = st.tuples(base, issue).map(lambda t: {**{k: v for k, v in t[0].items() if k != "draft_id"}, "issue": t[1]})
        return st.one_of(base, with_issue)
    return base


async def _one(app, tool: str, args: dict, *, well_typed: bool) -> None:
    schema = SCHEMAS[tool]
    async with Client(app) as c:
        result = await _call(c, tool, args)
        _check(tool, schema, args, result)
        if well_typed and result.is_error and not result.content[0].text.startswith("Invalid arguments"):
            # a service-level refusal says what to do next
            assert any(w in result.content[0].text for w in ("call ", "pass ", "Call ", "describe", "Summarise", "leave")), result.content[0].text
        # the server is still fine afterwards
        ok = await _call(c, "choose_tier", {"issue": "CSV export missing rows"})
        assert not ok.is_error


@pytest.mark.parametrize("tool", CORE)
@pytest.mark.parametrize("kind", ["wrong shapes", "well typed but awkward"])
def test_generated_arguments_end_in_a_result_or_a_clear_error(app, tool, kind):
    """Wrong shapes are refused before the tool runs; well-typed awkward values reach the tool and end cleanly."""
    well_typed = kind != "wrong shapes"

    @FAST
    @given(args=_awkward(tool) if well_typed else _wrong(tool))
    def check(args):
        anyio.run(lambda: _one(app, tool, args, well_typed=well_typed))

    check()


async def test_every_listed_tool_survives_empty_and_wrong_shaped_calls(app):
    """Also covers tools other modules register (lifecycle, surfaces) as they land."""
    schemas = await _schemas(app)
    async with Client(app) as c:
        for tool, schema in schemas.items():
            props = schema.get("properties", {})
            for args in ({}, {name: None for name in props}, {name: ["x"] for name in props},
                         {name: {"$ref": "#"} for name in props}, {name: "undefined" for name in props},
                         {name: "x" * 100_000 for name in props}):
                result = await _call(c, tool, args)
                _check(tool, schema, args, result)


@pytest.mark.parametrize("args, names, says", [
    ({"issue": 12345}, ["issue"], "wrong type"),
    ({}, ["issue"], "is required"),
    ({"issue": "x" * 4001}, ["issue"], "the limit is 4000"),
    ({"issue": "export", "account": "a" * 201}, ["account"], "the limit is 200"),
    ({"issue": "export", "detail": "everything"}, ["detail"], "'summary', 'full'"),
])
async def test_argument_errors_name_the_argument_and_the_limit_not_the_value(app, args, names, says):
    async with Client(app) as c:
        r = await c.call_tool("gather_context", args)
    text = r.content[0].text
    assert r.is_error and says in text and "nothing was done" in text
    for name in names:
        assert f"'{name}'" in text
    assert "xxxxxxxxxx" not in text and "aaaaaaaaaa" not in text and "everything" not in text and "12345" not in text


async def test_a_secret_pasted_into_a_number_is_not_echoed(app):
    async with Client(app) as c:
        r = await c.call_tool("assess_impact", {"issue": "export broken", "arr_at_risk": "sk_live_51HcanaryCANARYcanary000"})
    assert r.is_error
    assert "'arr_at_risk'" in r.content[0].text and "a number from 0 to" in r.content[0].text
    assert "canary" not in r.content[0].text.lower()


async def test_unknown_tool_names_are_not_echoed_when_odd(app):
    async with Client(app) as c:
        plain = await c.call_tool("no_such_tool", {})
        odd = await c.call_tool("x" * 5000 + "\u202e", {})
    assert plain.is_error and "no_such_tool" in plain.content[0].text
    assert odd.is_error and "xxxxx" not in odd.content[0].text and "tools/list" in odd.content[0].text


async def test_every_string_argument_has_a_size_limit_that_calls_enforce(app):
    schemas = await _schemas(app)
    async with Client(app) as c:
        for tool, schema in schemas.items():
            for name, prop in schema.get("properties", {}).items():
                if prop.get("type") == "string" and "enum" not in prop:
                    assert "maxLength" in prop, f"{tool}.{name} has no maxLength"
            over = {name: "x" * (p["maxLength"] + 1) for name, p in schema.get("properties", {}).items() if "maxLength" in p}
            if over:
                r = await _call(c, tool, over)
                assert r.is_error and "the limit is" in r.content[0].text, tool


# --- prompts and resources: the other MCP surfaces --------------------------------------------------

PROMPT_VALUES = st.one_of(st.sampled_from(NASTY_STRINGS), st.text(max_size=100), st.integers(4000, 20_000).map(lambda n: "p" * n))


async def _prompts(app) -> dict[str, list]:
    async with Client(app) as c:
        return {p.name: p.arguments or [] for p in (await c.list_prompts()).prompts}


def test_prompts_get_generated_arguments_end_in_a_prompt_or_a_clear_error(app):
    from mcp.shared.exceptions import MCPError

    prompts = anyio.run(_prompts, app)
    assert prompts, "the server registers the customer-escalation prompt"

    async def one(name: str, args: dict) -> None:
        async with Client(app) as c:
            try:
                with anyio.fail_after(20):
                    result = await c.get_prompt(name, args)
            except MCPError as exc:
                text = exc.error.message
                assert "Internal server error" not in text, (name, args)
                assert "Invalid arguments for the prompt" in text and "pass " in text, text
                assert not any(len(v) >= 8 and v in text for v in args.values()), "the value was echoed"
            else:
                assert result.messages

    for name, arguments in prompts.items():
        names = [a.name for a in arguments]

        @FAST
        @given(args=st.fixed_dictionaries({}, optional={n: PROMPT_VALUES for n in names}))
        def check(args):
            anyio.run(lambda: one(name, args))  # noqa: B023 (called at once, inside this iteration)

        check()


async def test_every_listed_resource_reads_cleanly(app):
    async with Client(app) as c:
        for resource in (await c.list_resources()).resources:
            result = await c.read_resource(resource.uri)
            assert result.contents, resource.uri
