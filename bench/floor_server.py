"""The floor for cold start: a bare MCPServer on the same SDK with one trivial tool, over stdio.

Nothing a real server could start faster than: the interpreter, the SDK, one tool.
"""

from mcp.server.mcpserver import MCPServer

app = MCPServer("floor")


@app.tool()
def ping() -> str:
    """Answers pong."""
    return "pong"


if __name__ == "__main__":
    app.run()
