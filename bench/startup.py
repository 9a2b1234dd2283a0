#!/usr/bin/env python3
"""How fast tjcheck starts and checks the shipped example, against Python's own start-up.

Runs each command several times in this process's Python and prints the median (and the
fastest and slowest) wall time and the median's ratio to a bare `python -c pass` measured in
the same run (this machine is noisy, so ratios travel better than seconds). The two verify
runs read the example's documents (with the extra tjcheck[ocr]): "cold" with an empty cache
folder each time (every page read), "nothing changed" with the cache the cold runs filled.
Usage: python bench/startup.py [--runs N] [--json]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "passing" / "profile.yaml"

VERIFY = [sys.executable, "-m", "tjcheck", "verify", str(EXAMPLE), "--exit-zero"]
COMMANDS = {
    "python -c pass (baseline)": ([sys.executable, "-c", "pass"], None),
    "tjcheck --help": ([sys.executable, "-m", "tjcheck", "--help"], None),
    "tjcheck rules": ([sys.executable, "-m", "tjcheck", "rules"], None),
    "tjcheck verify, cold (empty cache)": (VERIFY, "fresh"),
    "tjcheck verify, nothing changed": (VERIFY, "filled"),
}


def seconds(cmd: list[str], cache: str | None, runs: int, filled: Path) -> list[float]:
    times = []
    for _ in range(runs):
        env = {"COLUMNS": "100", "PATH": "/usr/bin:/bin"}
        with tempfile.TemporaryDirectory() as fresh:
            if cache:
                env["TJCHECK_CACHE_DIR"] = fresh if cache == "fresh" else str(filled)
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as filled:
        subprocess.run(VERIFY, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                       env={"PATH": "/usr/bin:/bin", "TJCHECK_CACHE_DIR": filled})   # fill the cache once
        results = {name: seconds(cmd, cache, args.runs, Path(filled)) for name, (cmd, cache) in COMMANDS.items()}
    base = statistics.median(results["python -c pass (baseline)"])
    if args.json:
        print(json.dumps({name: {"seconds": round(statistics.median(t), 4), "fastest": round(min(t), 4),
                                 "slowest": round(max(t), 4), "ratio": round(statistics.median(t) / base, 2)}
                          for name, t in results.items()}))
        return
    for name, t in results.items():
        m = statistics.median(t)
        print(f"{name:36s} {m * 1000:7.0f} ms  ({min(t) * 1000:.0f}–{max(t) * 1000:.0f})  {m / base:6.1f}× baseline")


if __name__ == "__main__":
    main()
