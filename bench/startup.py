#!/usr/bin/env python3
"""How fast tjcheck starts and checks the shipped example, against Python's own start-up.

Runs each command several times in this process's Python and prints the median wall time
and its ratio to a bare `python -c pass` measured in the same run (this machine is noisy,
so ratios travel better than seconds). Usage: python bench/startup.py [--runs N] [--json]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "passing" / "profile.yaml"

COMMANDS = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "tjcheck --help": [sys.executable, "-m", "tjcheck", "--help"],
    "tjcheck rules": [sys.executable, "-m", "tjcheck", "rules"],
    "tjcheck verify (passing example)": [sys.executable, "-m", "tjcheck", "verify", str(EXAMPLE), "--exit-zero"],
}


def median_seconds(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                       env={"COLUMNS": "100", "PATH": "/usr/bin:/bin"})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {name: median_seconds(cmd, args.runs) for name, cmd in COMMANDS.items()}
    base = results["python -c pass (baseline)"]
    if args.json:
        print(json.dumps({name: {"seconds": round(s, 4), "ratio": round(s / base, 2)} for name, s in results.items()}))
        return
    for name, s in results.items():
        print(f"{name:36s} {s * 1000:7.0f} ms   {s / base:5.1f}× baseline")


if __name__ == "__main__":
    main()
