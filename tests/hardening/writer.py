"""A writer process for the store crash tests: saves drafts in a loop and prints each id once committed.

python -m tests.hardening.writer HOME TAG COUNT PAYLOAD_BYTES
Each draft's data carries its own sha256, so a reader can tell an intact record from a torn one.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from customer_escalation.store import Store


def record(tag: str, i: int, size: int) -> dict:
    body = (f"{tag}-{i}-" * (size // 8 + 1))[:size]
    return {"tag": tag, "i": i, "body": body, "sha": hashlib.sha256(body.encode()).hexdigest()}


def main() -> None:
    home, tag, count, size = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    store = Store(home, "empty")
    for i in range(count):
        draft_id = store.save_draft("chain", record(tag, i, size), f"{tag}_{i:05d}")
        print(draft_id, flush=True)  # printed only after the commit returned
    store.close()


if __name__ == "__main__":
    main()
