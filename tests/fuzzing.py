"""Fuzzing tjcheck through its command line (issue 10, item 3): the generator and the runner.

Used by ``tests/test_fuzz.py`` (a few hundred inputs, fixed seed) and ``bench/fuzz.py``
(large runs, figures, reproducers).

**Inputs.** Everything is generated from the seed; each input ("unit") from its own random
stream (``random.Random(f"{seed}:{id}")``, ids p00000…, i00000…, b0000…), so any one can be rebuilt
alone (``bench/fuzz.py --replay ID``). Three kinds:
- ``p…`` a mutated profile: a base (examples/passing, examples/failing, examples/photo-bangs
  or a case of tests/cases.yaml applied to passing) with YAML-aware mutations of its data
  (values of another type, dates at the edges, odd unicode and terminal/markup text, deleted,
  unknown keys, huge or long values), of its text (anchors and aliases, recursive ones
  included, duplicated keys, tags, deep nesting, several documents), of its bytes (flips,
  truncation, insertion, GBK/UTF-16/UTF-32, line endings) and of its image slots (a symlink
  loop, a name too long, a NUL byte, a folder, a file without read permission, /dev/zero,
  /dev/urandom, a FIFO, /proc/self/status, absolute and ``..`` paths, file names with rich
  markup or ANSI escapes that really exist).
- ``i…`` a mutated image (truncated, bit-flipped, a header declaring a huge canvas, a wrong
  format — PDF, ZIP, HEIC/AVIF-like ``ftyp`` boxes, GIF, BMP, WebP, multi-page TIFF —, empty,
  EXIF orientation garbage) put into a profile's photo or attachment slot.
- ``b…`` a ``tjcheck batch`` over a folder of several mutated staff folders (some with a
  mutated ID photo, some with markup or escapes in the name or ID number).
Profiles that ``init`` or ``fix`` will rewrite often carry a text a YAML writer must quote or
must not fold (over 10,000 characters with spaces, U+0085, ``# x``, ``key: v`` …).

**Runs.** Each unit is laid out in its own folder (the example images are hard links to one
pool) and goes through the real command line as a user types it: ``verify`` (rich, plain,
json; sometimes ``--select``, ``--as-of`` with odd dates, ``--lang en``), and for some units
``fix -o``, ``merge -o``, ``init --answers``, ``batch --report``. Runs happen in long-lived
worker processes (spawn) that call ``tjcheck.cli.main()`` in-process with ``sys.argv`` set
and stdout/stderr captured, exactly as the console script does (``TJCHECK_DEBUG`` unset, so
``main()``'s catch-all produces exit 3). A worker is its own process group with the
capabilities that let root read anything dropped (so a file without read permission is
unreadable, as for a normal user); its own fds 1/2 (native libraries, batch pool children)
go to a log that is scanned too. The parent bounds each run's time (kills the group: a
hang) and watches the resident memory of the worker and its children (a memory blow-up).

**Judgement per unit** (a unit counts once per kind of failure, whatever the number of runs):
exit3 — a run exited with 3 (main's catch-all: an uncaught exception, a bug);
tracebacks — "Traceback (most recent call last)" anywhere in the output, or "内部错误"
outside an exit-3 run (a batch row or report of a person not checked because of a bug);
hangs — a run over the time bound; memory — a process over the memory bound;
crashes — the worker died (a signal); changed_inputs — a file or folder of the input
changed or appeared (outputs excepted); pii_leaks — the profile's 18-character ID number or
11-digit mobile in full in any output or report (``--show-pii`` is never given);
unreadable_output — a profile written by ``init`` or ``fix`` that ``verify`` refuses (exit 2)
although the profile it came from was readable.
Informational (counted, listed, not failures): raw_control — a terminal control character
(C0/C1, ESC, DEL, CR) in the text output; slow — a run over half the time bound;
altered_text — the written profile holds another text than the input in the field the
generator filled for the writer. Exit codes 0, 1, 2 and 130 are all fine.
"""
from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import json
import os
import random
import re
import shlex
import shutil
import signal
import stat
import struct
import sys
import tempfile
import threading
import time
import traceback
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CASES = ROOT / "tests" / "cases.yaml"
TJCHECK_DIR = str(ROOT / "tjcheck") + os.sep

TIME_BOUND = 20.0          # seconds per run (a batch run gets BATCH_FACTOR times this)
BATCH_FACTOR = 3.0
MEMORY_BOUND_MB = 1536     # resident memory of the worker and its children
INTERNAL = "内部错误"
TRACEBACK = "Traceback (most recent call last)"

BASES = ("passing", "failing", "photo-bangs")

# --------------------------------------------------------------------------- value pools

DATE_EDGES = [
    "0001-01", "0001-01-01", "9999-12", "9999-12-31", "0000-00", "0000-01", "2024-02-29", "2023-02-29",
    "2010年7月", "2010年07月01日", "2010.7", "2010/7/1", "10000-01", "9990-01", "9999-01", "1900-01",
    "2010-13", "2010-00", "2010-7-32", "20100701", "2010", "-2010-01", "２０１０-07", "2010-07-01T00:00:00",
    "至今", "在读", "现在", " 2010-07 ", "1-1-1", "2026-11", "2026-12", "2027-01", "1970-01", "0999-12",
    "2010年13月", "2010年0月", "9999年12月31日", "2010-07-", "2010--07", "二〇一〇年七月",
]
ODD_TEXT = [
    "１２０１０４１９８８０３１５０２４３", "\u0085", "a\u0085b", "a\u2028b", "a\u2029b", "\ufeff李晓雯", "\u202e李晓雯\u202c",
    "\u2066x\u2069", "\x1b[31m红\x1b[0m", "\x1b]0;pwned\x07", "\x1b[2J\x1b[H", "\x1b[1A\x1b[2K", "\x07", "\x00", "a\x00b",
    "[/]", "[red]", "[link=https://example.com]点我[/link]", "[bold]李[/bold]", "\\[red]", "[", "]", "[/red]",
    "[#ff0000 on blue]x", ":smile:", "\t", "a\r\nb", "a\rb", "\r", "😀", "e\u0301", "\u200b", "\ufffd",
    "％ｓ%s{0}{name}", "'\"", "\\", "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "+86 ",
    "\x7f", "\x9b31m", "\u3000", " ", "", "\ud800",
]
HUGE_NUMBERS = [0, -1, 1, 2 ** 63, 10 ** 30, -10 ** 30, 1e308, 1.5, -0.0, 10 ** 400, "1e400", "99999999999999999999999"]
SPECIAL_FLOATS = ["inf", "-inf", ".inf", "-.inf", ".nan", ".NaN", "NaN", "nan"]
SCALAR_WORDS = ["null", "~", "true", "false", "yes", "no", "on", "0", "0x1F", "0o17", "1_000", "1e5", "是", "否"]
SELECTS = ["PH", "ID007", "AT", "FA", "ED", "WK", "EL", "TL", "MD", "BI", "RG", "zz", "", "[red]", "ED,WK", "id"]
AS_OF = ["2026-11-26", "2024-02-29", "0001-01-01", "9999-12-31", "2026-02-30", "yesterday", "", "2026-11-26T00:00",
         "２０２６-１１-２６", "1970-01-01", "2027-12-31", "2028-02-29", "2100-01-01"]
ODD_KEYS = ["extra", "名字", "[red]", "\x1b[31m", "password", "密码", "Password", "__proto__", "id_number ", "Basic",
            "0", "-", "a" * 300, "registration", "photo"]
PROFILE_NAMES = ["档案.yaml", "p[red]x.yaml", "p\x1b[31mx.yaml", "profile.yml", "profile", "p [link=x]y[/link].yaml",
                 "p\u202eLMAY.yaml"]
IMAGE_SLOTS = [("basic", "photo"), ("basic", "id_front"), ("basic", "id_back"), ("basic", "residence_permit"),
               ("realname", "id_front"), ("realname", "id_back"), ("realname", "id_handheld"),
               ("education", 0, "diploma_image"), ("education", 0, "degree_image"), ("work", 0, "proof_image"),
               ("work", 0, "posts", 0, "proof_image"), ("title", "certificate_image")]
DATE_KEYS = {"birth_date", "start", "end", "appointed", "obtained"}
TEXT_SLOTS = [("basic", "address"), ("work", 0, "employer"), ("work", 0, "address"), ("education", 0, "school"),
              ("education", 0, "major"), ("registration", "name"), ("realname", "city"), ("title", "name")]
# texts a profile writer must quote, escape or keep on one line ("LONG": over 10,000 characters with spaces)
WRITER_TEXT = ["LONG", "LONG", "a\u0085b", "a\u2028b", "a\u2029b", "line1\nline2", " leading", "trailing ", "'quote",
               '"dq', "# hash", "key: value", "- dash", "@at", "`tick", "*star", "&amp", "!bang", "%pct", "{brace}",
               "[bracket]", "|pipe", ">gt", "? q", "a\tb", "null", "true", "2010-07", "0123", "1e5", "~", "\ufeffbom",
               "a\x1b[31mb", "\x00", "a\rb", "...", "---", "x #y", "\\", "😀", "\u200b"]


