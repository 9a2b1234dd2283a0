"""The batch's report files for HR: ``--report FILE`` as .xlsx, .csv, .json or .html.

``open_report(path, lang, force=)`` picks the writer by the file's extension and opens its
temporary file, so that a path that cannot take the report (a folder, a missing folder, an
existing report without ``force``, no permission to write) is refused before the batch
starts, with exit code 2. The batch then calls
``writer.add(person)`` once per :class:`PersonResult` as results stream in, and
``writer.close(totals)`` at the end, where ``totals`` is::

    {"people": n, "pass": n, "reject": n, "unusable": n,
     "reasons": [{"code": "FA004", "title": {"zh": …, "en": …}, "people": 12}, …]}

No writer keeps the people in memory: each one writes a person as it arrives, either straight
into the report (.csv, .json) or into an anonymous spool file that is copied into the report
on close (.xlsx, whose column widths must precede the rows, and .html, whose summary comes
first). Every report is written to a hidden temporary file beside the target and renamed into
place by ``close``; a writer that is abandoned — ``abort()``, leaving a ``with`` block by an
exception, or simply dropped — removes its temporary file, so no partial report remains.

Formats
-------
.csv
    UTF-8 with a BOM so Excel shows Chinese, one header row, then one row per finding with the
    person's columns repeated (a person with no findings: one row with the finding columns
    empty; an unusable profile: one row with its problem in ``message``). Columns, in order
    (the header uses the chosen language; see ``CSV_COLUMNS``):
    folder, profile, name, id_number, mobile, verdict, errors, warnings, infos,
    code, step, severity, check, message, fix, path, line.
    Verdict and severity are words in the chosen language (通过/不通过/无法检查, 错误/警告/提示).
    A text cell starting with ``= + - @`` (or a tab/CR) gets a leading ``'`` so that a
    spreadsheet does not run it as a formula.
.json
    ``{"format_version": 1, "tool": {…}, "lang": "zh", "people": [person, …], "totals": {…}}``,
    a person being ``{"folder", "profile", "verdict" ("pass"|"reject"|"unusable"), "name",
    "id_number", "mobile", "errors", "warnings", "infos", "problem" (text or null), "seconds",
    "findings": [{"code", "step", "severity", "title", "message", "fix", "path", "line"}]}``;
    texts in the chosen language, ``totals`` exactly as given (titles in both languages).
.xlsx
    See :mod:`tjcheck.batch.report_xlsx`; ``open_report`` imports it (and openpyxl, when the
    workbook is saved) only for an .xlsx report.
.html
    See :mod:`tjcheck.batch.report_html`, likewise imported only for an .html report.

This module holds the base class :class:`ReportWriter`, ``open_report``, the words and
helpers the formats share, and the .csv and .json writers.
"""
from __future__ import annotations

import csv
import json
import os
import tempfile
import weakref
from pathlib import Path
from typing import IO

from .. import __version__
from ..atomic import temporary_beside
from ..errors import InputError
from ..render.safe import json_text, visible
from .records import PASS, REJECT, UNUSABLE, PersonFinding, PersonResult

FORMAT_VERSION = 1
EXTENSIONS = (".xlsx", ".csv", ".json", ".html")

VERDICT_WORDS = {
    "zh": {PASS: "通过", REJECT: "不通过", UNUSABLE: "无法检查"},
    "en": {PASS: "pass", REJECT: "reject", UNUSABLE: "unusable"},
}
SEVERITY_WORDS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}

CSV_COLUMNS = [
    ("folder", "文件夹", "Folder"), ("profile", "档案", "Profile"), ("name", "姓名", "Name"),
    ("id_number", "证件号码", "ID number"), ("mobile", "手机", "Mobile"),
    ("verdict", "结论", "Verdict"), ("errors", "错误数", "Errors"), ("warnings", "警告数", "Warnings"),
    ("infos", "提示数", "Infos"), ("code", "编号", "Code"), ("step", "步骤", "Step"),
    ("severity", "级别", "Severity"), ("check", "检查项", "Check"), ("message", "问题", "Message"),
    ("fix", "改法", "Fix"), ("path", "位置", "Path"), ("line", "行", "Line"),
]


