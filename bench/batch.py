#!/usr/bin/env python3
"""How fast `tjcheck batch` checks many staff folders, and whether its memory stays flat.

    python bench/batch.py [--people N] [--json] [--keep DIR]
    python bench/batch.py --ocr [--people N] [--json]     # documents read (extra ocr), default N = 20

1. Data: N synthetic staff folders (default 1000), each a `profile.yaml` shaped like
   examples/passing (a different name, a valid resident ID number with its check digit,
   mobile, birth date, diploma and degree serials) and its eight images at realistic pixel
   and file sizes: the ID photo (413×579, 30–60 KB) re-cropped, re-lit and re-encoded from
   the example's photo, so each person has a different file that still shows one frontal
   face; ID card front/back (1000×630, 100–250 KB), handheld-ID photo (1200×900,
   200–400 KB), diploma, degree and title certificate (1400×1000, 200–450 KB) and work
   proof (1240×1754, 300–480 KB): one textured scan per kind, marked and re-encoded at
   its own quality for each person. Kept in /tmp/batch_bench/people-N and reused by later
   runs (200 people are hard links to the first 200 of a larger set).
   Two of them are checked with `tjcheck verify` first: they must pass with no check
   skipped (so the face checks are on).
2. Baseline, in the same run: decode every image file of the N folders once with Pillow,
   sequentially in this process, as a measure of this machine's speed.
3. Wall time of `tjcheck batch DIR --jobs 1` and `--jobs 2` (2 is the default on a 2-core
   machine), each in a fresh process with --exit-zero --quiet --report r.json:
   ratio_to_decode_baseline = 2-job time / decode time; speedup_2_jobs = 1-job / 2-job.
   Beside them: CPU time per person (the batch and its workers), the median time per
   person measured inside the workers (from the report), and how many people passed.
4. Peak memory: the largest sum of VmRSS over the batch process and its workers, sampled
   every 50 ms from /proc, for 200 people and for N (results are streamed, so the two
   should be about the same). Shared pages count once per process, so the sum overstates
   the real footprint a little; it is a fair figure for comparing the two sizes.
Each timing also gives the cores that other processes (or the host) kept busy meanwhile,
with a warning above 0.15: run it on a quiet machine. 1000 people take about 5 minutes on
2 cores (plus about 50 s to generate the data the first time).
Targets (issue): ratio <= 2.0 with the face checks on, speed-up >= 1.7, peak memory about
the same for 200 and 1000 people. With --json one object: people, ratio_to_decode_baseline,
speedup_2_jobs, peak_rss_mb, peak_rss_mb_200, baseline_s, batch_1_job_s, batch_2_jobs_s.
--keep DIR puts the data, the reports and the batch's output in DIR and leaves them there
(by default the reports and output go to a temporary folder that is removed).
"""
from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "passing"
CACHE = Path("/tmp/batch_bench")
GENERATOR = "batch-bench data v2"      # change when the generated data changes: old caches are rebuilt
SMALL = 200                            # the second size, for the memory comparison

KB = 1024
# kind: (file name, (width, height), (min KB, max KB), noise sigma, blur radius)
KINDS = {
    "id_front": ("id_front.jpg", (1000, 630), (100, 250), 8, 0.0),
    "id_back": ("id_back.jpg", (1000, 630), (100, 250), 8, 0.0),
    "id_handheld": ("id_handheld.jpg", (1200, 900), (200, 400), 12, 0.7),
    "diploma": ("diploma.jpg", (1400, 1000), (200, 450), 8, 0.7),
    "degree": ("degree.jpg", (1400, 1000), (200, 450), 8, 0.7),
    "work_proof": ("work_proof.jpg", (1240, 1754), (300, 480), 4, 0.7),
    "title_cert": ("title_cert.jpg", (1400, 1000), (200, 450), 8, 0.7),
}
PHOTO_KB = (30, 60)
HARD_LIMITS = (20 * KB, 500 * KB)      # attachments: > 20 KB and <= 500 KB (AT005, AT006)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = ["晓雯", "丽", "静", "敏", "婷", "雪", "芳", "娜", "秀英", "丹", "玉兰", "慧", "颖", "佳", "欣怡", "梦琪",
         "雨涵", "思远", "佳琪", "文静", "海燕", "春梅", "秋菊", "美玲", "晓燕", "丽娟", "红霞", "丽华", "淑珍", "桂英",
         "晓红", "艳", "倩", "琳", "洁", "璐", "莉", "蕾", "薇", "瑶", "欣", "悦", "蓉", "萍", "霞", "燕", "雅琴", "雅婷"]