def _long(rng: random.Random) -> str:
    n = rng.choice([300, 5_000, 12_000, 300_000])
    if rng.random() < 0.5:
        return ("很长的地址 " * (n // 6 + 1))[:n]
    return rng.choice("A字0") * n


def odd_value(rng: random.Random):
    """A replacement value of any type (the loader sees text, null, a list or a mapping)."""
    kind = rng.randrange(11)
    if kind == 0:
        return rng.choice([[], ["x"], [None], [[]], [{"a": 1}], list(range(rng.choice([2, 50, 3000])))])
    if kind == 1:
        return rng.choice([{}, {"a": "b"}, {"year": 2010, "month": 7}, {"": None}])
    if kind == 2:
        return rng.choice(HUGE_NUMBERS)
    if kind == 3:
        return rng.choice(SPECIAL_FLOATS + SCALAR_WORDS)
    if kind == 4:
        return None
    if kind == 5:
        return _long(rng)
    if kind == 6:
        return rng.choice(DATE_EDGES)
    if kind == 7:
        return rng.choice(ODD_TEXT)
    if kind == 8:
        return rng.choice([True, False, date(1, 1, 1), date(9999, 12, 31), date(2024, 2, 29)])
    return "".join(rng.choice(ODD_TEXT[:30]) for _ in range(rng.randint(2, 5)))


# --------------------------------------------------------------------------- the data tree

def _paths(data, prefix=()):
    """Every (path) in the tree, containers included."""
    out = []
    if isinstance(data, dict):
        for k, v in data.items():
            out.append(prefix + (k,))
            out.extend(_paths(v, prefix + (k,)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.append(prefix + (i,))
            out.extend(_paths(v, prefix + (i,)))
    return out


def _get(data, path):
    for p in path:
        data = data[p]
    return data


def _set(data, path, value) -> bool:
    try:
        parent = _get(data, path[:-1])
        if isinstance(parent, dict) or (isinstance(parent, list) and isinstance(path[-1], int)
                                        and path[-1] < len(parent)):
            parent[path[-1]] = value
            return True
    except (KeyError, IndexError, TypeError):
        pass
    return False


def _fmt(path) -> str:
    return ".".join(str(p) for p in path)


def mutate_data(data, rng: random.Random, tags: list[str]) -> object:
    op = rng.choices(["replace", "date", "delete", "unknown", "odd_text", "idnum", "section", "year", "list"],
                     [30, 14, 10, 6, 16, 8, 5, 4, 7])[0]
    paths = _paths(data) if isinstance(data, (dict, list)) else []
    if not paths:
        tags.append("data:root")
        return odd_value(rng)
    if op == "date":
        dated = [p for p in paths if p and p[-1] in DATE_KEYS] or paths
        p = rng.choice(dated)
        v = rng.choice(DATE_EDGES)
        _set(data, p, v)
        tags.append(f"date:{_fmt(p)}={v!r}")
    elif op == "replace":
        p = rng.choice(paths)
        v = odd_value(rng)
        _set(data, p, v)
        tags.append(f"value:{_fmt(p)}={_short(v)}")
    elif op == "delete":
        p = rng.choice(paths)
        parent = _get(data, p[:-1])
        with contextlib.suppress(Exception):
            del parent[p[-1]]
        tags.append(f"delete:{_fmt(p)}")
    elif op == "unknown":
        maps = [()] + [p for p in paths if isinstance(_get(data, p), dict)]
        p = rng.choice(maps)
        k = rng.choice(ODD_KEYS)
        with contextlib.suppress(Exception):
            _get(data, p)[k] = odd_value(rng)
        tags.append(f"unknown:{_fmt(p + (k,))}")
    elif op == "odd_text":
        strs = [p for p in paths if isinstance(_get(data, p), str)] or paths
        p = rng.choice(strs)
        old = _get(data, p)
        odd = rng.choice(ODD_TEXT)
        old = old if isinstance(old, str) else ""
        v = rng.choice([odd + old, old + odd, old[: len(old) // 2] + odd + old[len(old) // 2:], odd])
        _set(data, p, v)
        tags.append(f"text:{_fmt(p)}={_short(v)}")
    elif op == "idnum":
        key = rng.choice(["id_number", "mobile"])
        reg = data.setdefault("registration", {}) if isinstance(data, dict) else {}
        if not isinstance(reg, dict):
            reg = {}
        old = str(reg.get(key) or "120104198803150243")
        v = rng.choice([
            old.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}), " ".join(old), old + "[/]", "[/]" + old,
            "+86" + old, "+86 " + old, old.lower(), old[:-1], old + "0", old * 20, "\x1b[31m" + old, old + "\u0085",
            int(old) if old.isdigit() else old, [old], {"n": old}, old[:6] + "[red]" + old[6:],
        ])
        reg[key] = v
        tags.append(f"id:{key}={_short(v)}")
    elif op == "section":
        p = (rng.choice(["registration", "realname", "basic", "education", "work", "department", "title", "scope",
                         "version", "exam_year"]),)
        v = rng.choice([[], {}, "text", None, [None], [{}], {"0": {}}, 1, [[]]])
        if isinstance(data, dict):
            data[p[0]] = v
        tags.append(f"section:{p[0]}={_short(v)}")
    elif op == "year":
        v = rng.choice(["0", "-1", "9999", "10000", "2027.5", "二〇二七", "1e9", "2026", "2025", "2100", 2 ** 70, "inf"])
        if isinstance(data, dict):
            data[rng.choice(["exam_year", "version"])] = v
        tags.append(f"year={v!r}")
    else:   # lists: empty, many, odd items
        lists = [p for p in paths if isinstance(_get(data, p), list)]
        if lists:
            p = rng.choice(lists)
            lst = _get(data, p)
            choice = rng.randrange(4)
            if choice == 0:
                lst.clear()
            elif choice == 1 and lst:
                lst.extend(copy.deepcopy(lst[0]) for _ in range(rng.choice([5, 60])))
            elif choice == 2:
                lst.append(odd_value(rng))
            else:
                lst.reverse()
            tags.append(f"list:{_fmt(p)}#{choice}")
    return data


def _short(v, n: int = 40) -> str:
    r = repr(v)
    return r if len(r) <= n else r[:n] + f"…({len(r)})"


# --------------------------------------------------------------------------- text and bytes

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)   # libyaml: the generator stays cheap


def _load(text: str):
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def dump(data) -> str:
    # a huge width: one value per line, as a person writes it
    try:
        return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10 ** 6)
    except UnicodeEncodeError:   # a lone surrogate: only the Python emitter writes it (escaped)
        return yaml.dump(data, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=10 ** 6)


def mutate_text(text: str, rng: random.Random, tags: list[str]) -> str:
    """YAML-level edits of the text: anchors and aliases, keys, tags, nesting, documents."""
    lines = text.split("\n")
    op = rng.choice(["recursive", "alias", "laughs", "undefined", "merge", "dupkey", "tag", "deep", "docs",
                     "complexkey", "tabs", "flow", "manykeys", "directive"])
    tags.append(f"yaml:{op}")
    section = rng.choice(["education", "work", "registration", "basic", "title", "extra"])
    if op == "recursive":
        snippet = rng.choice([f"{section}: &r\n  - *r\n", f"{section}: &r [*r]\n", f"{section}: &r {{a: *r}}\n",
                              f"{section}: &r\n  x: &s\n    - *r\n    - *s\n",
                              f"{section}:\n  - &r [1, *r]\n"])
        return _replace_section(text, section, snippet)
    if op == "alias":   # plain, valid aliases: an anchored path used again, a section reused
        if rng.random() < 0.5 and text.count("images/id_front.jpg") >= 2:
            first, rest = text.split("images/id_front.jpg", 1)
            return first + "&f images/id_front.jpg" + rest.replace("images/id_front.jpg", "*f")
        return _replace_section(text, "department", "department: &d\n  district: 南开区\n  pledge: true\nextra: *d\n")
    if op == "laughs":
        depth = rng.choice([4, 6, 9])
        s = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in range(1, depth):
            prev = f"*a{i - 1}"
            s.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
        target = rng.choice(["education", "lol", "work"])
        return "\n".join(s) + "\n" + _replace_section(text, target, f"{target}: *a{depth - 1}\n")
    if op == "undefined":
        return _replace_section(text, section, f"{section}: *nope\n")
    if op == "merge":
        return _replace_section(text, "title", "base: &b {name: 会计师}\ntitle:\n  <<: *b\n  obtained: 2016-09\n")
    if op == "dupkey":
        idx = [i for i, ln in enumerate(lines) if re.match(r"^\s*[\w\-]+:", ln)]
        if idx:
            i = rng.choice(idx)
            lines.insert(i + 1, lines[i])
        return "\n".join(lines)
    if op == "tag":
        tag = rng.choice(["!!python/object/apply:os.system [\"echo pwned\"]", "!!python/name:os.system",
                          "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!custom x", "!!int 12", "!!float 1e5",
                          "!!timestamp 2010-07-01", "!!str x", "!!null ''", "!!bool yes", "!<tag:yaml.org,2002:str> x",
                          "!!int 0x7fffffffffffffffffff", "!!float .nan", "!!timestamp 9999-12-31", "!!map {a: 1}",
                          "!!seq [1]", "!!pairs [a: 1]"])
        idx = [i for i, ln in enumerate(lines) if re.match(r"^\s*[\w\-]+: \S", ln)]
        if idx:
            i = rng.choice(idx)
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {tag}"
        return "\n".join(lines)
    if op == "deep":
        n = rng.choice([60, 600, 5_000, 50_000])
        inner = rng.choice(["[" * n + "]" * n, "{a: " * n + "1" + "}" * n,
                            "".join("\n" + "  " * i + "- " for i in range(min(n, 400))) + "x"])
        return _replace_section(text, section, f"{section}: {inner}\n")
    if op == "docs":
        return rng.choice([text + "\n---\n" + text, "---\n" + text + "\n...\n", text + "\n---\n", "--- |\n  text\n",
                           "---\n---\n"])
    if op == "complexkey":
        return text + rng.choice(["\n? [a, b]\n: c\n", "\n1: x\n", "\nnull: x\n", "\n~: x\n", "\n? {a: b}\n: c\n",
                                  "\n\"\": x\n", "\n? |\n  long\n: x\n"])
    if op == "tabs":
        return text.replace("  ", "\t", rng.randint(1, 5))
    if op == "flow":
        return json.dumps(_load(text) if _safe(text) else {}, ensure_ascii=False, default=str)
    if op == "manykeys":
        n = rng.choice([5_000, 25_000])
        return text + "\nextra:\n" + "".join(f"  k{i}: v\n" for i in range(n))
    return rng.choice(["%YAML 1.1\n---\n", "%YAML 9.9\n---\n", "%TAG ! tag:x,2000:\n---\n", "%FOO bar\n---\n"]) + text


def _safe(text: str) -> bool:
    try:
        _load(text)
        return True
    except Exception:
        return False


def _replace_section(text: str, key: str, snippet: str) -> str:
    """Replace a top-level ``key:`` block by ``snippet`` (or append it)."""
    lines = text.split("\n")
    start = next((i for i, ln in enumerate(lines) if ln.startswith(key + ":")), None)
    if start is None:
        return text.rstrip("\n") + "\n" + snippet
    end = start + 1
    while end < len(lines) and (lines[end].startswith((" ", "\t", "#")) or not lines[end].strip()):
        end += 1
    return "\n".join(lines[:start] + snippet.rstrip("\n").split("\n") + lines[end:])


def mutate_bytes(raw: bytes, rng: random.Random, tags: list[str]) -> bytes:
    op = rng.choice(["flip", "truncate", "insert", "delete", "gbk", "utf16", "utf16le", "utf32", "latin1", "bom",
                     "crlf", "cr", "garbage", "empty", "huge", "nel"])
    tags.append(f"bytes:{op}")
    b = bytearray(raw)
    if op == "flip" and b:
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
    elif op == "truncate" and b:
        del b[rng.randrange(len(b)):]
    elif op == "insert":
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(b) + 1)
            b[i:i] = rng.choice([b"\x00", b"\xff", b"\x85", b"\xc2", b"\r", b"\t", b"\xef\xbb\xbf", b"\xe2\x80",
                                 bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 16)))])
    elif op == "delete" and b:
        i = rng.randrange(len(b))
        del b[i:i + rng.randint(1, 200)]
    elif op in ("gbk", "utf16", "utf16le", "utf32", "latin1"):
        codec = {"gbk": "gbk", "utf16": "utf-16", "utf16le": "utf-16-le", "utf32": "utf-32", "latin1": "latin-1"}[op]
        return raw.decode("utf-8", "replace").encode(codec, "replace")
    elif op == "bom":
        return rng.choice([b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]) + raw
    elif op == "crlf":
        return raw.replace(b"\n", b"\r\n")
    elif op == "cr":
        return raw.replace(b"\n", b"\r")
    elif op == "garbage":
        return raw + bytes(rng.getrandbits(8) for _ in range(rng.choice([10, 1000])))
    elif op == "empty":
        return rng.choice([b"", b"\n", b" ", b"\xef\xbb\xbf", b"---\n", b"~\n", b"[]\n", b"x\n"])
    elif op == "huge":
        return raw + b"#" + b" padding" * rng.choice([100_000, 300_000]) + b"\n"
    else:   # nel
        return raw.replace(b"\n", b"\xc2\x85", rng.randint(1, 3))
    return bytes(b)