def open_report(path: Path, lang: str, *, force: bool = False) -> ReportWriter:
    """The writer for ``path``'s extension, its temporary file already open beside ``path``:
    a report that cannot be written is refused here, before any person is checked.
    InputError (exit 2) for a path that cannot take the report; ValueError for a bad ``lang``."""
    path = Path(path)
    if lang not in VERDICT_WORDS:
        raise ValueError(f"unsupported language {lang!r}: use 'zh' or 'en'")
    _check_target(path, force)
    ext = path.suffix.lower()
    # the .xlsx and .html writers are imported only when such a report is asked for
    if ext == ".xlsx":
        from .report_xlsx import XlsxReport as writer
    elif ext == ".html":
        from .report_html import HtmlReport as writer
    else:
        writer = {".csv": CsvReport, ".json": JsonReport}[ext]
    try:
        return writer(path, lang)
    except OSError as exc:   # no permission, a read-only or special file system (/proc), …
        raise InputError(path, f"无法在 {path.parent} 中写入报告（{_why(exc, 'zh')}）。",
                         f"cannot write a report into {path.parent} ({_why(exc, 'en')}).") from None


def _check_target(path: Path, force: bool) -> None:
    """Refuse a report path that cannot work, naming why (InputError)."""
    if path.is_dir():
        raise InputError(path, "这是一个文件夹：--report 需要一个文件名，如 汇总.xlsx。",
                         "this is a folder: --report needs a file name, such as report.xlsx.")
    if path.suffix.lower() not in EXTENSIONS:
        raise InputError(path, "报告文件的扩展名须为 " + "、".join(EXTENSIONS) + "。",
                         "the report's file name must end in " + ", ".join(EXTENSIONS) + ".")
    if path.exists() or path.is_symlink():
        if not path.is_file():
            raise InputError(path, "已存在且不是普通文件（设备、管道等），不能写成报告。",
                             "exists and is not a regular file (a device, a pipe …): it cannot become a report.")
        if not force:
            raise InputError(path, "报告文件已存在，不会覆盖；换一个文件名，或加 --force。",
                             "the report exists and will not be overwritten: choose another name, or add --force.")
    parent = path.parent
    if not parent.exists():
        raise InputError(path, f"报告文件所在的文件夹 {parent} 不存在。", f"the folder {parent} does not exist.")
    if not parent.is_dir():
        raise InputError(path, f"{parent} 不是文件夹。", f"{parent} is not a folder.")


def _why(exc: OSError, lang: str) -> str:
    if isinstance(exc, PermissionError):
        return "没有写入权限" if lang == "zh" else "no permission to write there"
    return exc.strerror or type(exc).__name__


def _remove(name: str) -> None:
    try:
        os.unlink(name)
    except FileNotFoundError:
        pass


class ReportWriter:
    """Streams people into a temporary file beside ``path``; ``close`` renames it into place."""

    binary = False

    def __init__(self, path: Path, lang: str):
        self.path = Path(path)
        self.lang = lang
        self.closed = False
        fd, self._tmp = temporary_beside(self.path)
        # whatever happens to this writer, its temporary file does not outlive it
        self._cleanup = weakref.finalize(self, _remove, self._tmp)
        try:
            if self.binary:
                self._out: IO = os.fdopen(fd, "wb")
            else:
                self._out = os.fdopen(fd, "w", encoding="utf-8", newline="")
        except BaseException:
            os.close(fd)
            self._cleanup()
            raise
        try:
            self._start()
        except BaseException:
            self.abort()
            raise

    # -- the interface -------------------------------------------------------------
    def add(self, person: PersonResult) -> None:
        if self.closed:
            raise ValueError("report already closed")
        try:
            self._add(person)
        except BaseException:
            self.abort()
            raise

    def close(self, totals: dict) -> Path:
        if self.closed:
            raise ValueError("report already closed")
        try:
            self._finish(totals)
            self._out.flush()
            os.fsync(self._out.fileno())
            self._out.close()
            os.replace(self._tmp, self.path)
        except BaseException:
            self.abort()
            raise
        self.closed = True
        self._cleanup.detach()
        return self.path

    def abort(self) -> None:
        """Give up: close and remove the temporary file; the target is left untouched."""
        if self.closed:
            return
        self.closed = True
        try:
            self._discard()
            self._out.close()
        finally:
            self._cleanup()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if not self.closed:
            self.abort()   # close() was not reached: an exception, or a forgotten close
        return False

    # -- for the formats -------------------------------------------------------------
    def _start(self) -> None: ...
    def _add(self, person: PersonResult) -> None: ...
    def _finish(self, totals: dict) -> None: ...
    def _discard(self) -> None: ...

    def verdict(self, person: PersonResult) -> str:
        return VERDICT_WORDS[self.lang].get(person.verdict, person.verdict)

    def severity(self, finding: PersonFinding) -> str:
        return SEVERITY_WORDS[self.lang].get(finding.severity, finding.severity)

    def problem(self, person: PersonResult) -> str:
        return _pick(person.problem, self.lang) if person.problem else ""

    def reasons(self, person: PersonResult) -> str:
        return ("；" if self.lang == "zh" else "; ").join(person.reasons(self.lang))