# Tianjin districts (GB/T 2260), so the ID matches hukou_tianjin: true
REGIONS = ["120101", "120102", "120103", "120104", "120105", "120106", "120110", "120111", "120112",
           "120113", "120114", "120115", "120116"]
MOBILE_PREFIXES = ["138", "139", "135", "136", "150", "151", "158", "186", "187", "188", "133", "177"]
FIRST_BIRTH = date(1987, 9, 16)        # births over 360 days from here: 18 at the example's 2006-09 enrolment


# ---------------------------------------------------------------------------------- data

def person_fields(i: int) -> dict[str, str]:
    """The varying fields of person i, unique across people (ID number, mobile, serials)."""
    from stdnum.cn import ric

    birth = FIRST_BIRTH + timedelta(days=i % 360)
    rest = i // 360
    region = REGIONS[rest % len(REGIONS)]
    seq = 2 * ((rest // len(REGIONS)) % 500)           # 000–998, even: 女 as in the example
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    number = body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character
    rnd = random.Random(i)
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES) + rnd.randrange(7)) % len(GIVEN)]
    mobile = MOBILE_PREFIXES[i % len(MOBILE_PREFIXES)] + f"{(i * 7919 + 12345678) % 10**8:08d}"
    return {"id_number": number, "name": name, "mobile": mobile, "birth_date": birth.isoformat(),
            "diploma_no": f"199991201005{i % 10**6:06d}", "degree_no": f"1999942010{i % 10**6:06d}"}


def profile_text(template: str, f: dict[str, str]) -> str:
    """The example's profile with person f's values; every replacement must hit once."""
    subs = [(r'id_number: "120104198803150243"', f'id_number: "{f["id_number"]}"'),
            (r"name: 李晓雯", f"name: {f['name']}"),
            (r'mobile: "13812345678"', f'mobile: "{f["mobile"]}"'),
            (r"birth_date: 1988-03-15", f"birth_date: {f['birth_date']}"),
            (r'diploma_no: "199991201005001234"', f'diploma_no: "{f["diploma_no"]}"'),
            (r'degree_no: "1999942010001234"', f'degree_no: "{f["degree_no"]}"')]
    for old, new in subs:
        template, n = re.subn(re.escape(old), new, template)
        if n != 1:
            raise SystemExit(f"bench/batch.py: '{old}' occurs {n} times in {EXAMPLE / 'profile.yaml'}")
    return template


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:                                  # Pillow < 10.1: one bitmap size
        return ImageFont.load_default()


