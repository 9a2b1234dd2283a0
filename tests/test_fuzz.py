"""Fuzzing (issue 10, item 3): no input, however odd, ends in an internal error, a traceback,
a hang, a memory blow-up, a changed input file or a leaked ID/phone number.

The generator and runner are in tests/fuzzing.py (shared with bench/fuzz.py, which runs the
large versions and reproduces a single input: ``python bench/fuzz.py --seed 20261126
--replay ID``). Here: a fixed seed, 240 mutated profiles, 60 mutated images and 4 batches,
each through the real command line, every run bounded to 20 s and 1.5 GB.
"""
from __future__ import annotations

import json

from .fuzzing import INFO, KINDS, Config, Corpus, RunSpec, Unit, changed, judge, make_unit, prepare_pool, run_fuzz, \
    snapshot

SEED = 20261126


def explain(summary: dict) -> str:
    lines = [json.dumps({k: summary[k] for k in ("inputs", "runs", "seconds", *KINDS)})]
    for c in summary["classes"]:
        if c["kind"] not in INFO:
            lines.append(f"[{c['kind']}] {c['class']} — {c['units']} inputs, e.g. "
                         f"python bench/fuzz.py --seed {summary['seed']} --replay {c['examples'][0]}")
    return "\n".join(lines)


def test_fuzzed_profiles_images_and_batches(tmp_path, bad_dir):
    cfg = Config(seed=SEED, profiles=240, images=60, batches=4, jobs=2, as_of="2026-11-26", bad_dir=bad_dir)
    summary = run_fuzz(cfg, workdir=tmp_path / "fuzz")
    assert summary["inputs"] == 304 and summary["fuzzer_errors"] == 0, explain(summary)
    assert {k: summary[k] for k in KINDS if summary[k]} == {}, explain(summary)


# --------------------------------------------------------------------------- the harness itself

def test_generation_is_deterministic(tmp_path, bad_dir):
    corpus = Corpus()
    prepare_pool(tmp_path, corpus, bad_dir)
    cfg = Config(seed=7)
    for uid in ("p00003", "i00001", "b0000"):
        a, b = make_unit(corpus, cfg, uid), make_unit(corpus, cfg, uid)
        assert [(f.rel, f.kind, f.data, f.target) for f in a.files] == [(f.rel, f.kind, f.data, f.target) for f in b.files]
        assert [r.argv for r in a.runs] == [r.argv for r in b.runs]
    assert make_unit(corpus, cfg, "p00003").files != make_unit(corpus, Config(seed=8), "p00003").files


def _verdicts(res: dict, report: str = "", argv=("verify", "profile.yaml", "--format", "plain")) -> set[str]:
    unit = Unit("p00000", "profile", pii=["120104198803150243", "13812345678"],
                profile_text=b'id_number: "120104198803150243"\nmobile: "13812345678"\n')
    base = {"code": 1, "stdout": b"", "stderr": b"", "log": b"", "wall": 0.5}
    return {kind for kind, _ in judge(unit, RunSpec(list(argv)), {**base, **res}, report, 20.0)}


def test_judgement_of_one_run():
    assert _verdicts({}) == set()
    assert _verdicts({"code": 2, "stderr": "tjcheck: profile.yaml:3 不是日期".encode()}) == set()
    assert _verdicts({"code": 3, "stderr": "tjcheck: 内部错误 / internal error: ValueError: x".encode()}) == {"exit3"}
    assert _verdicts({"log": b"Traceback (most recent call last):\n  File x\nKeyError: 1\n"}) == {"tracebacks"}
    assert _verdicts({}, report="<td>内部错误，未能检查（KeyError）</td>", argv=("batch", "staff")) == {"tracebacks"}
    assert _verdicts({"hang": 20.0}) == {"hangs"}
    assert _verdicts({"memory": 2000.0}) == {"memory"}
    assert _verdicts({"crash": "SIGSEGV"}) == {"crashes"}
    assert _verdicts({"stdout": "证件号码 120104198803150243".encode()}) == {"pii_leaks"}
    assert _verdicts({"stdout": "手机号 138****5678，证件号码 120104********0243".encode()}) == set()
    assert _verdicts({"stdout": b"name \x1b[31mred"}) == {"raw_control"}


def test_changed_inputs_are_found(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "profile.yaml").write_text("version: 1\n")
    (tmp_path / "a" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    cache: dict = {}
    before = snapshot(tmp_path, cache)
    (tmp_path / "a" / "photo.jpg").write_bytes(b"\xff\xd8\xfe")
    (tmp_path / "a" / "new_profile.yaml").write_text("version: 1\n")
    (tmp_path / "a" / "stray.tmp").write_text("")
    after = snapshot(tmp_path, cache)
    found = changed(before, after, ["a/new_profile.yaml"])
    assert found == ["a/photo.jpg (modified)", "a/stray.tmp (new)"]
    assert changed(before, before, []) == []
