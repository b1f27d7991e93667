"""Argument errors a model can act on, without echoing what it sent: for tools and prompts.

The SDK's own argument-validation error is pydantic's text, which repeats the rejected value
(`input_value='...'`): whatever a caller pasted (a customer's message, a token, a megabyte of
logs) comes straight back, and into client logs. This middleware validates `tools/call`
arguments first, with the same model the SDK uses, and on failure answers with an `is_error`
result that names each argument, what was wrong, and what the tool accepts (type, allowed
values, size limit, from the published input schema). The value itself is never repeated.

`prompts/get` gets the same treatment: a missing, mistyped or over-long prompt argument is an
INVALID_PARAMS error naming the argument, where the SDK would answer "Internal server error".

Installed by `install(app)`; it covers every tool and prompt registered on the server, including
those added after it is installed.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.prompts import Prompt
from mcp.server.mcpserver.tools import Tool
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS, CallToolResult, TextContent
from pydantic import ValidationError

log = logging.getLogger("customer_escalation.arguments")

MAX_PROBLEMS = 6
_SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def _expected(schema: dict[str, Any] | None) -> str:
    """What a parameter accepts, in words, from its JSON schema."""
    if not schema:
        return "a value of the documented type"
    if "enum" in schema:
        return "one of " + ", ".join(repr(v) for v in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    kind = schema.get("type")
    if kind == "string":
        words = "a non-empty string" if schema.get("minLength") == 1 else "a string"
        if schema.get("minLength", 0) > 1:
            words += f" of at least {schema['minLength']}" + (" and" if "maxLength" in schema else " characters")
        if "maxLength" in schema:
            words += (" at most" if schema.get("minLength", 0) > 1 else " of at most") + f" {schema['maxLength']} characters"
        return words
    if kind in ("integer", "number"):
        words = "a whole number" if kind == "integer" else "a number"
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        if "minimum" in schema and "maximum" in schema:
            return words + f" from {_number(schema['minimum'])} to {_number(schema['maximum'])}"
        if low is not None:
            words += f" {'>' if 'exclusiveMinimum' in schema else '>='} {_number(low)}"
        if high is not None:
            words += f" {'<' if 'exclusiveMaximum' in schema else '<='} {_number(high)}"
        return words
    if kind == "boolean":
        return "true or false"
    if kind == "array":
        return "a list" + (f" of at most {schema['maxItems']} items" if "maxItems" in schema else "")
    if kind == "object":
        return "an object"
    if "anyOf" in schema:
        return " or ".join(_expected(s) for s in schema["anyOf"])
    return "a value of the documented type"


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _problem(error: dict[str, Any], schema: dict[str, Any] | None) -> str:
    """One validation error in trusted words: built from the error type and the schema, never the input."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    input_value = error.get("input")
    if kind == "missing":
        return "is required"
    if kind in ("string_too_long", "too_long"):
        size = len(input_value) if isinstance(input_value, str | list | dict) else None
        limit = ctx.get("max_length")
        unit = "characters" if kind == "string_too_long" else "items"
        got = f"{size} {unit}; " if size is not None else ""
        return f"is too long ({got}the limit is {limit})"
    if kind in ("string_too_short", "too_short"):
        return f"is too short (at least {ctx.get('min_length')})"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return "is out of range"
    if kind in ("literal_error", "enum"):
        return "is not one of the allowed values"
    if kind == "finite_number":
        return "is not a finite number"
    if kind.endswith("_type") or kind.endswith("_parsing") or kind in ("int_from_float", "json_invalid"):
        return "has the wrong type"
    return "is not valid"


def describe(tool: str, exc: ValidationError, input_schema: dict[str, Any] | None, kind: str = "") -> str:
    """The message for a failed argument validation (trusted text only)."""
    props = (input_schema or {}).get("properties", {})
    lines = []
    seen: set[str] = set()
    for error in exc.errors():
        loc = error.get("loc") or ()
        arg = str(loc[0]) if loc else ""
        if arg not in props:
            # the location is caller-controlled only for names the schema does not know; don't echo those
            arg = "" if not loc else ("(an argument)" if not _SAFE_NAME.fullmatch(arg) else arg)
        if arg in seen:
            continue
        seen.add(arg)
        schema = props.get(arg)
        what = _expected(schema)
        hint = f" ({schema['description']})" if schema and schema.get("description") else ""
        name = f"'{arg}'" if arg else "the arguments"
        lines.append(f"- {name} {_problem(dict(error), schema)}: pass {what}{hint}")
        if len(lines) >= MAX_PROBLEMS:
            break
    return (f"Invalid arguments for {kind}{tool}; nothing was done. Correct these and call again:\n" + "\n".join(lines))