def _scan(kind: str, size: tuple[int, int], sigma: float, blur: float, portrait):
    """A textured, scan-like image of one kind: paper, border, title, lines of text, a pasted
    photo and a stamp, then grain and a little blur so JPEG sizes are those of real scans."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    w, h = size
    rnd = random.Random(kind)
    paper = {"id_front": (214, 226, 232), "id_back": (220, 228, 226), "id_handheld": (150, 140, 128),
             "work_proof": (246, 246, 243)}.get(kind, (242, 238, 226))
    img = Image.new("RGB", size, paper)
    d = ImageDraw.Draw(img)
    if kind == "id_handheld":                          # a photo: wall gradient, a person, the held card
        for y in range(h):
            t = y / h
            d.line([(0, y), (w, y)], fill=(int(190 - 60 * t), int(182 - 60 * t), int(170 - 50 * t)))
        d.ellipse([w * 0.36, h * 0.08, w * 0.64, h * 0.50], fill=(222, 184, 160))
        d.rectangle([w * 0.22, h * 0.50, w * 0.78, h], fill=(38, 40, 52))
        card = (int(w * 0.30), int(h * 0.52), int(w * 0.70), int(h * 0.52 + w * 0.40 * 0.63))
        d.rounded_rectangle(card, radius=14, fill=(214, 226, 232), outline=(120, 130, 140), width=3)
        side = card[3] - card[1] - 40                     # the card's photo, top right
        img.paste(portrait.resize((side, round(side * 579 / 413))).crop((0, 0, side, side)),
                  (card[2] - side - 20, card[1] + 20))
        d.text((card[0] + 20, card[1] + 30), "SPECIMEN", fill=(40, 40, 40), font=_font(22))
    else:
        border = (150, 110, 60) if kind in ("diploma", "degree", "title_cert") else (110, 120, 130)
        d.rectangle([w * 0.03, h * 0.03, w * 0.97, h * 0.97], outline=border, width=max(3, w // 250))
        d.rectangle([w * 0.045, h * 0.045, w * 0.955, h * 0.955], outline=border, width=1)
        title = {"id_front": "RESIDENT IDENTITY CARD", "id_back": "PEOPLE'S REPUBLIC OF CHINA",
                 "diploma": "GRADUATION CERTIFICATE", "degree": "BACHELOR'S DEGREE CERTIFICATE",
                 "title_cert": "PROFESSIONAL TITLE CERTIFICATE", "work_proof": "CERTIFICATE OF EMPLOYMENT"}[kind]
        big = _font(max(24, min(w, h) // 16))
        d.text((w * 0.5, h * 0.10), title, fill=(25, 25, 25), font=big, anchor="mt")
        font = _font(max(16, min(w, h) // 34))
        left = w * 0.10
        if kind in ("id_front", "diploma", "degree", "title_cert"):
            pw = int(w * (0.26 if kind == "id_front" else 0.14))
            box = (int(w * 0.66) if kind == "id_front" else int(w * 0.10), int(h * 0.26))
            img.paste(portrait.resize((pw, int(pw * 579 / 413))), box)
            if kind != "id_front":
                left = w * 0.30
        if kind == "id_back":
            d.ellipse([w * 0.08, h * 0.22, w * 0.28, h * 0.22 + w * 0.20], outline=(200, 40, 40), width=8)
        y = h * 0.26
        while y < h * 0.82:
            words = " ".join("".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(2, 9)))
                             for _ in range(rnd.randint(3, 9)))
            d.text((left, y), words, fill=(35, 35, 40), font=font)
            y += font.size * 1.9
        if kind != "id_front":
            s = min(w, h) * 0.22
            d.ellipse([w * 0.68, h * 0.66, w * 0.68 + s, h * 0.66 + s], outline=(205, 45, 45), width=7)
        d.text((w * 0.5, h * 0.5), "SPECIMEN", fill=(232, 150, 150), font=_font(min(w, h) // 7), anchor="mm")
    grain = Image.effect_noise(size, sigma).convert("RGB")
    img = ImageChops.add(img, grain, scale=1.0, offset=-128)
    return img.filter(ImageFilter.GaussianBlur(blur)) if blur else img


def _encode(img, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _qualities(img, lo_kb: int, hi_kb: int, qs=range(50, 97)) -> list[int]:
    """JPEG qualities whose file lands inside the range, with 3 % to spare for the marks."""
    ok = [q for q in qs if lo_kb * KB * 1.03 < len(_encode(img, q)) < hi_kb * KB * 0.97]
    if not ok:
        raise SystemExit(f"bench/batch.py: no JPEG quality gives {lo_kb}–{hi_kb} KB for a {img.size} image")
    return ok


_BASES: dict = {}                       # built once in the parent, inherited by the forked workers


def build_bases() -> None:
    from PIL import Image

    with Image.open(EXAMPLE / "images" / "photo.jpg") as im:
        portrait = im.convert("RGB")
    _BASES["photo"] = (portrait, _qualities(portrait, *PHOTO_KB, qs=range(80, 97)))
    for kind, (_, size, (lo, hi), sigma, blur) in KINDS.items():
        img = _scan(kind, size, sigma, blur, portrait)
        _BASES[kind] = (img, _qualities(img, lo, hi))
    _BASES["template"] = (EXAMPLE / "profile.yaml").read_text(encoding="utf-8")


def _fit(make, quals: list[int], q: int, lo: int, hi: int) -> bytes:
    """Encode at q; if a person's variation pushed the size out of range, step the quality."""
    data = make(q)
    while len(data) > hi and q > quals[0]:
        q -= 1
        data = make(q)
    while len(data) <= lo and q < quals[-1]:
        q += 1
        data = make(q)
    if not lo < len(data) <= hi:
        raise RuntimeError(f"generated image of {len(data)} bytes, outside {lo}–{hi}")
    return data


