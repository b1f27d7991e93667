"""`serve --transport http` never starts without auth by accident: an empty or blank token is refused, not "no auth".

The attack this covers: `--token-file EMPTY --allowed-host escalations.example.com --enable-writes` with a valid
$CUSTOMER_ESCALATION_HTTP_TOKEN set used to start with "auth: none" and serve every tool, write tools included, to
anyone reaching it through the proxy. Every variant must exit 2 with a message naming the setting to fix, before
anything listens, and never print a token.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from customer_escalation.http import ServeError, load_token
from tests.serving import TOKEN, free_port, serve_command

VALID = {"CUSTOMER_ESCALATION_HTTP_TOKEN": TOKEN}


def start(tmp_path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run serve as users do; a server that starts instead of refusing runs until the timeout (the test then fails)."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("CUSTOMER_ESCALATION_")}
    full = {**inherited, "CUSTOMER_ESCALATION_HOME": str(tmp_path / "home"), **env}
    return subprocess.run(serve_command("--port", str(free_port()), "--workspace", "empty", *args), env=full,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def empty_file(tmp_path):
    path = tmp_path / "token"
    path.write_text("")
    path.chmod(0o600)
    return path


def test_an_empty_token_file_does_not_turn_auth_off_even_with_a_valid_token_set(tmp_path, empty_file):
    r = start(tmp_path, "--token-file", str(empty_file), "--allowed-host", "escalations.example.com", "--enable-writes",
              env=VALID)
    assert r.returncode == 2, r.stderr
    assert "refusing to start" in r.stderr and str(empty_file) in r.stderr and "empty" in r.stderr
    assert TOKEN not in r.stderr + r.stdout
    assert "auth: none" not in r.stderr


@pytest.mark.parametrize("variant", ["blank variable", "whitespace file", "file variable to an empty file",
                                     "empty --token-file", "blank file variable"])
def test_every_blank_token_source_is_refused_at_start(tmp_path, empty_file, variant):
    blank = tmp_path / "blank"
    blank.write_text("  \n\t\n")
    args: list[str] = []
    env: dict[str, str] = {}
    if variant == "blank variable":
        env = {"CUSTOMER_ESCALATION_HTTP_TOKEN": "   "}
    elif variant == "whitespace file":
        args = ["--token-file", str(blank)]
    elif variant == "file variable to an empty file":
        env = {**VALID, "CUSTOMER_ESCALATION_HTTP_TOKEN_FILE": str(empty_file)}
    elif variant == "empty --token-file":
        args, env = ["--token-file", ""], VALID
    else:
        env = {**VALID, "CUSTOMER_ESCALATION_HTTP_TOKEN_FILE": ""}
    r = start(tmp_path, *args, env=env)  # loopback: even where a token is optional, a blank one is a mistake
    assert r.returncode == 2, r.stderr
    assert "refusing to start" in r.stderr and ("empty" in r.stderr or "blank" in r.stderr)
    assert "Traceback" not in r.stderr and TOKEN not in r.stderr


def test_a_name_beyond_this_machine_needs_a_token(tmp_path):
    """--allowed-host for a public name means a proxy forwards to this server: loopback binding is no protection then."""
    r = start(tmp_path, "--allowed-host", "escalations.example.com", "--enable-writes", env={})
    assert r.returncode == 2
    assert "--allowed-host escalations.example.com" in r.stderr and "--token-file" in r.stderr


@pytest.mark.parametrize("env,file_text,expected", [
    ({}, None, None),  # nothing configured: no token (loopback-only serving decides the rest)
    (VALID, None, TOKEN),
    ({}, f"{TOKEN}\n", TOKEN),
    (VALID, "other-token-from-the-file-0123\n", "other-token-from-the-file-0123"),  # the file wins over the variable
])
def test_configured_tokens_still_load(tmp_path, env, file_text, expected):
    path = None
    if file_text is not None:
        path = tmp_path / "token"
        path.write_text(file_text)
        path.chmod(0o600)
    assert load_token(str(path) if path else None, env) == expected


def test_an_unreadable_token_file_is_named_without_its_content(tmp_path):
    path = tmp_path / "token"
    path.write_bytes(b"\xff\xfe" + TOKEN.encode())
    with pytest.raises(ServeError) as err:
        load_token(str(path), {})
    assert str(path) in str(err.value) and TOKEN not in str(err.value)