# --------------------------------------------------------------------------- images

def _encode(im, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def base_images(pool: Path) -> dict[str, bytes]:
    """The images mutated by the ``i`` units (deterministic)."""
    from PIL import Image

    photo = Image.open(EXAMPLES / "passing" / "images" / "photo.jpg").convert("RGB")
    scan = Image.open(EXAMPLES / "passing" / "images" / "id_front.jpg").convert("RGB")
    out = {
        "photo.jpg": (EXAMPLES / "passing" / "images" / "photo.jpg").read_bytes(),
        "id_front.jpg": (EXAMPLES / "passing" / "images" / "id_front.jpg").read_bytes(),
        "diploma.jpg": (EXAMPLES / "passing" / "images" / "diploma.jpg").read_bytes(),
        "photo.png": _encode(photo, "PNG"),
        "rgba.png": _encode(photo.convert("RGBA"), "PNG"),
        "palette.png": _encode(photo.convert("P"), "PNG"),
        "gray16.png": _encode(photo.convert("I;16"), "PNG"),
        "anim.gif": _encode(photo.convert("P"), "GIF", save_all=True, append_images=[scan.resize(photo.size).convert("P")]),
        "photo.bmp": _encode(photo, "BMP"),
        "photo.webp": _encode(photo, "WEBP", quality=80),
        "lossless.webp": _encode(photo.convert("RGBA"), "WEBP", lossless=True, method=0),
        "pages.tiff": _encode(photo, "TIFF", save_all=True, append_images=[photo.rotate(90, expand=True)]),
        "progressive.jpg": _encode(photo, "JPEG", progressive=True, quality=90),
        "cmyk.jpg": _encode(photo.convert("CMYK"), "JPEG", quality=90),
        "gray.jpg": _encode(photo.convert("L"), "JPEG", quality=90),
        "photo.pdf": _encode(scan, "PDF"),
        "pages.pdf": _encode(scan, "PDF", save_all=True, append_images=[photo, scan]),
        "doc.zip": _zip(),
        "empty.jpg": b"",
        "bomb.png": _png_bomb(20_000, 20_000),
    }
    exif = photo.getexif()
    exif[0x0112] = 6
    out["rotated.jpg"] = _encode(photo, "JPEG", exif=exif, quality=90)
    try:   # a real HEIC, when pillow-heif can encode
        import pillow_heif

        pillow_heif.register_heif_opener()
        out["photo.heic"] = _encode(photo.resize((207, 290)), "HEIF", quality=50)
    except Exception:
        pass
    out["like.heic"] = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64 + out["photo.jpg"][:2000]
    out["like.avif"] = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + b"\x00" * 64
    return out


def _png_bomb(width: int, height: int) -> bytes:
    """A valid, all-black 1-bit PNG of that size: a few KB that decode to width×height pixels."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(6)
    block = row * 500
    idat = b"".join(packer.compress(block) for _ in range(height // 500)) + packer.compress(row * (height % 500)) + \
        packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)) +
            chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>" * 2000)
    return buf.getvalue()


def _huge(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Edit a header so that it declares a huge canvas."""
    b = bytearray(data)
    big = rng.choice([65535, 65500, 30000, 40000])
    if data[:2] == b"BM" and len(b) > 26:
        struct.pack_into("<ii", b, 18, big, rng.choice([big, -big]))
        return bytes(b), f"bmp {big}"
    if data[:4] == b"GIF8" and len(b) > 10:
        struct.pack_into("<HH", b, 6, 30000, 30000)
        i = b.find(b"\x2c", 13)
        if i > 0 and rng.random() < 0.5 and len(b) > i + 9:
            struct.pack_into("<HH", b, i + 5, 30000, 30000)
        return bytes(b), "gif 30000"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        struct.pack_into(">II", b, 16, big, rng.choice([big, 1, 2 ** 31 - 1]))
        if rng.random() < 0.7:
            struct.pack_into(">I", b, 29, zlib.crc32(bytes(b[12:29])) & 0xFFFFFFFF)
        return bytes(b), f"png {big}"
    if data[:3] == b"\xff\xd8\xff":
        for m in re.finditer(rb"\xff[\xc0\xc1\xc2]", bytes(b)):
            struct.pack_into(">HH", b, m.start() + 5, big, big)
            return bytes(b), f"jpeg {big}"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        end = "<" if data[:2] == b"II" else ">"
        ifd = struct.unpack_from(end + "I", b, 4)[0]
        n = struct.unpack_from(end + "H", b, ifd)[0]
        for k in range(n):
            e = ifd + 2 + 12 * k
            tag, typ = struct.unpack_from(end + "HH", b, e)
            if tag in (256, 257):
                if typ == 3:
                    struct.pack_into(end + "H", b, e + 8, 65535)
                else:
                    struct.pack_into(end + "I", b, e + 8, rng.choice([65535, 2 ** 31 - 1]))
        return bytes(b), "tiff huge"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        if data[12:16] == b"VP8X":
            b[24:30] = b"\xff\xff\xff\xff\xff\xff"
        elif data[12:16] == b"VP8 ":
            struct.pack_into("<HH", b, 26, 0x3FFF, 0x3FFF)
        elif data[12:16] == b"VP8L":
            b[21:25] = b"\xff\xff\xff\x0f"
        return bytes(b), "webp huge"
    if data[:4] == b"%PDF":
        s = re.sub(rb"/MediaBox\s*\[[^\]]*\]", rng.choice([b"/MediaBox [0 0 14400000 14400000]",
                                                         b"/MediaBox [0 0 1e30 1e30]", b"/MediaBox [0 0 0 0]",
                                                         b"/MediaBox [0 0 -5 99999]"]), bytes(b))
        return s, "pdf mediabox"
    return bytes(b), "no header"


def _exif_garbage(data: bytes, rng: random.Random) -> bytes:
    if data[:3] != b"\xff\xd8\xff":
        return data
    value = rng.choice([0, 9, 255, 65535, 8, 5])
    if rng.random() < 0.5:
        tiff = b"MM\x00*\x00\x00\x00\x08" + struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, value, 0) + \
            b"\x00\x00\x00\x00"
    else:   # malformed: a huge entry count, offsets past the end
        tiff = b"MM\x00*\x00\x00\x00\x08" + struct.pack(">H", rng.choice([65535, 3])) + \
            struct.pack(">HHII", 0x0112, 3, 2 ** 31, 2 ** 31) + struct.pack(">HHII", 0x8769, 4, 1, 99999999)
    app1 = b"Exif\x00\x00" + tiff
    return data[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + data[2:]


def mutate_image(images: dict[str, bytes], rng: random.Random, tags: list[str]) -> tuple[bytes, str]:
    """A mutated image and the file name it is given."""
    name = rng.choice(sorted(images))
    data = images[name]
    op = rng.choices(["valid", "truncate", "flip", "huge", "exif", "empty", "renamed", "prefix"],
                     [8, 18, 20, 22, 10, 3, 12, 7])[0]
    detail = ""
    if op == "truncate" and data:
        data = data[: rng.choice([rng.randrange(len(data)), 16, 100, len(data) - 2, len(data) // 2])]
    elif op == "flip" and data:
        b = bytearray(data)
        for _ in range(rng.choice([1, 3, 20, 200])):
            i = rng.randrange(min(len(b), rng.choice([64, 512, len(b)])))
            b[i] ^= 1 << rng.randrange(8)
        data = bytes(b)
    elif op == "huge":
        data, detail = _huge(data, rng)
    elif op == "exif":
        data = _exif_garbage(data, rng)
    elif op == "empty":
        data = b""
    elif op == "prefix":
        data = rng.choice([b"\x00" * 16, b"\xef\xbb\xbf", b"GIF89a", b"BM", b"%PDF-1.4\n"]) + data
    ext = Path(name).suffix
    if op == "renamed" or rng.random() < 0.25:
        ext = rng.choice([".jpg", ".png", ".JPG", ".jpeg", ".pdf", ".heic", "", ".gif", ".tif"])
    tags.append(f"image:{name}:{op}{(' ' + detail) if detail else ''}->{ext or 'noext'}")
    return data, ext


# --------------------------------------------------------------------------- units

@dataclass
class FileSpec:
    rel: str                   # relative to the unit folder
    kind: str                  # bytes | pool | symlink | fifo | dir | noperm | rodir
    data: bytes = b""
    target: str = ""           # pool file (pool) or link target (symlink)


@dataclass
class RunSpec:
    argv: list[str]            # "{out}" is replaced by the unit's output folder
    cwd: str = "."             # relative to the unit folder
    env: dict = field(default_factory=dict)
    label: str = ""
    batch: bool = False
    report: str = ""           # a report file to scan (relative to the output folder)


@dataclass
class Unit:
    id: str
    kind: str
    files: list[FileSpec] = field(default_factory=list)
    runs: list[RunSpec] = field(default_factory=list)
    pii: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    allow: list[str] = field(default_factory=list)    # relative paths (prefixes) that may change or appear
    profile_text: bytes = b""
    written: tuple | None = None   # (slot, text) that a profile written by init or fix must keep as it is


class Corpus:
    """The base profiles and images every unit starts from (loaded once)."""

    def __init__(self):
        from .conftest import deep_patch

        self.texts = {b: (EXAMPLES / b / "profile.yaml").read_text("utf-8") for b in BASES}
        self.datas = {b: _load(t) for b, t in self.texts.items()}
        self.cases: list[tuple[str, dict, str | None]] = []
        for code, spec in _load(CASES.read_text("utf-8")).items():
            for outcome in ("fail", "pass"):
                for patch in spec.get(outcome, []):
                    patch = dict(patch)
                    as_of = patch.pop("as_of", None)
                    self.cases.append((f"{code}.{outcome}", deep_patch(self.datas["passing"], patch),
                                       str(as_of) if as_of else None))
        self.images: dict[str, bytes] = {}


@dataclass
class Config:
    seed: int = 1
    profiles: int = 100
    images: int = 20
    batches: int | None = None          # default: one per 40 profiles
    jobs: int = 2
    time_bound: float = TIME_BOUND
    memory_mb: int = MEMORY_BOUND_MB
    as_of: str | None = None            # when a run has no --as-of of its own (tests: a fixed day)
    keep_failures: Path | None = None   # copy the folders of failing units here
    bad_dir: Path | None = None         # tests/conftest.py's bad images, when already made
    progress: bool = False

    def n_batches(self) -> int:
        return self.batches if self.batches is not None else (self.profiles + 39) // 40


def unit_ids(cfg: Config) -> list[str]:
    ids = [f"p{i:05d}" for i in range(cfg.profiles)] + [f"i{i:05d}" for i in range(cfg.images)] + \
        [f"b{i:04d}" for i in range(cfg.n_batches())]
    random.Random(cfg.seed).shuffle(ids)   # mix the kinds, so a partial run sees all of them
    return ids


def make_unit(corpus: Corpus, cfg: Config, uid: str) -> Unit:
    rng = random.Random(f"{cfg.seed}:{uid}")
    if uid[0] == "p":
        return _profile_unit(corpus, cfg, uid, rng)
    if uid[0] == "i":
        return _image_unit(corpus, cfg, uid, rng)
    return _batch_unit(corpus, cfg, uid, rng)


def _layout(prefix: str = "") -> list[FileSpec]:
    """The example folders, as hard links to the pool."""
    return [FileSpec(prefix + rel, "pool", target=rel) for rel in _POOL_FILES]


_POOL_FILES: list[str] = []   # filled by prepare_pool


def _base_profile(corpus: Corpus, rng: random.Random, tags: list[str]):
    r = rng.random()
    if r < 0.6:
        name, data, as_of = rng.choice(corpus.cases)
        tags.append(f"case:{name}")
        return "passing", copy.deepcopy(data), None, as_of
    base = rng.choice(BASES)
    tags.append(f"example:{base}")
    return base, copy.deepcopy(corpus.datas[base]), corpus.texts[base], None


def _pii_of(data) -> list[str]:
    reg = data.get("registration") if isinstance(data, dict) else None
    out = []
    if isinstance(reg, dict):
        for key, pattern in (("id_number", r"[0-9]{17}[0-9Xx]"), ("mobile", r"1[0-9]{10}")):
            v = reg.get(key)
            if isinstance(v, str):
                v = v.strip().translate({0xFF10 + i: 0x30 + i for i in range(10)}).replace(" ", "")
                v = v.removeprefix("+86")
                if re.fullmatch(pattern, v):
                    out.append(v)
    return out


def _profile_files(corpus: Corpus, cfg: Config, rng: random.Random, tags: list[str], prefix: str = "",
                   table_text: float = 0.0, writer_text: float = 0.0):
    """One mutated profile: (files, profile relpath, its folder, pii, as_of of its case, bytes,
    the (slot, text) put in for the writer or None).
    ``table_text``: the chance of markup or terminal control text in the name or ID number
    (the columns of the batch table); ``writer_text``: the chance of a text a YAML writer must
    quote or must not fold in a free-text field (for the runs that write a profile)."""
    base, data, text, case_as_of = _base_profile(corpus, rng, tags)
    folder = prefix + base
    files: list[FileSpec] = []
    pii = _pii_of(data)
    mutated_data, written = False, None
    if table_text and rng.random() < table_text and isinstance(data.get("registration"), dict):
        key = rng.choice(["name", "id_number", "mobile"])
        old = str(data["registration"].get(key) or "")
        odd = rng.choice(["[/]", "[red]", "[/red]", "\x1b[2J\x1b[H", "\x1b]0;x\x07", "[link=x]", "\r", "\u0085"])
        data["registration"][key] = rng.choice([old + odd, odd + old])
        tags.append(f"table:{key}={_short(data['registration'][key])}")
        mutated_data = True
    if writer_text and rng.random() < writer_text and isinstance(data, dict):
        slot, value = _writer_text(rng)
        _put(data, slot, value)
        tags.append(f"writer:{_fmt(slot)}={_short(value)}")
        written = (slot, value)
        mutated_data = True
    for _ in range(rng.choice([0, 1, 1, 1, 2, 3]) if rng.random() < 0.75 else 0):
        data = mutate_data(data, rng, tags)
        mutated_data = True
    if rng.random() < 0.22:
        if not isinstance(data, dict):
            data = {"value": data}
        files += _path_mutation(data, rng, tags, folder)
        mutated_data = True
    if mutated_data or text is None:
        try:
            text = dump(data)
        except Exception as exc:   # a value yaml cannot write: keep the original
            tags.append(f"dump-failed:{type(exc).__name__}")
            text = dump(corpus.datas[base]) if text is None else text
    if rng.random() < 0.22:
        text = mutate_text(text, rng, tags)
    raw = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.12 or not tags[1:]:
        raw = mutate_bytes(raw, rng, tags)
    name = "profile.yaml" if rng.random() < 0.9 else rng.choice(PROFILE_NAMES)
    if name != "profile.yaml":
        tags.append(f"name:{name!r}")
    files.append(FileSpec(f"{folder}/{name}", "bytes", raw))
    pii += [p for p in _pii_of(yaml_or_empty(raw)) if p not in pii]
    return files, f"{folder}/{name}", folder, pii, case_as_of, raw, written


def yaml_or_empty(raw: bytes):
    try:
        return yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader)) or {}
    except Exception:
        return {}


def _path_mutation(data: dict, rng: random.Random, tags: list[str], folder: str) -> list[FileSpec]:
    """Point an image slot at something that is not a plain image file."""
    slot = rng.choice(IMAGE_SLOTS)
    kind = rng.choice(["loop", "selfloop", "long", "longcjk", "deep", "nul", "dir", "root", "noperm", "devzero",
                       "urandom", "devnull", "tty", "fifo", "proc", "procmem", "abs", "dotdot", "etc", "markup",
                       "ansi", "link", "many", "url", "windows", "home", "dangling", "space"])
    files: list[FileSpec] = []
    value: object
    if kind == "loop":
        files = [FileSpec(f"{folder}/loop_a.jpg", "symlink", target="loop_b.jpg"),
                 FileSpec(f"{folder}/loop_b.jpg", "symlink", target="loop_a.jpg")]
        value = "loop_a.jpg"
    elif kind == "selfloop":
        files = [FileSpec(f"{folder}/self.jpg", "symlink", target="self.jpg")]
        value = "self.jpg"
    elif kind == "long":
        value = "a" * rng.choice([256, 300, 5000]) + ".jpg"
    elif kind == "longcjk":
        value = "照" * 100 + ".jpg"
    elif kind == "deep":
        value = "d/" * 3000 + "x.jpg"
    elif kind == "nul":
        value = rng.choice(["images/pho\0to.jpg", "\0", "images/photo.jpg\0.png"])
    elif kind == "dir":
        value = rng.choice(["images", ".", "..", "images/"])
    elif kind == "root":
        value = "/"
    elif kind == "noperm":
        files = [FileSpec(f"{folder}/noperm.jpg", "noperm", target="passing/images/photo.jpg")]
        value = "noperm.jpg"
    elif kind == "devzero":
        value = "/dev/zero"
    elif kind == "urandom":
        value = "/dev/urandom"
    elif kind == "devnull":
        value = "/dev/null"
    elif kind == "tty":
        value = "/dev/tty"
    elif kind == "fifo":
        files = [FileSpec(f"{folder}/pipe.jpg", "fifo")]
        value = "pipe.jpg"
    elif kind == "proc":
        value = "/proc/self/status"
    elif kind == "procmem":
        value = rng.choice(["/proc/self/mem", "/proc/self/fd/0", "/proc/self/environ", "/proc/self"])
    elif kind == "abs":
        value = "@ABS@/passing/images/id_front.jpg"
    elif kind == "dotdot":
        value = rng.choice(["../passing/images/photo.jpg", "../../../../../../../../etc/hostname",
                            "images/../images/photo.jpg", "../" * 40 + "x.jpg"])
    elif kind == "etc":
        value = rng.choice(["/etc/passwd", "/etc/shadow", "/etc"])
    elif kind == "markup":
        name = rng.choice(["scan[red]2.jpg", "x[/].jpg", "[link=file:///etc/passwd]x[/link].jpg", "[bold]a.jpg",
                           "a[b.jpg", "\\[x].jpg"])
        files = [FileSpec(f"{folder}/{name}", "pool", target="passing/images/diploma.jpg")]
        value = name
    elif kind == "ansi":
        name = rng.choice(["\x1b[31mred.jpg", "a\x07b.jpg", "\x1b]0;t\x07.jpg", "a\rb.jpg", "a\u0085b.jpg",
                           "\u202egpj.jpg"])
        files = [FileSpec(f"{folder}/{name}", "pool", target="passing/images/diploma.jpg")]
        value = name
    elif kind == "link":
        files = [FileSpec(f"{folder}/link.jpg", "symlink", target="../passing/images/photo.jpg")]
        value = "link.jpg"
    elif kind == "many":
        value = ["images/photo.jpg"] * rng.choice([2, 50, 500])
    elif kind == "url":
        value = rng.choice(["http://example.com/x.jpg", "file:///etc/passwd", "data:image/png;base64,AAAA"])
    elif kind == "windows":
        value = rng.choice(["C:\\Users\\李\\photo.jpg", "images\\photo.jpg", "\\\\server\\share\\x.jpg", "C:"])
    elif kind == "home":
        value = rng.choice(["~/photo.jpg", "$HOME/photo.jpg", "%USERPROFILE%\\x.jpg"])
    elif kind == "dangling":
        files = [FileSpec(f"{folder}/dangling.jpg", "symlink", target="nowhere/x.jpg")]
        value = "dangling.jpg"
    else:
        files = [FileSpec(f"{folder}/ a b .jpg", "pool", target="passing/images/diploma.jpg")]
        value = " a b .jpg"
    _put(data, slot, value)
    tags.append(f"path:{_fmt(slot)}={kind}")
    return files


def _put(data: dict, slot: tuple, value) -> None:
    cur = data
    for i, p in enumerate(slot[:-1]):
        nxt = slot[i + 1]
        if isinstance(cur, dict):
            if not isinstance(cur.get(p), (dict, list)):
                cur[p] = [] if isinstance(nxt, int) else {}
            cur = cur[p]
        elif isinstance(cur, list) and isinstance(p, int):
            while len(cur) <= p:
                cur.append({})
            if not isinstance(cur[p], (dict, list)):
                cur[p] = {}
            cur = cur[p]
        else:
            return
    if isinstance(cur, dict):
        cur[slot[-1]] = value


def _verify_run(rng: random.Random, cfg: Config, profile_arg: str, cwd: str, case_as_of: str | None,
                tags: list[str]) -> RunSpec:
    fmt = rng.choice(["rich", "rich", "plain", "json"])
    argv = ["verify", profile_arg, "--format", fmt]
    if rng.random() < 0.12:
        argv += ["--select", rng.choice(SELECTS)]
    if rng.random() < 0.05:
        argv += ["--ignore", rng.choice(SELECTS)]
    if rng.random() < 0.05:
        argv += ["--strict"]
    if rng.random() < 0.05:
        argv += ["--quiet"]
    if rng.random() < 0.02:
        argv += ["--ruleset", rng.choice([profile_arg, "nope.yaml"])]
        tags.append("ruleset")
    as_of = rng.choice(AS_OF) if rng.random() < 0.12 else case_as_of or cfg.as_of
    if as_of is not None:
        argv += ["--as-of", as_of]
    env = _env(rng)
    if rng.random() < 0.25:
        argv += ["--lang", "en"]
    return RunSpec(argv, cwd, env, label=f"verify-{fmt}")


def _env(rng: random.Random) -> dict:
    return {"COLUMNS": rng.choice(["80", "80", "100", "120", "40"])}


def _writer_text(rng: random.Random) -> tuple[tuple, str]:
    value = "LONG" if rng.random() < 0.3 else rng.choice(WRITER_TEXT)
    if value == "LONG":
        value = ("很长的地址 " * 2100)[:rng.choice([10_001, 12_000])]
    return rng.choice(TEXT_SLOTS), value


def _profile_unit(corpus: Corpus, cfg: Config, uid: str, rng: random.Random) -> Unit:
    unit = Unit(uid, "profile", files=_layout())
    fix, init = rng.random() < 0.15, rng.random() < 0.08
    files, rel, folder, pii, case_as_of, raw, written = _profile_files(corpus, cfg, rng, unit.tags,
                                                                       writer_text=0.5 if fix or init else 0.0)
    unit.files += files
    unit.pii, unit.profile_text = pii, raw
    if written and not any(t.startswith(("bytes:", "yaml:")) for t in unit.tags):
        unit.written = written   # judged only when the text reached the file as it is
    arg = rel.split("/", 1)[1]
    unit.runs.append(_verify_run(rng, cfg, arg, folder, case_as_of, unit.tags))
    if fix:
        unit.runs.append(_fix_run(rng, unit, arg, folder))
    if init:
        unit.files.append(FileSpec(f"{folder}/answers.yaml", "bytes", raw))
        argv = ["init", "new_profile.yaml", "--answers", "answers.yaml"]
        if rng.random() < 0.15:
            unit.files.append(FileSpec(f"{folder}/new_profile.yaml", "bytes", b"version: 1\n"))
            argv.append("--force")
        if rng.random() < 0.25:
            argv += ["--lang", "en"]
        unit.allow += [f"{folder}/new_profile.yaml", f"{folder}/.new_profile", f"{folder}/new_profile"]
        unit.runs.append(RunSpec(argv, folder, _env(rng), label="init"))
    return unit


def _fix_run(rng: random.Random, unit: Unit, arg: str, folder: str) -> RunSpec:
    r = rng.random()
    if r < 0.8:
        out = "{out}/fixed"
    elif r < 0.88:
        out = "fixed_here"   # a fresh subfolder of the profile's folder: allowed
        unit.allow.append(f"{folder}/fixed_here")
    else:
        out = rng.choice([".", "images", "{out}/f[red]x", "profile.yaml", "/dev/null", "../passing"])
    argv = ["fix", arg, "-o", out] + (["--lang", "en"] if rng.random() < 0.25 else [])
    return RunSpec(argv, folder, _env(rng), label="fix")


def _image_unit(corpus: Corpus, cfg: Config, uid: str, rng: random.Random) -> Unit:
    unit = Unit(uid, "image", files=_layout())
    base = "passing"
    data = copy.deepcopy(corpus.datas[base])
    unit.pii = _pii_of(data)
    names = []
    for k in range(rng.choice([1, 1, 1, 2])):
        blob, ext = mutate_image(corpus.images, rng, unit.tags)
        name = f"fz{k}{ext}"
        unit.files.append(FileSpec(f"{base}/{name}", "bytes", blob))
        names.append(name)
    slots = rng.sample(IMAGE_SLOTS, rng.choice([1, 1, 2, 3]))
    if rng.random() < 0.5 and ("basic", "photo") not in slots:
        slots[0] = ("basic", "photo")
    for slot in slots:
        _put(data, slot, rng.choice(names))
        unit.tags.append(f"slot:{_fmt(slot)}")
    if rng.random() < 0.1:
        data = mutate_data(data, rng, unit.tags)
    if rng.random() < 0.3:   # fix writes a new profile: its text must survive the writer
        slot, value = _writer_text(rng)
        _put(data, slot, value)
        unit.tags.append(f"writer:{_fmt(slot)}={_short(value)}")
        unit.written = (slot, value)
    raw = dump(data).encode("utf-8", "surrogatepass")
    unit.files.append(FileSpec(f"{base}/profile.yaml", "bytes", raw))
    unit.profile_text = raw
    unit.runs.append(_verify_run(rng, cfg, "profile.yaml", base, None, unit.tags))
    if rng.random() < 0.55:
        unit.runs.append(_fix_run(rng, unit, "profile.yaml", base))
    if rng.random() < 0.6:
        pages = rng.choice([[names[0]], ["images/work_proof.jpg", names[0]], names * 2, [names[-1], "images/diploma.jpg"]])
        out = "{out}/merged.jpg"
        argv = ["merge", *pages, "-o", out]
        if rng.random() < 0.3:
            argv.append("--grid")
        if rng.random() < 0.08:   # the output is one of the inputs: must be refused, even with --force
            argv[-1 - ("--grid" in argv)] = pages[0]
            argv.append("--force")
            unit.tags.append("merge:onto-input")
        unit.runs.append(RunSpec(argv, base, _env(rng), label="merge"))
    return unit


def _batch_unit(corpus: Corpus, cfg: Config, uid: str, rng: random.Random) -> Unit:
    unit = Unit(uid, "batch")
    people = rng.randint(3, 5)
    for k in range(people):
        staff = f"staff/s{k}_" + rng.choice(["张三", "li", "[red]", "\x1b[31mx", "a b", "王"])
        unit.files += _layout(staff + "/")
        sub_tags: list[str] = []
        files, rel, _folder, pii, _as_of, raw, _w = _profile_files(corpus, cfg, rng, sub_tags, prefix=staff + "/",
                                                                  table_text=0.35)
        unit.profile_text += raw + b"\n"
        unit.tags += [f"s{k}:{t}" for t in sub_tags]
        # batch looks for profile.yaml: keep that name
        for f in files:
            if f.rel == rel and not rel.endswith("/profile.yaml"):
                f.rel = rel.rsplit("/", 1)[0] + "/profile.yaml"
        unit.files += files
        unit.pii += [p for p in pii if p not in unit.pii]
        if rng.random() < 0.3:   # a mutated ID photo (the HTML report's thumbnail reads it too)
            blob, _ext = mutate_image(corpus.images, rng, sub_tags)
            unit.tags.append(f"s{k}:{sub_tags[-1]}")
            photos = {f"{staff}/passing/images/photo.jpg", f"{staff}/failing/images/photo.jpg",
                      f"{staff}/photo-bangs/photo.jpg"}
            unit.files = [FileSpec(f.rel, "bytes", blob) if f.rel in photos else f for f in unit.files]
    argv = ["batch", "staff"]
    fmt = rng.choice(["", "xlsx", "csv", "json", "html", "html"])
    report = ""
    if fmt:
        r = rng.random()
        if r < 0.85:
            report = f"report.{fmt}"
            argv += ["--report", "{out}/" + report]
        else:
            odd = rng.choice(["dir", "rodir", "missing", "input"])
            unit.tags.append(f"report:{odd}")
            if odd == "dir":
                argv += ["--report", "{out}"]
            elif odd == "rodir":
                unit.files.append(FileSpec("ro", "rodir"))
                argv += ["--report", f"ro/report.{fmt}"]
            elif odd == "missing":
                argv += ["--report", "{out}/no/such/dir/report." + fmt]
            else:
                argv += ["--report", "staff", "--force"]
    argv += ["--jobs", "2" if rng.random() < 0.2 else "1"]
    if rng.random() < 0.2:
        argv.append("--quiet")
    if rng.random() < 0.3:
        argv += ["--lang", "en"]
    as_of = rng.choice(AS_OF) if rng.random() < 0.15 else cfg.as_of
    if as_of is not None:
        argv += ["--as-of", as_of]
    unit.runs.append(RunSpec(argv, ".", _env(rng), label="batch", batch=True, report=report))
    return unit


# --------------------------------------------------------------------------- the pool and unit folders

def prepare_pool(root: Path, corpus: Corpus, bad_dir: Path | None = None) -> Path:
    """Copies of the example folders, the cases' bad images (made here, or copied from
    ``bad_dir``: the tests' session fixture) and the base images, once per run."""
    from .conftest import make_bad_images

    pool = root / "pool"
    for b in BASES:
        for src in (EXAMPLES / b).rglob("*"):
            if src.is_file() and src.name != "profile.yaml":
                dst = pool / b / src.relative_to(EXAMPLES / b)
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dst)
    if bad_dir is not None:
        shutil.copytree(bad_dir, pool / "passing" / "bad")
    else:
        make_bad_images(pool / "passing" / "bad")
    _POOL_FILES[:] = sorted(p.relative_to(pool).as_posix() for p in pool.rglob("*") if p.is_file())
    corpus.images = base_images(pool)
    return pool


def materialize(unit: Unit, unit_dir: Path, pool: Path) -> None:
    for f in unit.files:
        path = unit_dir / f.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if f.kind == "pool":
            os.link(pool / f.target, path)
        elif f.kind == "bytes":
            layout_root = unit_dir.joinpath(*f.rel.split("/")[:-2])   # where passing/, failing/ … are
            data = f.data.replace(b"@ABS@", str(layout_root).encode()) if b"@ABS@" in f.data else f.data
            path.write_bytes(data)
        elif f.kind == "symlink":
            os.symlink(f.target, path)
        elif f.kind == "fifo":
            os.mkfifo(path)
        elif f.kind == "noperm":
            shutil.copyfile(pool / f.target, path)
            os.chmod(path, 0)
        elif f.kind in ("dir", "rodir"):
            path.mkdir(exist_ok=True)
            if f.kind == "rodir":
                os.chmod(path, 0o555)


def _hash_file(path: Path, cache: dict) -> str:
    st = path.stat()
    key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    if key not in cache:
        h = hashlib.sha1()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        cache[key] = h.hexdigest()
    return cache[key]


def snapshot(unit_dir: Path, cache: dict) -> dict[str, tuple]:
    """Every file and folder of the input: type, size, mtime and content hash."""
    out: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(unit_dir):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(unit_dir).as_posix()
            st = p.lstat()
            if stat.S_ISREG(st.st_mode):
                with contextlib.suppress(OSError):
                    out[rel] = ("f", st.st_size, st.st_mtime_ns, _hash_file(p, cache))
                    continue
                out[rel] = ("f?", st.st_size, st.st_mtime_ns)
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("d", st.st_mtime_ns)
            else:
                out[rel] = (oct(stat.S_IFMT(st.st_mode)), st.st_mtime_ns)
    st = unit_dir.stat()
    out["."] = ("d", st.st_mtime_ns)
    return out


def changed(before: dict, after: dict, allow: list[str]) -> list[str]:
    """What changed in the input folder, outputs the unit allows excepted (a folder that holds
    an allowed output may change its mtime)."""
    def allowed(rel: str) -> bool:
        return any(rel == a or rel.startswith(a) for a in allow)

    holders = {a.rsplit("/", 1)[0] if "/" in a else "." for a in allow}
    out = []
    for rel in sorted(set(before) | set(after)):
        old, new = before.get(rel), after.get(rel)
        if old == new or allowed(rel):
            continue
        if old is None:
            out.append(f"{rel} (new)")
        elif new is None:
            out.append(f"{rel} (deleted)")
        elif old[0] == new[0] == "d":
            if rel not in holders:
                out.append(f"{rel}/ (folder modified)")
        else:
            out.append(f"{rel} (modified)")
    return out


# --------------------------------------------------------------------------- the worker (a spawned process)

class _Stream(io.TextIOWrapper):
    """stdout/stderr of a run. Records the exception being handled when main() reports an
    internal error (its catch-all writes the message inside the ``except`` block)."""

    def __init__(self, errors: str):
        self._raw = io.BytesIO()
        super().__init__(self._raw, encoding="utf-8", errors=errors, write_through=True)
        self.exc: dict | None = None

    def write(self, s):
        if self.exc is None and isinstance(s, str) and INTERNAL in s:
            ev = sys.exc_info()[1]
            if ev is not None:
                self.exc = describe_exception(ev)
        return super().write(s)

    def isatty(self):
        return False

    def value(self) -> bytes:
        with contextlib.suppress(Exception):
            self.flush()
        return self._raw.getvalue()


def describe_exception(ev: BaseException) -> dict:
    frames = traceback.extract_tb(ev.__traceback__)
    own = [f for f in frames if f.filename.startswith(TJCHECK_DIR)]
    where = own[-1] if own else (frames[-1] if frames else None)
    loc = (f"{Path(where.filename).relative_to(ROOT).as_posix() if where.filename.startswith(str(ROOT)) else where.filename}"
           f":{where.lineno} {where.name}") if where else "?"
    last = frames[-1] if frames else None
    return {"type": type(ev).__name__, "where": loc, "message": str(ev)[:300],
            "innermost": f"{Path(last.filename).name}:{last.lineno} {last.name}" if last else "",
            "traceback": "".join(traceback.format_exception(type(ev), ev, ev.__traceback__))[-4000:]}


def _drop_read_override() -> None:
    """As root, lose the capabilities that bypass file permissions (kept lost by children)."""
    if os.geteuid() != 0:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):   # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        libc.prctl(24, cap, 0, 0, 0)   # PR_CAPBSET_DROP

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    header, data = Header(0x20080522, 0), (Data * 2)()
    if libc.capget(ctypes.byref(header), data) == 0:
        mask = ~0b110 & 0xFFFFFFFF
        data[0].effective &= mask
        data[0].permitted &= mask
        data[0].inheritable &= mask
        libc.capset(ctypes.byref(header), data)