def _pick(texts: dict[str, str] | None, lang: str) -> str:
    if not texts:
        return ""
    return texts.get(lang) or texts.get("zh") or texts.get("en") or ""


def _ordered(findings: list[PersonFinding]) -> list[PersonFinding]:
    return sorted(findings, key=lambda f: (_SEVERITY_RANK.get(f.severity, 3), f.step))


def _spool() -> IO[str]:
    return tempfile.TemporaryFile("w+", encoding="utf-8", newline="")


# ------------------------------------------------------------------------------------ CSV
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defuse(value):
    """A text cell as shown (controls visible) and never run as a formula."""
    if isinstance(value, str):
        value = visible(value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


class CsvReport(ReportWriter):
    def _start(self) -> None:
        self._out.write("\ufeff")
        self._csv = csv.writer(self._out)
        col = 1 if self.lang == "zh" else 2
        self._csv.writerow([c[col] for c in CSV_COLUMNS])

    def _add(self, person: PersonResult) -> None:
        head = [person.folder, person.profile, person.name, person.id_number, person.mobile,
                self.verdict(person), person.errors, person.warnings, person.infos]
        rows = [["", "", "", "", self.problem(person), "", "", ""]] if person.problem else []
        rows += [[f.code, f.step, self.severity(f), _pick(f.title, self.lang), _pick(f.message, self.lang),
                  _pick(f.fix, self.lang), f.path, "" if f.line is None else f.line]
                 for f in _ordered(person.findings)]
        if not rows:   # every person appears, even one with nothing to report
            rows = [[""] * 8]
        self._csv.writerows([_defuse(v) for v in head + row] for row in rows)


# ----------------------------------------------------------------------------------- JSON
class JsonReport(ReportWriter):
    def _start(self) -> None:
        head = json.dumps({"format_version": FORMAT_VERSION,
                           "tool": {"name": "tjcheck", "version": __version__},
                           "lang": self.lang}, ensure_ascii=False, indent=2)
        self._out.write(head[:-2] + ',\n  "people": [')   # leave the object open after "lang"
        self._first = True

    def _add(self, person: PersonResult) -> None:
        lang = self.lang
        data = {
            "folder": person.folder, "profile": person.profile, "verdict": person.verdict,
            "name": person.name, "id_number": person.id_number, "mobile": person.mobile,
            "errors": person.errors, "warnings": person.warnings, "infos": person.infos,
            "problem": self.problem(person) or None, "seconds": round(person.seconds, 3),
            "findings": [{"code": f.code, "step": f.step, "severity": f.severity,
                          "title": _pick(f.title, lang), "message": _pick(f.message, lang),
                          "fix": _pick(f.fix, lang), "path": f.path or None, "line": f.line}
                         for f in person.findings],
        }
        text = json_text(json.dumps(data, ensure_ascii=False, indent=2)).replace("\n", "\n    ")
        self._out.write(("\n    " if self._first else ",\n    ") + text)
        self._first = False

    def _finish(self, totals: dict) -> None:
        tail = json_text(json.dumps(totals, ensure_ascii=False, indent=2)).replace("\n", "\n  ")
        self._out.write(("]" if self._first else "\n  ]") + ',\n  "totals": ' + tail + "\n}\n")