def _error_result(text: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


class ArgumentErrors:
    """Server middleware: pre-validate tools/call arguments and answer failures without echoing input."""

    def __init__(self, app: MCPServer):
        self.app = app
        self._prompts: dict[str, Any] = {}
        self._tools: dict[str, Tool] = {}  # what each registered tool validates its arguments with
        self._prompt_objects: dict[str, Prompt] = {}
        self._record_registrations()

    def _record_registrations(self) -> None:
        """Keep the tools and prompts as they are registered (through the server's public add_tool / add_prompt /
        remove_tool), so their argument models are known without reaching into the SDK's managers."""
        add_tool, add_prompt, remove_tool = self.app.add_tool, self.app.add_prompt, self.app.remove_tool

        def recording_add_tool(fn: Any, name: str | None = None, **options: Any) -> None:
            add_tool(fn, name=name, **options)
            tool = Tool.from_function(fn, name=name, structured_output=options.get("structured_output"))
            self._tools[tool.name] = tool

        def recording_add_prompt(prompt: Prompt) -> None:
            add_prompt(prompt)
            self._prompt_objects[prompt.name] = prompt
            self._prompts.pop(prompt.name, None)

        def recording_remove_tool(name: str) -> None:
            remove_tool(name)
            self._tools.pop(name, None)

        self.app.add_tool = recording_add_tool  # type: ignore[method-assign,assignment]
        self.app.add_prompt = recording_add_prompt  # type: ignore[method-assign]
        self.app.remove_tool = recording_remove_tool  # type: ignore[method-assign]

    def _tool(self, name: str) -> Tool | None:
        return self._tools.get(name)

    def _prompt_arguments(self, name: str) -> Any:
        """The argument model and schema of a prompt (the SDK keeps only a validating wrapper of the function)."""
        if name not in self._prompts:
            from mcp.server.mcpserver.utilities.func_metadata import func_metadata

            prompt = self._prompt_objects.get(name)
            fn = getattr(getattr(prompt, "fn", None), "__wrapped__", None)
            if prompt is None or fn is None:
                self._prompts[name] = None
            else:
                skip = [prompt.context_kwarg] if prompt.context_kwarg else []
                meta = func_metadata(fn, skip_names=skip, structured_output=False)
                self._prompts[name] = (meta, meta.arg_model.model_json_schema())
        return self._prompts[name]

    async def _check_prompt(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        params = ctx.params or {}
        name, arguments = params.get("name"), params.get("arguments")
        if isinstance(name, str) and (arguments is None or isinstance(arguments, dict)):
            found = self._prompt_arguments(name)
            if found is not None:
                meta, schema = found
                try:
                    meta.validate_arguments(arguments or {})
                except ValidationError as exc:
                    raise MCPError(INVALID_PARAMS, describe(name, exc, schema, kind="the prompt ")) from None
                except Exception:
                    pass
        return await call_next(ctx)

    async def __call__(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        if ctx.method == "prompts/get" and isinstance(ctx.params, dict):
            return await self._check_prompt(ctx, call_next)
        if ctx.method != "tools/call" or not isinstance(ctx.params, dict):
            return await call_next(ctx)
        name = ctx.params.get("name")
        arguments = ctx.params.get("arguments")
        if not isinstance(name, str) or not (arguments is None or isinstance(arguments, dict)):
            return await call_next(ctx)  # malformed request: the protocol layer answers INVALID_PARAMS
        tool = self._tool(name)
        if tool is None:
            shown = f" {name!r}" if _SAFE_NAME.fullmatch(name) else ""
            return _error_result(f"Unknown tool{shown}: list the tools (tools/list) and call one of those by its exact name.")
        try:
            tool.fn_metadata.validate_arguments(arguments or {})
        except ValidationError as exc:
            fields = sorted({str(e["loc"][0]) for e in exc.errors() if e.get("loc")} & set(tool.parameters.get("properties", {})))
            log.info("tool %s: arguments rejected (%s)", name, ", ".join(fields) or "shape")
            return _error_result(describe(name, exc, tool.parameters))
        except Exception:  # a validator that crashes is a bug; let the SDK report it without detail
            return await call_next(ctx)
        return _scrub(await call_next(ctx))


def _scrub(result: HandlerResult) -> HandlerResult:
    """Safety net: an error text that still carries pydantic's echo of an input value is replaced."""
    if isinstance(result, CallToolResult):
        is_error, texts = result.is_error, [b.text for b in result.content if isinstance(b, TextContent)]
    elif isinstance(result, dict):
        is_error = result.get("isError") is True
        texts = [b.get("text", "") for b in result.get("content") or [] if isinstance(b, dict)]
    else:
        return result
    if is_error and any("input_value=" in str(t) for t in texts):
        return _error_result("The tool rejected a value while running; check the arguments against the tool's "
                             "input schema and call again.")
    return result


def install(app: MCPServer) -> MCPServer:
    app.middleware.append(ArgumentErrors(app))
    return app
