"""Check every staff folder under a folder, in parallel, and stream the results.

Each worker process loads the ruleset and the face model once and then checks one profile
at a time; results come back in folder order as small records (records.py), so the caller
can write reports and counters as they arrive without holding every person in memory. A
profile that cannot be checked becomes an "unusable" record with its reason; it never stops
the batch. Nor does a person whose check takes longer than the time limit, or whose worker
dies: supervisor.py watches the workers.
"""
from __future__ import annotations

import io
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Iterator

from ..render.safe import visible
from .records import PASS, REJECT, UNUSABLE, PersonFinding, PersonResult

THUMBNAIL_HEIGHT = 120
DEFAULT_TIMEOUT = 120.0   # seconds per person; one takes about 0.1–0.3 s
_WORKER: dict = {}


@dataclass
class Settings:
    root: Path
    ruleset: Path | None = None
    as_of: date | None = None
    count_to: date | None = None
    show_pii: bool = False
    strict: bool = False
    thumbnails: bool = False


def find_profiles(root: Path, pattern: str) -> list[Path]:
    """Profiles matching ``pattern`` under ``root``, in folder order; hidden folders are skipped."""
    found = [p for p in root.rglob(pattern)
             if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts[:-1])]
    return sorted(found, key=lambda p: [part.casefold() for part in p.relative_to(root).parts])


def _start_worker(settings: Settings) -> None:
    """Once per worker: the ruleset, the checks, and the face model if it is installed
    (loaded here, so that the first person's time limit is not spent on them)."""
    from ..checks import REGISTRY  # noqa: F401  (imports every check)
    from ..engine import load_ruleset
    from ..profile import load_profile  # noqa: F401

    _WORKER["settings"] = settings
    _WORKER["ruleset"] = load_ruleset(settings.ruleset)
    try:
        from ..imaging.face import FaceBackendMissing, analyser

        analyser(_WORKER["ruleset"]["face"]["min_detection_score"])
    except (ImportError, FaceBackendMissing):
        pass   # the face checks report themselves as skipped


def check_one(profile: Path) -> PersonResult:
    """One person's record. Never raises: a problem becomes an unusable record."""
    from ..engine import verify
    from ..errors import InputError
    from ..profile import load_profile
    from ..report import Severity

    settings: Settings = _WORKER["settings"]
    rs = _WORKER["ruleset"]
    start = time.perf_counter()
    person = _unchecked(settings, profile, None, 0.0)   # unusable until the check says otherwise
    try:
        loaded = load_profile(profile, rs["identity"]["password_keys"])
        report = verify(loaded, rs, as_of=settings.as_of, count_to=settings.count_to, show_pii=settings.show_pii)
    except InputError as exc:
        if exc.file is not None and exc.file.is_relative_to(profile.parent):
            exc.file = exc.file.relative_to(profile.parent)   # the row and the report name the folder already
        person.problem = {"zh": exc.text("zh"), "en": exc.text("en")}
    except OSError as exc:     # a file the checks could not read: about the input, not a bug in tjcheck
        name = _relative_name(exc.filename, profile.parent)
        why = exc.strerror or type(exc).__name__
        person.problem = {"zh": visible(f"无法读取文件 {name}（{why}），未能检查"),
                          "en": visible(f"cannot read the file {name} ({why}), not checked")}
    except Exception as exc:   # a bug must not stop the other 999 people
        person.problem = {"zh": f"内部错误，未能检查（{type(exc).__name__}），请报告此问题",
                          "en": f"internal error, not checked ({type(exc).__name__}); please report it"}
    else:
        person.verdict = REJECT if report.rejected(settings.strict) else PASS
        if not report.complete:
            person.incomplete = {lang: _incomplete(report, lang) for lang in ("zh", "en")}
        person.name = report.subject.get("name", "")
        person.id_number = report.subject.get("id_number", "")
        person.mobile = report.subject.get("mobile", "")
        titles = {r.code: r.title for r in report.results}
        for f in report.findings:
            person.findings.append(PersonFinding(f.code, f.step, f.severity.value, titles.get(f.code, {}),
                                                 f.message, f.fix, f.path, f.line))
        person.errors = report.count(Severity.ERROR)
        person.warnings = report.count(Severity.WARNING)
        person.infos = report.count(Severity.INFO)
        if settings.thumbnails:
            person.thumbnail = _thumbnail(loaded)
    person.seconds = time.perf_counter() - start
    return person


