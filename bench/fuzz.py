#!/usr/bin/env python3
"""Fuzz tjcheck through its command line: no exit 3, no traceback, no hang, no memory blow-up.

    python bench/fuzz.py --profiles N --images M [--json] [--seed S] [--jobs J]
                         [--batches B] [--timeout SEC] [--memory MB] [--keep DIR]
    python bench/fuzz.py --seed S --replay ID [--keep DIR] [--no-debug]

Generates N mutated profiles, M mutated images and B batches (default one per 40 profiles),
deterministically from the seed, and runs each through `tjcheck verify` (and for some
`fix`, `merge`, `init --answers`, `batch --report`) the way a user runs them; the
generator, the runner and the judgement are in tests/fuzzing.py (its docstring says what
each counter means). Runs happen in J long-lived worker processes (default 2) calling
`tjcheck.cli.main()` in-process; each run is bounded in time (default 20 s, a batch three
times that) and memory (default 1536 MB over the worker and its children).

With --json, one object: {"inputs", "exit3", "hangs", "tracebacks", "memory", "crashes",
"changed_inputs", "pii_leaks", "unreadable_output", and informational "raw_control", "slow",
"altered_text"; "profiles", "images", "batches", "runs", "seconds", "cpu_seconds",
"exit_codes", "run_seconds", "slowest", "classes": [{"kind", "class", "units", "examples"}],
"examples": [...]}; counters count inputs (a unit with two failing runs counts once). Without
it, a readable summary with each failure class, its count and how to reproduce an example.

--replay ID rebuilds that one input (same seed) in DIR (default: a new folder under /tmp,
kept), prints the shell commands and runs them with TJCHECK_DEBUG=1, so an internal error
shows its traceback. --keep DIR (with a run) copies the folders of failing inputs there.
Runs as root drop the capabilities that bypass file permissions (so a file without read
permission behaves as it does for a user). 10,000 profiles and 1,000 images took 37 minutes
on this 2-core machine before the fixes of issue 10 (51 of those inputs hung for 20 s each).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzzing import INFO, KINDS, Config, replay, run_fuzz  # noqa: E402


def readable(summary: dict) -> str:
    lines = [f"tjcheck fuzz, seed {summary['seed']}: {summary['inputs']} inputs "
             f"({summary['profiles']} profiles, {summary['images']} images, {summary['batches']} batches), "
             f"{summary['runs']} runs in {summary['seconds']:.0f} s ({summary['cpu_seconds']:.0f} CPU-seconds in the workers)",
             "  " + ", ".join(f"{k} {summary[k]}" for k in KINDS + INFO),
             f"  exit codes over all runs: {summary['exit_codes']}"]
    if summary.get("fuzzer_errors"):
        lines.append(f"  fuzzer errors (a bug of the fuzzer, not of tjcheck): {summary['fuzzer_errors']}")
    if summary["classes"]:
        lines.append("\nFailure classes (inputs; examples):")
        for c in summary["classes"]:
            lines.append(f"  [{c['kind']}] {c['class']}\n      {c['units']} inputs; e.g. {', '.join(c['examples'])}")
        seen = set()
        lines.append("\nReproduce an example (rebuilds the input, runs it with TJCHECK_DEBUG=1):")
        for c in summary["classes"]:
            if c["kind"] in INFO or c["examples"][0] in seen:
                continue
            seen.add(c["examples"][0])
            lines.append(f"  python bench/fuzz.py --seed {summary['seed']} --replay {c['examples'][0]}"
                         f"    # {c['class'][:90]}")
    else:
        lines.append("no failure.")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--profiles", type=int, default=200, help="mutated profiles")
    ap.add_argument("--images", type=int, default=50, help="mutated images")
    ap.add_argument("--batches", type=int, default=None, help="tjcheck batch runs (default: one per 40 profiles)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2, help="worker processes")
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per run (a batch: three times)")
    ap.add_argument("--memory", type=int, default=1536, help="MB, the worker and its children")
    ap.add_argument("--as-of", default=None, help="--as-of for runs that have none of their own")
    ap.add_argument("--json", action="store_true", help="one JSON object on stdout")
    ap.add_argument("--keep", type=Path, default=None, metavar="DIR",
                    help="copy failing inputs here (with --replay: build the input here)")
    ap.add_argument("--replay", default=None, metavar="ID", help="rebuild one input (e.g. p00057) and run it")
    ap.add_argument("--no-debug", action="store_true", help="replay without TJCHECK_DEBUG")
    ap.add_argument("--quiet", action="store_true", help="no progress lines")
    args = ap.parse_args()
    cfg = Config(seed=args.seed, profiles=args.profiles, images=args.images, batches=args.batches, jobs=args.jobs,
                 time_bound=args.timeout, memory_mb=args.memory, as_of=args.as_of, keep_failures=args.keep,
                 progress=not args.quiet)   # progress lines go to stderr
    if args.replay:
        dest = args.keep or Path(tempfile.mkdtemp(prefix=f"tjfuzz-{args.replay}-"))
        dest.mkdir(parents=True, exist_ok=True)
        print("\n".join(replay(cfg, args.replay, dest, debug=not args.no_debug)))
        print(f"# files kept in {dest}")
        return 0
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    summary = run_fuzz(cfg)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(readable(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