def _shift(img, dx: int, dy: int, pad: int = 12):
    """The image moved dx right and dy down at the same size: the rows and columns pushed out
    are cropped, the edge that opens is filled with a mirror image of its neighbours."""
    from PIL import Image

    flip_lr, flip_tb = Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.FLIP_TOP_BOTTOM
    w, h = img.size
    big = Image.new("RGB", (w + 2 * pad, h + 2 * pad))
    big.paste(img, (pad, pad))
    big.paste(img.crop((0, 0, pad, h)).transpose(flip_lr), (0, pad))
    big.paste(img.crop((w - pad, 0, w, h)).transpose(flip_lr), (w + pad, pad))
    big.paste(big.crop((0, pad, w + 2 * pad, 2 * pad)).transpose(flip_tb), (0, 0))
    big.paste(big.crop((0, h, w + 2 * pad, h + pad)).transpose(flip_tb), (0, h + pad))
    return big.crop((pad - dx, pad - dy, pad - dx + w, pad - dy + h))


def make_person(folder: Path, i: int) -> None:
    from PIL import ImageDraw, ImageEnhance

    rnd = random.Random(1_000_003 * i + 17)
    fields = person_fields(i)
    images = folder / "images"
    images.mkdir(parents=True)
    # the ID photo: a slight crop (shifted by a few pixels, never resized: an enlargement
    # would trip PH006), brightness, JPEG quality
    portrait, quals = _BASES["photo"]
    photo = _shift(portrait, rnd.randint(-6, 6), rnd.randint(0, 10))
    photo = ImageEnhance.Brightness(photo).enhance(rnd.uniform(0.96, 1.04))
    data = _fit(lambda q: _encode(photo, q), quals, rnd.choice(quals), PHOTO_KB[0] * KB, PHOTO_KB[1] * KB)
    (images / "photo.jpg").write_bytes(data)
    # the scans: the kind's image with this person's serial drawn on it, at its own quality
    for kind, (name, size, (lo, hi), _, _) in KINDS.items():
        base, quals = _BASES[kind]
        img = base.copy()
        d = ImageDraw.Draw(img)
        x, y = int(size[0] * rnd.uniform(0.08, 0.40)), int(size[1] * rnd.uniform(0.86, 0.90))
        d.text((x, y), f"No. {fields['id_number'][-6:]}  {i:06d}", fill=(30, 30, 30), font=_font(18))
        d.line([(x, y + 24), (x + rnd.randint(80, 300), y + 24)], fill=(60, 60, 60), width=2)
        lo_b, hi_b = max(lo * KB, HARD_LIMITS[0]), min(hi * KB, HARD_LIMITS[1])
        (images / name).write_bytes(_fit(lambda q, img=img: _encode(img, q), quals, rnd.choice(quals), lo_b, hi_b))
    (folder / "profile.yaml").write_text(profile_text(_BASES["template"], fields), encoding="utf-8")


def _make_chunk(args: tuple[str, list[int]]) -> int:
    out, indices = args
    for i in indices:
        make_person(Path(out) / f"staff-{i:05d}", i)
    return len(indices)


def _complete(folder: Path) -> bool:
    marker = folder / ".complete"
    return marker.is_file() and marker.read_text().strip() == GENERATOR


