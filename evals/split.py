"""Split a blind case set into its tuning part and its held-out part, by a hash of each case id.

    python evals/split.py evals/blind/<kind>

Moves `cases/*.yaml` into `tune/` and `holdout/`. A case is held out when the first byte of the SHA-256 of its
id is below 103 (about 40%): nobody chooses which cases are held out, and the split never changes.
"""

import hashlib
import sys
from pathlib import Path

HOLDOUT_BELOW = 103  # of 256: about 40%


def held_out(case_id: str) -> bool:
    return hashlib.sha256(case_id.encode()).digest()[0] < HOLDOUT_BELOW


def split(folder: Path) -> tuple[int, int]:
    tune, holdout = folder / "tune", folder / "holdout"
    tune.mkdir(exist_ok=True)
    holdout.mkdir(exist_ok=True)
    counts = [0, 0]
    for case in sorted((folder / "cases").glob("*.yaml")):
        out = held_out(case.stem)
        case.rename((holdout if out else tune) / case.name)
        counts[out] += 1
    if (folder / "cases").exists() and not any((folder / "cases").iterdir()):
        (folder / "cases").rmdir()
    return counts[0], counts[1]


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(arg, "tune %d, held out %d" % split(Path(arg)))