def _status_kb(pid: int | str, field_name: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _cpu() -> float:
    """CPU seconds of this process (all its threads) and of its finished children."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def tree_rss_mb(root_pid: int) -> float:
    """Resident memory of a process and all its descendants."""
    pids, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        with contextlib.suppress(OSError, ValueError):
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
    return sum(_status_kb(p, "VmRSS") for p in pids) / 1024


def worker_main(conn, log_path: str, warm: str | None) -> None:
    """A long-lived worker: runs one command line at a time, in this process."""
    os.setsid()
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    sys.stdin = open(os.devnull)
    os.environ.pop("TJCHECK_DEBUG", None)
    os.environ.pop("NO_COLOR", None)
    os.environ["TJCHECK_LANG"] = "zh"
    _drop_read_override()
    import PIL.Image
    import rich

    from tjcheck import cli

    default_pixels = PIL.Image.MAX_IMAGE_PIXELS
    base_env, base_cwd = dict(os.environ), os.getcwd()
    base_filters, base_limit = list(__import__("warnings").filters), sys.getrecursionlimit()
    base_sigint = signal.getsignal(signal.SIGINT)

    def run(spec: dict) -> dict:
        import warnings

        os.environ.clear()
        os.environ.update(base_env)
        os.environ.update(spec.get("env", {}))
        os.chdir(spec["cwd"])
        PIL.Image.MAX_IMAGE_PIXELS = default_pixels
        rich._console = None
        out, err = _Stream("strict"), _Stream("backslashreplace")
        with contextlib.suppress(OSError):
            with open("/proc/self/clear_refs", "w") as fh:   # resets the peak RSS (VmHWM)
                fh.write("5")
        old = sys.stdout, sys.stderr, sys.argv
        sys.stdout, sys.stderr, sys.argv = out, err, ["tjcheck", *spec["argv"]]
        escaped = None
        start, cpu = time.perf_counter(), _cpu()
        try:
            cli.main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException as exc:   # main() must not let anything else out
            code = -1
            escaped = describe_exception(exc)
        finally:
            seconds, cpu = time.perf_counter() - start, _cpu() - cpu
            sys.stdout, sys.stderr, sys.argv = old
            os.chdir(base_cwd)
            os.environ.clear()
            os.environ.update(base_env)
            warnings.filters[:] = base_filters
            sys.setrecursionlimit(base_limit)
            signal.signal(signal.SIGINT, base_sigint)
        return {"code": code, "stdout": out.value()[:8_000_000], "stderr": err.value()[:8_000_000],
                "exc": err.exc or out.exc or escaped, "seconds": seconds, "cpu": cpu,
                "peak_mb": _status_kb("self", "VmHWM") / 1024, "rss_mb": _status_kb("self", "VmRSS") / 1024}

    if warm:
        run({"argv": ["verify", warm, "--format", "plain"], "cwd": base_cwd})
    conn.send("ready")
    while True:
        try:
            spec = conn.recv()
        except EOFError:
            return
        if spec is None:
            return
        conn.send(run(spec))


class Worker:
    """The parent's handle on one worker: send a run, wait within the bounds, kill on excess."""

    def __init__(self, index: int, root: Path, warm: str | None):
        self.index, self.root, self.warm = index, root, warm
        self.generation = 0
        self.proc = None
        self.conn = None

    def start(self) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self.generation += 1
        self.log = self.root / "logs" / f"worker{self.index}-{self.generation}.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.conn, child = ctx.Pipe()
        # not a daemon: `tjcheck batch --jobs 2` starts a pool inside it
        self.proc = ctx.Process(target=worker_main, args=(child, str(self.log), self.warm))
        self.proc.start()
        child.close()
        if not self.conn.poll(180):
            self.kill()
            raise RuntimeError("a fuzz worker did not start within 180 s")
        self.conn.recv()

    def kill(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            self.proc.kill()
        self.proc.join(10)
        with contextlib.suppress(Exception):
            self.conn.close()
        self.proc = None

    def close(self) -> None:
        if self.proc is not None:
            with contextlib.suppress(Exception):
                self.conn.send(None)
            self.proc.join(5)
            self.kill()


    def run(self, spec: dict, timeout: float, memory_mb: float) -> dict:
        if self.proc is None or not self.proc.is_alive():
            self.start()
        offset = self.log.stat().st_size if self.log.exists() else 0
        self.conn.send(spec)
        began = time.monotonic()
        deadline = began + timeout
        peak, result = 0.0, None
        while True:
            if self.conn.poll(0.1):
                try:
                    result = self.conn.recv()
                except (EOFError, OSError):
                    result = {"crash": self._exit_status()}
                    self.kill()
                break
            if not self.proc.is_alive():
                result = {"crash": self._exit_status()}
                self.kill()
                break
            # only a batch has children (its pool); the worker alone is one file to read
            rss = tree_rss_mb(self.proc.pid) if spec.get("batch") else _status_kb(self.proc.pid, "VmRSS") / 1024
            peak = max(peak, rss)
            if rss > memory_mb:
                self.kill()
                result = {"memory": rss}
                break
            if time.monotonic() > deadline:
                self.kill()
                result = {"hang": timeout}
                break
        result["tree_peak_mb"] = peak
        result["wall"] = time.monotonic() - began
        result["log"] = self._log_since(offset)
        if self.proc is not None and result.get("rss_mb", 0) > memory_mb * 0.7:
            self.close()   # start the next run from a clean baseline
            self.proc = None
        return result

    def _exit_status(self) -> str:
        self.proc.join(2)
        code = self.proc.exitcode
        if code is not None and code < 0:
            with contextlib.suppress(ValueError):
                return signal.Signals(-code).name
        return f"exit {code}"

    def _log_since(self, offset: int) -> bytes:
        try:
            with open(self.log, "rb") as fh:
                fh.seek(offset)
                return fh.read(2_000_000)
        except OSError:
            return b""


# --------------------------------------------------------------------------- judging

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
KINDS = ("exit3", "hangs", "tracebacks", "memory", "crashes", "changed_inputs", "pii_leaks", "unreadable_output")
INFO = ("raw_control", "slow", "altered_text")   # counted and listed, but not failures


def _report_text(path: Path) -> str:
    if not path.is_file():
        return ""
    if path.suffix == ".xlsx":
        try:
            with zipfile.ZipFile(path) as z:
                return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        except Exception:
            return ""
    return path.read_bytes().decode("utf-8", "replace")


def judge(unit: Unit, run: RunSpec, res: dict, report: str, bound: float) -> list[tuple[str, str]]:
    """(kind, class) for each failure of one run."""
    found = []
    if "hang" not in res and res.get("wall", 0) > bound / 2:   # informational: half the bound
        found.append(("slow", f"{run.argv[0]} over {bound / 2:.0f} s: " + _hint(unit)))
    stdout = res.get("stdout", b"").decode("utf-8", "replace")
    stderr = res.get("stderr", b"").decode("utf-8", "replace")
    log = res.get("log", b"").decode("utf-8", "replace")
    text = "\n".join((stdout, stderr, log, report))
    cmd = run.argv[0]
    if "hang" in res:
        found.append(("hangs", f"hang in {cmd}: " + _hint(unit)))
    if "memory" in res:
        found.append(("memory", f"memory over the bound in {cmd}: " + _hint(unit)))
    if "crash" in res:
        found.append(("crashes", f"worker died ({res['crash']}) in {cmd}: " + _hint(unit)))
    if res.get("peak_mb", 0) > MEMORY_BOUND_MB_CURRENT[0] and "memory" not in res:
        found.append(("memory", f"peak memory {res['peak_mb']:.0f} MB in {cmd}: " + _hint(unit)))
    if res.get("code") == 3 or res.get("code") == -1:
        exc = res.get("exc")
        key = f"{exc['type']} at {exc['where']}" if exc else (_internal_line(stderr) or "exit 3 (no exception seen)")
        found.append(("exit3", f"{cmd}: {key}"))
    if TRACEBACK in text:
        found.append(("tracebacks", f"{cmd}: traceback printed ({_last_exception_line(text)})"))
    elif INTERNAL in text and res.get("code") != 3:
        m = re.search(INTERNAL + r"[^（(\n]*[（(](\w+)", text)
        what = f"{INTERNAL}（{m.group(1)}）" if m else INTERNAL
        found.append(("tracebacks", f"{cmd}: '{what}' in the output or report"))
    for value in unit.pii:
        # (a value written twice in the profile, e.g. a mobile also given as the work phone, is not judged)
        if value in text and unit.profile_text.count(value.encode()) <= 1:
            where = "report" if value in report else "output"
            found.append(("pii_leaks", f"{cmd}: full {'ID number' if len(value) == 18 else 'mobile'} in the {where}"))
            break
    shown = stderr if (run.argv[0] == "verify" and "json" in run.argv) else stdout + stderr
    if _CONTROL.search(shown.replace("\r\n", "\n")):
        found.append(("raw_control", f"{cmd}: control character in the output"))
    return found


MEMORY_BOUND_MB_CURRENT = [MEMORY_BOUND_MB]


def _hint(unit: Unit) -> str:
    """The mutations most likely to explain a hang or memory growth, without their slot (so that
    one cause is one class): "path=fifo", "image .jpg huge jpeg 30000", "yaml:deep"."""
    out = []
    for tag in unit.tags:
        tag = re.sub(r"^s\d+:", "", tag)   # a batch's staff prefix
        if tag.startswith("path:"):
            tag = "path=" + tag.split("=", 1)[1]
        elif tag.startswith("image:"):
            _, name, rest = tag.split(":", 2)
            tag = f"image {Path(name).suffix} {rest.split('->')[0]}"
        elif not tag.startswith(("yaml:", "bytes:")):
            continue
        if tag not in out:
            out.append(tag)
    return ", ".join(sorted(out)[:4]) or "no file or syntax mutation"


def _internal_line(stderr: str) -> str:
    m = re.search(r"internal error: ([^\n]*)", stderr)
    return m.group(1)[:120] if m else ""


def _last_exception_line(text: str) -> str:
    tail = text[text.rfind(TRACEBACK):].strip().split("\n")
    for line in reversed(tail):
        if re.match(r"^[\w.]+(Error|Exception|Interrupt|Exit)\b", line.strip()):
            return line.strip()[:120]
    return tail[-1][:120] if tail else ""


# --------------------------------------------------------------------------- the run

@dataclass
class Outcome:
    unit: str
    kind: str
    failures: list[tuple[str, str, str]] = field(default_factory=list)   # (kind, class, run label)
    runs: int = 0
    seconds: float = 0.0
    codes: list = field(default_factory=list)
    details: list[dict] = field(default_factory=list)
    timing: list[tuple[str, float]] = field(default_factory=list)   # (command, seconds) per run
    cpu: float = 0.0


def expand(argv: list[str], out_dir: Path) -> list[str]:
    return [a.replace("{out}", str(out_dir)) for a in argv]


def run_unit(unit: Unit, worker: Worker, root: Path, pool: Path, cfg: Config, cache: dict) -> Outcome:
    unit_dir, out_dir = root / "in" / unit.id, root / "out" / unit.id
    for d in (unit_dir, out_dir):
        if d.exists():
            _rmtree(d)
    unit_dir.mkdir(parents=True)
    out_dir.mkdir(parents=True)
    materialize(unit, unit_dir, pool)
    before = snapshot(unit_dir, cache)
    inputs = {(unit_dir / rel).resolve() for rel, entry in before.items() if entry[0] == "f"}
    outcome = Outcome(unit.id, unit.kind)
    source_ok = False   # the unit's own profile was read (verify exited 0 or 1)
    for run in unit.runs:
        spec = {"argv": expand(run.argv, out_dir), "cwd": str(unit_dir / run.cwd), "env": run.env, "batch": run.batch}
        bound = cfg.time_bound * (BATCH_FACTOR if run.batch else 1)
        res = worker.run(spec, bound, cfg.memory_mb)
        outcome.runs += 1
        outcome.seconds += res["wall"]
        outcome.cpu += res.get("cpu", res["wall"])
        outcome.codes.append(res.get("code", "killed"))
        outcome.timing.append((run.label, res["wall"]))
        report = ""
        if run.report:
            report = _report_text(out_dir / run.report)
        for kind, cls in judge(unit, run, res, report, bound):
            outcome.failures.append((kind, cls, run.label))
            outcome.details.append({"kind": kind, "class": cls, "argv": run.argv, "cwd": run.cwd,
                                    "code": res.get("code"), "exc": res.get("exc"),
                                    "stderr": res.get("stderr", b"")[-600:].decode("utf-8", "replace")})
        if any(k in res for k in ("hang", "memory", "crash")):
            break   # the next commands would only repeat it
        if run.label.startswith("verify"):
            source_ok = res.get("code") in (0, 1) and "--ruleset" not in run.argv
        written = _written_profile(run, spec, inputs)
        if written is not None and source_ok:
            reread = worker.run({"argv": ["verify", str(written), "--format", "json", "--as-of", "2026-11-26"],
                                 "cwd": spec["cwd"], "env": {}}, cfg.time_bound, cfg.memory_mb)
            outcome.runs += 1
            altered = _altered(written, unit.written)
            if altered:
                outcome.failures.append(("altered_text", f"{run.argv[0]} wrote {altered}", run.label))
                outcome.details.append({"kind": "altered_text", "class": altered, "argv": run.argv, "cwd": run.cwd})
            if reread.get("code") == 2:
                first = reread.get("stderr", b"").decode("utf-8", "replace").strip().split("\n")[0]
                why = re.sub(r"\d+", "N", re.sub(r"^tjcheck: .*?\.yaml(:\d+)*: ", "", first))[:90]
                outcome.failures.append(("unreadable_output", f"{run.argv[0]} wrote a profile verify refuses: {why}",
                                         run.label))
                outcome.details.append({"kind": "unreadable_output", "class": first[:300], "argv": run.argv,
                                        "cwd": run.cwd})
    after = snapshot(unit_dir, cache)
    diff = changed(before, after, unit.allow)
    if diff:
        outcome.failures.append(("changed_inputs", "input changed: " + ", ".join(diff[:3]), "all"))
        outcome.details.append({"kind": "changed_inputs", "class": ", ".join(diff[:10])})
    failed = any(k not in INFO for k, _, _ in outcome.failures)
    if failed and cfg.keep_failures:
        dest = cfg.keep_failures / unit.id
        with contextlib.suppress(Exception):
            _rmtree(dest)
            shutil.copytree(unit_dir, dest, symlinks=True, copy_function=_link_or_copy,
                            ignore=lambda d, names: [n for n in names if stat.S_ISFIFO(os.lstat(os.path.join(d, n)).st_mode)])
    _rmtree(unit_dir)
    _rmtree(out_dir)
    return outcome


def _altered(path: Path, written: tuple | None) -> str:
    """How a profile written by tjcheck changed the text the input had in one field ('' if not)."""
    if written is None:
        return ""
    slot, value = written
    try:
        from tjcheck.yamlload import load_yaml

        data = load_yaml(path).data
        got = _get(data, slot)
    except Exception:   # unreadable: judged by the re-read; the field may also be gone
        return ""
    if got == value or not isinstance(got, str):
        return ""
    kind = "a text over 10,000 characters" if len(value) > 10_000 else repr(value)
    return f"{kind} in {_fmt(slot)} as {_short(got, 30)}"


def _written_profile(run: RunSpec, spec: dict, inputs: set[Path]) -> Path | None:
    """The profile an init or fix run wrote, if any (a tjcheck-written profile must read back)."""
    argv, cwd = spec["argv"], Path(spec["cwd"])
    if run.label == "init":
        path = cwd / argv[1]
    elif run.label == "fix" and "-o" in argv:
        path = cwd / argv[argv.index("-o") + 1] / "profile.yaml"
    else:
        return None
    with contextlib.suppress(OSError, ValueError):
        if path.is_file() and path.resolve() not in inputs:
            return path
    return None


def _link_or_copy(src: str, dst: str) -> None:
    """Kept inputs share the pool's bytes when they can (hundreds of them, ~10 MB each otherwise)."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _rmtree(path: Path) -> None:
    def onerror(func, p, _exc):
        with contextlib.suppress(OSError):
            os.chmod(p, 0o755)
            os.chmod(os.path.dirname(p), 0o755)
            func(p)

    if path.exists() or path.is_symlink():
        for dirpath, dirnames, _ in os.walk(path):
            for d in dirnames:
                with contextlib.suppress(OSError):
                    os.chmod(os.path.join(dirpath, d), 0o755, follow_symlinks=False)
        shutil.rmtree(path, onerror=onerror)


def run_fuzz(cfg: Config, workdir: Path | None = None) -> dict:
    """Generate and run every unit; the summary (see the module docstring)."""
    MEMORY_BOUND_MB_CURRENT[0] = cfg.memory_mb
    start, parent_cpu = time.perf_counter(), time.process_time()
    own = workdir is None
    root = Path(tempfile.mkdtemp(prefix="tjfuzz-")) if own else workdir
    root.mkdir(parents=True, exist_ok=True)
    corpus = Corpus()
    pool = prepare_pool(root, corpus, cfg.bad_dir)
    warm = root / "warm"
    for rel in _POOL_FILES:
        dst = warm / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.link(pool / rel, dst)
    (warm / "passing" / "profile.yaml").write_text(corpus.texts["passing"], "utf-8")
    ids = unit_ids(cfg)
    lock = threading.Lock()
    outcomes: list[Outcome] = []
    queue = iter(ids)
    done = [0]

    def drive(index: int) -> None:
        worker = Worker(index, root, str(warm / "passing" / "profile.yaml"))
        cache: dict = {}
        try:
            while True:
                with lock:
                    uid = next(queue, None)
                if uid is None:
                    return
                unit = make_unit(corpus, cfg, uid)
                try:
                    outcome = run_unit(unit, worker, root, pool, cfg, cache)
                except Exception as exc:   # a fuzzer bug: say so, do not stop
                    outcome = Outcome(uid, unit.kind, [("fuzzer_errors", f"{type(exc).__name__}: {exc}", "")])
                with lock:
                    outcomes.append(outcome)
                    done[0] += 1
                    if cfg.progress and done[0] % 50 == 0:
                        bad = sum(1 for o in outcomes if any(k not in INFO for k, _, _ in o.failures))
                        print(f"  {done[0]}/{len(ids)} units, {bad} failing, {time.perf_counter() - start:.0f} s",
                              file=sys.stderr, flush=True)
        finally:
            worker.close()

    threads = [threading.Thread(target=drive, args=(i,), daemon=True) for i in range(max(1, cfg.jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    summary = summarize(outcomes, cfg, time.perf_counter() - start)
    summary["parent_cpu_seconds"] = round(time.process_time() - parent_cpu, 1)
    if own:
        _rmtree(root)
    return summary


def summarize(outcomes: list[Outcome], cfg: Config, seconds: float) -> dict:
    outcomes.sort(key=lambda o: o.unit)
    counts = {k: 0 for k in KINDS + INFO + ("fuzzer_errors",)}
    classes: dict[str, dict] = {}
    for o in outcomes:
        for kind in {k for k, _, _ in o.failures}:
            counts[kind] = counts.get(kind, 0) + 1
        for kind, cls, label in o.failures:
            c = classes.setdefault(f"{kind} | {cls}", {"kind": kind, "class": cls, "units": 0, "examples": []})
            if o.unit not in c["examples"]:
                c["units"] += 1
                if len(c["examples"]) < 5:
                    c["examples"].append(o.unit)
    by_kind = {"profile": 0, "image": 0, "batch": 0}
    for o in outcomes:
        by_kind[o.kind] = by_kind.get(o.kind, 0) + 1
    failing = [o for o in outcomes if any(k not in INFO for k, _, _ in o.failures)]
    examples = []
    for o in failing[:40]:
        d = next((d for d in o.details if d["kind"] not in INFO), o.details[0] if o.details else {})
        examples.append({"unit": o.unit, "kind": d.get("kind"), "class": d.get("class"), "argv": d.get("argv"),
                         "cwd": d.get("cwd"), "replay": f"python bench/fuzz.py --seed {cfg.seed} --replay {o.unit}"})
    return {
        "inputs": len(outcomes), "profiles": by_kind["profile"], "images": by_kind["image"], "batches": by_kind["batch"],
        "runs": sum(o.runs for o in outcomes), **counts, "seed": cfg.seed, "seconds": round(seconds, 1),
        "cpu_seconds": round(sum(o.cpu for o in outcomes), 1),
        "time_bound_s": cfg.time_bound, "memory_bound_mb": cfg.memory_mb,
        "classes": sorted(classes.values(), key=lambda c: (c["kind"], -c["units"])),
        "examples": examples,
        "exit_codes": _code_counts(outcomes),
        "run_seconds": _timing(outcomes),
        "slowest": [{"unit": o.unit, "command": c, "seconds": round(t, 2)} for t, c, o in
                    sorted(((t, c, o) for o in outcomes for c, t in o.timing), key=lambda x: -x[0])[:10]],
    }


def _timing(outcomes: list[Outcome]) -> dict:
    """Per command: runs, total and slowest seconds (inside the workers)."""
    out: dict[str, dict] = {}
    for o in outcomes:
        for label, sec in o.timing:
            t = out.setdefault(label.split("-")[0], {"runs": 0, "total": 0.0, "max": 0.0})
            t["runs"] += 1
            t["total"] = round(t["total"] + sec, 1)
            t["max"] = round(max(t["max"], sec), 2)
    return out


def _code_counts(outcomes: list[Outcome]) -> dict:
    out: dict[str, int] = {}
    for o in outcomes:
        for c in o.codes:
            out[str(c)] = out.get(str(c), 0) + 1
    return dict(sorted(out.items()))


# --------------------------------------------------------------------------- reproducing one unit

def shell_quote(arg: str) -> str:
    if all(c.isprintable() for c in arg):
        return shlex.quote(arg)
    return "$'" + "".join(c if c.isprintable() and c not in "'\\" else f"\\x{ord(c):02x}" if ord(c) < 256
                          else c for c in arg) + "'"


def replay(cfg: Config, uid: str, dest: Path, debug: bool = True, run: bool = True) -> list[str]:
    """Rebuild one unit in ``dest``; returns the shell lines that reproduce it (and runs them)."""
    MEMORY_BOUND_MB_CURRENT[0] = cfg.memory_mb
    corpus = Corpus()
    pool = prepare_pool(dest / ".pool", corpus)
    unit = make_unit(corpus, cfg, uid)
    unit_dir, out_dir = dest / uid, dest / f"{uid}-out"
    for d in (unit_dir, out_dir):
        _rmtree(d)
    unit_dir.mkdir(parents=True)
    out_dir.mkdir(parents=True)
    materialize(unit, unit_dir, pool)
    lines = [f"# {uid}: " + "; ".join(unit.tags)]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("TJCHECK_DEBUG", None)
    if debug:
        env["TJCHECK_DEBUG"] = "1"
    for r in unit.runs:
        argv = expand(r.argv, out_dir)
        envs = " ".join(f"{k}={v}" for k, v in r.env.items())
        lines.append(f"cd {shell_quote(str(unit_dir / r.cwd))} && {envs} {'TJCHECK_DEBUG=1 ' if debug else ''}"
                     f"tjcheck {' '.join(shell_quote(a) for a in argv)}")
        if run:
            timeout = cfg.time_bound * (BATCH_FACTOR if r.batch else 1)
            code, out, err, seconds, peak = run_command(argv, unit_dir / r.cwd, {**env, **r.env}, timeout)
            lines.append(f"# exit {code}, {seconds:.1f} s, peak memory {peak:.0f} MB" if code is not None else
                         f"# killed after {seconds:.0f} s (time bound {timeout:.0f} s, memory bound "
                         f"{MEMORY_BOUND_MB_CURRENT[0]} MB); peak memory {peak:.0f} MB")
            lines += ["#   " + ln for ln in _digest(out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))]
    return lines


def _digest(out: str, err: str, width: int = 160) -> list[str]:
    """What a person needs from a replayed run: the traceback's own frames and its last line
    (with TJCHECK_DEBUG=1 an internal error is a traceback and exit 1), else the output's tail."""
    def cut(line: str) -> str:
        return line if len(line) <= width else line[:width] + f"…(+{len(line) - width})"

    if TRACEBACK in err:
        tb = err[err.rfind(TRACEBACK):].rstrip().split("\n")
        keep, seen = [tb[0]], set()
        for i, line in enumerate(tb[1:-1], 1):
            if line.lstrip().startswith("File ") and (TJCHECK_DIR in line or i >= len(tb) - 5) and line not in seen:
                seen.add(line)   # a recursion repeats the same frames hundreds of times: once is enough
                keep += [line, tb[i + 1]] if i + 1 < len(tb) - 1 else [line]
        keep.append(tb[-1])
        return [cut(ln) for ln in keep]
    text = (out.strip().split("\n")[-12:] if out.strip() else []) + (err.strip().split("\n")[-8:] if err.strip() else [])
    return [cut(ln) for ln in text]


def run_command(argv: list[str], cwd: Path, env: dict, timeout: float):
    """``python -m tjcheck ARGV`` in its own session: (exit code or None on timeout, stdout,
    stderr, seconds, peak memory in MB of the process)."""
    import subprocess

    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "tjcheck", *argv], cwd=cwd, env=env, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, preexec_fn=_drop_read_override, start_new_session=True)
        stop = threading.Event()

        def guard() -> None:   # the same bounds as the fuzz run: time, and memory of the whole group
            deadline = time.monotonic() + timeout
            while not stop.wait(0.1):
                if time.monotonic() > deadline or tree_rss_mb(proc.pid) > MEMORY_BOUND_MB_CURRENT[0]:
                    _killpg(proc.pid)
                    return

        watcher = threading.Thread(target=guard, daemon=True)
        watcher.start()
        _, status, usage = os.wait4(proc.pid, 0)
        stop.set()
        proc.returncode = os.waitstatus_to_exitcode(status)
        killed = proc.returncode == -signal.SIGKILL
        _killpg(proc.pid)
        out.seek(0)
        err.seek(0)
        return (None if killed else proc.returncode, out.read(), err.read(), time.monotonic() - start,
                usage.ru_maxrss / 1024)


def _killpg(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