def dataset(base: Path, n: int, larger: Path | None = None) -> tuple[Path, float, str]:
    """The folder with n people: reused if complete, hard-linked from the first n people of a
    larger complete set, or generated (in parallel). Returns (folder, seconds, how)."""
    folder = base / f"people-{n}"
    if _complete(folder):
        return folder, 0.0, "reused"
    start = time.perf_counter()
    shutil.rmtree(folder, ignore_errors=True)
    work = base / f".people-{n}.{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if larger is not None and _complete(larger):
        how = f"linked from {larger.name}"
        for i in range(n):
            src = larger / f"staff-{i:05d}"
            shutil.copytree(src, work / src.name, copy_function=_link_or_copy)
    else:
        how = "generated"
        if not _BASES:
            build_bases()
        jobs = os.cpu_count() or 1
        step = max(1, min(50, n // (4 * jobs) or 1))
        chunks = [(str(work), list(range(k, min(k + step, n)))) for k in range(0, n, step)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            done = sum(pool.imap_unordered(_make_chunk, chunks))
        assert done == n
    (work / ".complete").write_text(GENERATOR + "\n")
    work.rename(folder)
    return folder, time.perf_counter() - start, how


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


# ------------------------------------------------------------------------------ measures

def decode_all(folder: Path) -> tuple[int, float, float]:
    """Decode every image file of the folder once, sequentially; (files, seconds, cores
    used by other processes meanwhile)."""
    from PIL import Image

    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    cpu0, busy0 = _cpu(resource.RUSAGE_SELF), _busy_seconds()
    start = time.perf_counter()
    for p in files:
        with Image.open(p) as im:
            im.load()
    seconds = time.perf_counter() - start
    other = (_busy_seconds() - busy0 - (_cpu(resource.RUSAGE_SELF) - cpu0)) / seconds
    _warn_load(other, "the decode baseline")
    return len(files), seconds, other


def _warn_load(cores: float, what: str) -> None:
    if cores > 0.15:
        sys.stderr.write(f"bench/batch.py: warning: other processes (or the host) kept {cores:.2f} cores busy "
                         f"during {what}: its time is not reliable\n")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreeRss(threading.Thread):
    """Samples the summed VmRSS of a process and all its descendants; keeps the peak (and the
    main process's own peak). The process tree is re-read from /proc every 5th sample (a
    scan costs ~1 ms); in between only the known processes are read."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = self.main_peak_kb = self.peak_processes = self.samples = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        pids: list[int] = []
        while not self._stop_event.is_set():
            if self.samples % 5 == 0:
                tree, pids, todo = _children(), [], [self.pid]
                while todo:
                    pid = todo.pop()
                    pids.append(pid)
                    todo.extend(tree.get(pid, ()))
            rss = [_rss_kb(p) for p in pids]
            self.samples += 1
            self.main_peak_kb = max(self.main_peak_kb, rss[0])
            if sum(rss) > self.peak_kb:
                self.peak_kb, self.peak_processes = sum(rss), sum(1 for r in rss if r)
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def batch_options() -> tuple[bool, str]:
    """Whether `tjcheck batch` exists, and its help text."""
    r = subprocess.run([sys.executable, "-m", "tjcheck", "batch", "--help"], capture_output=True, text=True,
                       cwd=ROOT, env=_env(), check=False)
    return r.returncode == 0, r.stdout


def _busy_seconds() -> float:
    """CPU time spent by the whole machine so far (every state but idle and iowait)."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def _env() -> dict[str, str]:
    return {**os.environ, "COLUMNS": "100"}


def run_batch(folder: Path, jobs: int, out: Path, help_text: str) -> dict:
    """One `tjcheck batch` run in a fresh process: wall time, peak RSS of its tree, output."""
    out.mkdir(parents=True, exist_ok=True)
    tag = f"{folder.name}-j{jobs}"
    report = out / f"{tag}.json"
    report.unlink(missing_ok=True)            # a kept report from an earlier run
    cmd = [sys.executable, "-m", "tjcheck", "batch", str(folder), "--jobs", str(jobs), "--exit-zero"]
    for opt in ("--quiet",):
        if opt in help_text:
            cmd.append(opt)
    if "--report" in help_text:
        cmd += ["--report", str(report)]
    with open(out / f"{tag}.stdout", "wb") as so, open(out / f"{tag}.stderr", "wb") as se:
        cpu0 = (_cpu(resource.RUSAGE_CHILDREN), _cpu(resource.RUSAGE_SELF), _busy_seconds())
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=so, stderr=se, cwd=ROOT, env=_env())
        sampler = TreeRss(proc.pid)
        sampler.start()
        rc = proc.wait()
        seconds = time.perf_counter() - start
        sampler.stop()
        # the batch's CPU (with its reaped workers), and what the rest of the machine used meanwhile
        batch_cpu = _cpu(resource.RUSAGE_CHILDREN) - cpu0[0]
        other = _busy_seconds() - cpu0[2] - batch_cpu - (_cpu(resource.RUSAGE_SELF) - cpu0[1])
    if rc != 0:
        sys.stderr.write(f"bench/batch.py: {' '.join(cmd)} exited {rc}:\n"
                         + (out / f"{tag}.stderr").read_text(errors="replace")[-3000:] + "\n")
        raise SystemExit(1)
    result = {"seconds": seconds, "peak_rss_mb": sampler.peak_kb / 1024, "processes": sampler.peak_processes,
              "main_rss_mb": sampler.main_peak_kb / 1024, "cpu_s": batch_cpu, "other_cores": max(0.0, other) / seconds,
              "checked": None, "passed": None, "median_s": None}
    try:   # the JSON report: how many people were checked and passed, the workers' own time per person
        d = json.loads(report.read_text(encoding="utf-8"))
        result["checked"], result["passed"] = d["totals"]["people"], d["totals"]["pass"]
        result["median_s"] = statistics.median(p["seconds"] for p in d["people"])
    except (OSError, ValueError, KeyError, TypeError, statistics.StatisticsError):
        pass
    people = sum(1 for _ in folder.glob("staff-*"))
    _warn_load(result["other_cores"], f"`batch --jobs {jobs}` of {folder.name}")
    if result["checked"] != people or result["passed"] != people:
        sys.stderr.write(f"bench/batch.py: warning: {' '.join(cmd)}: {result['checked']} checked, "
                         f"{result['passed']} passed, of {people}\n")
    return result


def preflight(folder: Path) -> str | None:
    """A problem with the generated data (a sample person must pass with every check run), or None."""
    for staff in sorted(folder.glob("staff-*"))[:2]:
        r = subprocess.run([sys.executable, "-m", "tjcheck", "verify", str(staff / "profile.yaml"), "--format",
                            "json", "--exit-zero"], capture_output=True, text=True, cwd=ROOT, env=_env(),
                           check=False)
        try:
            d = json.loads(r.stdout)
        except ValueError:
            return f"verify {staff.name} gave no JSON: {r.stderr[-500:]}"
        if d["verdict"] != "pass":
            bad = [f"{f['code']} {f['message']}" for f in d["findings"] if f["severity"] == "error"]
            return f"{staff.name} does not pass: {bad}"
        if d["summary"].get("checks_skipped"):
            return f"{d['summary']['checks_skipped']} checks skipped for {staff.name} (face analysis not installed?)"
    return None


def _line(r: dict, jobs: int, people: int) -> str:
    median = f"{r['median_s'] * 1000:4.0f}" if r["median_s"] is not None else "   ?"
    return (f"batch --jobs {jobs}, {people:5d} people: {r['seconds']:7.2f} s  {r['seconds'] / people * 1000:5.1f} ms/person"
            f"  (CPU {r['cpu_s'] / people * 1000:4.0f} ms/person, median in a worker {median} ms)  passed "
            f"{r['passed']}/{r['checked']}\n"
            f"{'':31s}peak RSS {r['peak_rss_mb']:4.0f} MB over {r['processes']} processes (main process "
            f"{r['main_rss_mb']:3.0f} MB); other load {r['other_cores']:.2f} cores")


def ocr_dataset(base: Path, n: int) -> Path:
    """N staff folders, each examples/passing with every image re-encoded at its own JPEG
    quality and brightness, so that each person's documents are new to the reader."""
    from PIL import Image, ImageEnhance

    folder = base / f"ocr-people-{n}"
    if folder.is_dir() and sum(1 for _ in folder.glob("staff-*")) == n:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    src = ROOT / "examples" / "passing"
    images = sorted((src / "images").glob("*.jpg"))
    for i in range(n):
        person = folder / f"staff-{i:04d}"
        (person / "images").mkdir(parents=True)
        shutil.copy(src / "profile.yaml", person / "profile.yaml")
        for path in images:
            img = ImageEnhance.Brightness(Image.open(path).convert("RGB")).enhance(0.97 + 0.002 * (i % 30))
            img.save(person / "images" / path.name, "JPEG", quality=85 + i % 10)
    return folder


def ocr_throughput(args) -> None:
    """`tjcheck --no-cache batch` of N copies of the passing example, 1 and 2 jobs."""
    n = args.people if args.people != 1000 else 20
    base = (args.keep or CACHE).resolve()
    base.mkdir(parents=True, exist_ok=True)
    folder = ocr_dataset(base, n)
    results = {}
    for jobs in (1, 2):
        cmd = [sys.executable, "-m", "tjcheck", "--no-cache", "batch", str(folder), "--jobs", str(jobs),
               "--exit-zero", "--quiet"]
        busy0, start = _busy_seconds(), time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=_env(), check=False)
        seconds = time.perf_counter() - start
        if r.returncode != 0:
            sys.stderr.write(f"bench/batch.py: {' '.join(cmd)} exited {r.returncode}:\n{r.stderr[-3000:]}\n")
            raise SystemExit(1)
        results[jobs] = seconds
        if not args.json:
            print(f"--jobs {jobs}: {n} people in {seconds:.1f} s = {seconds / n:.2f} s/person, "
                  f"{60 * n / seconds:.1f} people/minute (machine busy {(_busy_seconds() - busy0) / seconds:.2f} "
                  "cores)", flush=True)
    print(json.dumps({"people": n, "ocr": True, "batch_1_job_s": round(results[1], 2),
                      "batch_2_jobs_s": round(results[2], 2),
                      "seconds_per_person_2_jobs": round(results[2] / n, 3),
                      "people_per_minute_2_jobs": round(60 * n / results[2], 1),
                      "speedup_2_jobs": round(results[1] / results[2], 2)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep data, reports and output in DIR")
    parser.add_argument("--ocr", action="store_true", help="throughput with the documents read (extra ocr): "
                        "--people copies of examples/passing, every image re-encoded so nothing is read twice")
    args = parser.parse_args()
    if args.ocr:
        ocr_throughput(args)
        return
    log = (lambda *a: None) if args.json else (lambda *a: print(*a, flush=True))
    base = (args.keep or CACHE).resolve()
    if base == ROOT or ROOT in base.parents:
        parser.error("--keep must be outside the project")
    base.mkdir(parents=True, exist_ok=True)
    n = args.people

    big, gen_s, how = dataset(base, n)
    log(f"{n} people in {big} ({how}{f' in {gen_s:.1f} s' if gen_s else ''})")
    small, small_s, how_small = dataset(base, SMALL, larger=big if n >= SMALL else None)
    if n != SMALL:
        log(f"{SMALL} people in {small} ({how_small}{f' in {small_s:.1f} s' if small_s else ''})")
    problem = preflight(big)
    if problem:
        sys.stderr.write(f"bench/batch.py: warning: {problem}\n")

    files, baseline, other = decode_all(big)
    log(f"Pillow decode of {files} images, sequential: {baseline:.2f} s ({baseline / n * 1000:.1f} ms/person); "
        f"other load {other:.2f} cores")

    exists, help_text = batch_options()
    if not exists:
        sys.stderr.write("bench/batch.py: `tjcheck batch` does not exist yet; only the data and the baseline "
                         "were measured\n")
        if args.json:
            print(json.dumps({"people": n, "ratio_to_decode_baseline": None, "speedup_2_jobs": None,
                              "peak_rss_mb": None, "baseline_s": round(baseline, 3)}))
        raise SystemExit(1)
    if "--quiet" not in help_text:
        sys.stderr.write("bench/batch.py: note: `tjcheck batch` has no --quiet; run without it\n")

    out = base / "runs" if args.keep else Path(tempfile.mkdtemp(prefix="runs-", dir=CACHE))
    try:
        one = run_batch(big, 1, out, help_text)
        log(_line(one, 1, n))
        two = run_batch(big, 2, out, help_text)
        log(_line(two, 2, n))
        few = two if n == SMALL else run_batch(small, 2, out, help_text)
        if n != SMALL:
            log(_line(few, 2, SMALL))
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)

    result = {"people": n,
              "ratio_to_decode_baseline": round(two["seconds"] / baseline, 2),
              "speedup_2_jobs": round(one["seconds"] / two["seconds"], 2),
              "peak_rss_mb": round(two["peak_rss_mb"], 1),
              "peak_rss_mb_200": round(few["peak_rss_mb"], 1),
              "baseline_s": round(baseline, 3),
              "batch_1_job_s": round(one["seconds"], 3),
              "batch_2_jobs_s": round(two["seconds"], 3)}
    if args.json:
        print(json.dumps(result))
        return
    print(f"ratio to decode baseline (2 jobs):  {result['ratio_to_decode_baseline']:5.2f}   (target <= 2.0)")
    print(f"speed-up of 2 jobs over 1:          {result['speedup_2_jobs']:5.2f}   (target >= 1.7)")
    print(f"peak RSS, {SMALL} people / {n} people:  {result['peak_rss_mb_200']:.0f} MB / {result['peak_rss_mb']:.0f} MB"
          f"   (target: about the same)")


if __name__ == "__main__":
    main()