def _incomplete(report, lang: str) -> str:
    from ..report import Outcome

    n, why = report.count_outcome(Outcome.SKIPPED), "; ".join(why for why, _ in report.skipped(lang))
    return f"{n} 项检查未能运行：{why}" if lang == "zh" else f"{n} check(s) could not run: {why}"


def _relative_name(filename, folder: Path) -> str:
    if filename is None:
        return ""
    path = Path(os.fsdecode(filename))
    return path.relative_to(folder).as_posix() if path.is_relative_to(folder) else str(path)


def _thumbnail(loaded) -> bytes | None:
    """A small JPEG of the ID photo for the HTML report, read and opened like every image
    (safeio, opener: a FIFO, /dev/zero or a decompression bomb is refused) and decoded small
    (JPEG draft mode)."""
    from ..imaging.opener import open_image
    from ..safeio import read_file

    photos = loaded.profile.basic.photo
    if len(photos) != 1:
        return None
    limits = _WORKER["ruleset"]["attachments"]
    try:
        im = open_image(read_file(loaded.base_dir / photos[0], int(limits["max_file_bytes"])),
                        int(limits["max_pixels"])).image
        im.draft("RGB", (THUMBNAIL_HEIGHT, THUMBNAIL_HEIGHT))
        im = im.convert("RGB")
        im.thumbnail((THUMBNAIL_HEIGHT * 2, THUMBNAIL_HEIGHT))
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=80)
        return buf.getvalue()
    except Exception:   # an unreadable photo is already a finding; the report shows a placeholder
        return None


def run(profiles: list[Path], settings: Settings, jobs: int, timeout: float = DEFAULT_TIMEOUT
        ) -> Iterator[PersonResult]:
    """Records in the order of ``profiles``, as they are ready, from ``jobs`` worker processes
    (one at least), each person within ``timeout`` seconds (supervisor.py)."""
    from .supervisor import supervise

    yield from supervise(profiles, jobs, timeout, partial(_start_worker, settings), check_one,
                         partial(_folder, settings.root), partial(_unchecked, settings))


def _folder(root: Path, profile: Path) -> str:
    return profile.parent.relative_to(root).as_posix() or "."


def _unchecked(settings: Settings, profile: Path, problem: dict[str, str] | None, seconds: float) -> PersonResult:
    """The record of a person the batch could not check: timed out, or the worker died."""
    return PersonResult(folder=_folder(settings.root, profile), profile=profile.relative_to(settings.root).as_posix(),
                        verdict=UNUSABLE, problem=problem, seconds=seconds)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


@dataclass
class Totals:
    """Counters kept while records stream past: everything the summary needs but the rows."""
    people: int = 0
    verdicts: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)      # code -> people with an error or warning for it
    titles: dict = field(default_factory=dict)

    def add(self, person: PersonResult) -> None:
        self.people += 1
        self.verdicts[person.verdict] += 1
        for code in {f.code for f in person.findings if f.severity in ("error", "warning")}:
            self.reasons[code] += 1
            self.titles.setdefault(code, next(f.title for f in person.findings if f.code == code))

    def as_dict(self) -> dict:
        return {"people": self.people, "pass": self.verdicts[PASS], "reject": self.verdicts[REJECT],
                "unusable": self.verdicts[UNUSABLE],
                "reasons": [{"code": code, "title": self.titles[code], "people": n}
                            for code, n in sorted(self.reasons.items(), key=lambda kv: (-kv[1], kv[0]))]}
