"""A throwaway PostgreSQL cluster on a loopback port, from the server binaries Debian's `postgresql` package installs.

Used by the test session when $CUSTOMER_ESCALATION_TEST_POSTGRES is not set, and by .ci/run:

    python -m tests.pg_cluster start DIR   # prints the URL of a running cluster whose files are in DIR
    python -m tests.pg_cluster stop DIR

PostgreSQL refuses to run as root: as root, DIR is given to the `postgres` user and the server runs as that user.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

URL_ENV = "CUSTOMER_ESCALATION_TEST_POSTGRES"
USER = "escalations"


def server_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise RuntimeError("PostgreSQL's server binaries are not installed (/usr/lib/postgresql/*/bin): apt-get install -y postgresql")
    return Path(found[-1]).parent


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(command: list[str]) -> None:
    done = subprocess.run(_as_owner(command), capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{Path(command[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}")


def start(folder: Path) -> str:
    """initdb (password auth) and start a cluster listening on 127.0.0.1 only; returns its URL. As root, `folder`'s
    parent must be one the postgres user can enter (/tmp is)."""
    binaries = server_bin()
    folder.mkdir(parents=True, exist_ok=True)
    data, password = folder / "data", secrets.token_urlsafe(16)
    (folder / "password").write_text(password + "\n")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(folder / "password", "postgres", "postgres")
    _run([str(binaries / "initdb"), "-D", str(data), "-U", USER, "--auth=scram-sha-256", f"--pwfile={folder / 'password'}",
          "-E", "UTF8", "--no-locale"])
    port = _free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c max_connections=200"
    _run([str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w", "start"])
    url = f"postgresql://{USER}:{password}@127.0.0.1:{port}/postgres"
    (folder / "url").write_text(url + "\n")
    return url


def stop(folder: Path) -> None:
    if (folder / "data" / "postmaster.pid").exists():
        subprocess.run(_as_owner([str(server_bin() / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "-w", "stop"]),
                       check=False, capture_output=True)


if __name__ == "__main__":
    action, where = sys.argv[1], Path(sys.argv[2])
    if action == "start":
        print(start(where))
    else:
        stop(where)
