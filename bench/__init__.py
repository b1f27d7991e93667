"""Benchmarks for customer-escalation: what users feel (start, fan-out, search, context cost, a brief, scale).

Run: `.venv/bin/python -m bench` (see bench/README.md). Not part of the test run.
"""
