"""customer-escalation: escalation briefs support teams can act on, as an agent skill and MCP server."""

__version__ = "0.1.0"
