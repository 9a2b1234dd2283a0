"""The batch's report files for HR: ``--report FILE`` as .xlsx, .csv, .json or .html.

``open_report(path, lang)`` picks the writer by the file's extension. The batch then calls
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
.xlsx
    Sheet "人员 People", one row per person: folder, name, ID number, mobile, verdict, errors,
    warnings, first reasons (for an unusable profile: its problem). Sheet "问题 Findings", one row
    per finding: folder, name, code, step, severity, check title, message, fix, path, line; an
    unusable profile has one row there with its problem as the message. Sheet "汇总 Summary":
    the totals and the people per reason. Bold frozen header row, autofilter over the data,
    column widths from the content (Chinese characters count double, capped at 80).
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
.html
    One self-contained page (inline CSS, images as data URIs, a Content-Security-Policy that
    allows nothing else): a summary header, verdict filters that work without JavaScript
    (radio buttons and CSS), a name search that a small inline script adds, and one card per
    person with the ID-photo thumbnail, name, folder, masked ID, verdict and findings.
    Fixed labels are Chinese first with the English marked ``lang="en"``; the data is in the
    chosen language. Every text from a profile is escaped.
"""
from __future__ import annotations

import base64
import csv
import hashlib
import html
import json
import os
import shutil
import tempfile
import unicodedata
import weakref
from pathlib import Path
from typing import IO

from .. import __version__
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

# (key, zh, en) — the columns of each table, in order
PEOPLE_COLUMNS = [
    ("folder", "文件夹", "Folder"), ("name", "姓名", "Name"), ("id_number", "证件号码", "ID number"),
    ("mobile", "手机", "Mobile"), ("verdict", "结论", "Verdict"), ("errors", "错误", "Errors"),
    ("warnings", "警告", "Warnings"), ("reasons", "主要问题", "First reasons"),
]
FINDING_COLUMNS = [
    ("folder", "文件夹", "Folder"), ("name", "姓名", "Name"), ("code", "编号", "Code"),
    ("step", "步骤", "Step"), ("severity", "级别", "Severity"), ("check", "检查项", "Check"),
    ("message", "问题", "Message"), ("fix", "改法", "Fix"), ("path", "位置", "Path"),
    ("line", "行", "Line"),
]
CSV_COLUMNS = [
    ("folder", "文件夹", "Folder"), ("profile", "档案", "Profile"), ("name", "姓名", "Name"),
    ("id_number", "证件号码", "ID number"), ("mobile", "手机", "Mobile"),
    ("verdict", "结论", "Verdict"), ("errors", "错误数", "Errors"), ("warnings", "警告数", "Warnings"),
    ("infos", "提示数", "Infos"), ("code", "编号", "Code"), ("step", "步骤", "Step"),
    ("severity", "级别", "Severity"), ("check", "检查项", "Check"), ("message", "问题", "Message"),
    ("fix", "改法", "Fix"), ("path", "位置", "Path"), ("line", "行", "Line"),
]

PEOPLE_SHEET, FINDINGS_SHEET, SUMMARY_SHEET = "人员 People", "问题 Findings", "汇总 Summary"
MAX_COLUMN_WIDTH = 80


def open_report(path: Path, lang: str) -> ReportWriter:
    """The writer for ``path``'s extension; ValueError for any other extension."""
    path = Path(path)
    if lang not in VERDICT_WORDS:
        raise ValueError(f"unsupported language {lang!r}: use 'zh' or 'en'")
    ext = path.suffix.lower()
    if not path.parent.is_dir():
        raise ValueError(f"cannot write a report into {str(path.parent)!r}: no such folder "
                         "(报告文件所在的文件夹不存在)")
    writers = {".xlsx": XlsxReport, ".csv": CsvReport, ".json": JsonReport, ".html": HtmlReport}
    if ext not in writers:
        raise ValueError(
            f"cannot write a report as {path.name!r}: the file name must end in "
            + ", ".join(EXTENSIONS) + " (报告文件的扩展名须为 " + "、".join(EXTENSIONS) + ")")
    return writers[ext](path, lang)


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
        fd, self._tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        # whatever happens to this writer, its temporary file does not outlive it
        self._cleanup = weakref.finalize(self, _remove, self._tmp)
        try:
            os.chmod(self._tmp, 0o666 & ~_umask())   # mkstemp's 0600 would hide the report from others
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


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


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
    if isinstance(value, str) and value.startswith(_FORMULA_START):
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
        text = json.dumps(data, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        self._out.write(("\n    " if self._first else ",\n    ") + text)
        self._first = False

    def _finish(self, totals: dict) -> None:
        tail = json.dumps(totals, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        self._out.write(("]" if self._first else "\n  ]") + ',\n  "totals": ' + tail + "\n}\n")


# ----------------------------------------------------------------------------------- XLSX
def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: wide (CJK) characters count double."""
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in str(text).splitlines() or [""]), default=0)


class XlsxReport(ReportWriter):
    """Rows go to two spool files (JSON lines) while the column widths are measured; ``close``
    builds a write-only workbook from them, so memory stays flat however many people."""

    binary = True

    def _start(self) -> None:
        col = 1 if self.lang == "zh" else 2
        self._heads = {PEOPLE_SHEET: [c[col] for c in PEOPLE_COLUMNS],
                       FINDINGS_SHEET: [c[col] for c in FINDING_COLUMNS]}
        self._spools = {name: _spool() for name in self._heads}
        self._rows = {name: 0 for name in self._heads}
        self._widths = {name: [display_width(h) for h in heads] for name, heads in self._heads.items()}

    def _row(self, sheet: str, values: list) -> None:
        widths = self._widths[sheet]
        for i, v in enumerate(values):
            if v is not None and v != "":
                widths[i] = max(widths[i], display_width(v))
        self._spools[sheet].write(json.dumps(values, ensure_ascii=False) + "\n")
        self._rows[sheet] += 1

    def _add(self, person: PersonResult) -> None:
        lang = self.lang
        self._row(PEOPLE_SHEET, [person.folder, person.name, person.id_number, person.mobile,
                                 self.verdict(person), person.errors, person.warnings, self.reasons(person)])
        if person.problem:
            self._row(FINDINGS_SHEET, [person.folder, person.name, None, None, SEVERITY_WORDS[lang]["error"],
                                       self.verdict(person), self.problem(person), None, None, None])
        for f in _ordered(person.findings):
            self._row(FINDINGS_SHEET, [person.folder, person.name, f.code, f.step, self.severity(f),
                                       _pick(f.title, lang), _pick(f.message, lang), _pick(f.fix, lang),
                                       f.path or None, f.line])

    def _finish(self, totals: dict) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        wb = Workbook(write_only=True)
        bold = Font(bold=True)

        def cell(ws, value, header=False):
            if isinstance(value, str):
                value = _xlsx_text(value)
            c = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                c.data_type = "s"   # user text like "=…" or "#N/A" is text, not a formula or an error
            if header:
                c.font = bold
                c.alignment = Alignment(vertical="center")
            return c

        def sheet(title, heads, widths, rows, count):
            ws = wb.create_sheet(title)
            for i, w in enumerate(widths, 1):
                ws.column_dimensions[get_column_letter(i)].width = min(w, MAX_COLUMN_WIDTH) + 2
            ws.freeze_panes = "A2"
            ws.append([cell(ws, h, header=True) for h in heads])
            for values in rows:
                ws.append([cell(ws, v) if isinstance(v, str) and v[:1] in ("=", "#") else
                           _xlsx_text(v) if isinstance(v, str) else v for v in values])
            ws.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{count + 1}"

        def spooled(name):
            spool = self._spools[name]
            spool.seek(0)
            for line in spool:
                yield json.loads(line)

        for name in (PEOPLE_SHEET, FINDINGS_SHEET):
            sheet(name, self._heads[name], self._widths[name], spooled(name), self._rows[name])

        # the summary: a handful of rows, so widths are measured in memory
        zh = self.lang == "zh"
        summary = [
            ["人数" if zh else "People", totals.get("people", 0)],
            [VERDICT_WORDS[self.lang][PASS], totals.get("pass", 0)],
            [VERDICT_WORDS[self.lang][REJECT], totals.get("reject", 0)],
            [VERDICT_WORDS[self.lang][UNUSABLE], totals.get("unusable", 0)],
        ] + [[f"{r.get('code', '')} {_pick(r.get('title'), self.lang)}".strip(), r.get("people", 0)]
             for r in totals.get("reasons", [])]
        heads = ["项目" if zh else "Item", "人数" if zh else "People"]
        widths = [max(display_width(v) for v in col) for col in zip(heads, *summary)]
        sheet(SUMMARY_SHEET, heads, widths, summary, len(summary))

        wb.save(self._out)
        for spool in self._spools.values():
            spool.close()

    def _discard(self) -> None:
        for spool in getattr(self, "_spools", {}).values():
            spool.close()


def _xlsx_text(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:32767]   # Excel's limit per cell


# ----------------------------------------------------------------------------------- HTML
_E = html.escape

_CSS = """
:root{--pass:#1a7f37;--reject:#cf222e;--unusable:#8250df;--warn:#9a6700;--info:#0969da;--line:#d0d7de;--muted:#57606a}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2328;background:#f6f8fa}
header{background:#fff;border-bottom:1px solid var(--line);padding:16px 24px}
h1{font-size:20px;margin:0 0 8px}
.muted{color:var(--muted)}
.counts{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.counts label{border:1px solid var(--line);border-radius:6px;padding:4px 12px;background:#fff;cursor:pointer}
.counts b{font-size:18px;margin-right:4px}
.c-pass b{color:var(--pass)}.c-reject b{color:var(--reject)}.c-unusable b{color:var(--unusable)}
.filter{position:absolute;opacity:0;pointer-events:none}
#show-all:checked~header label[for=show-all],#show-pass:checked~header label[for=show-pass],
#show-reject:checked~header label[for=show-reject],#show-unusable:checked~header label[for=show-unusable]{outline:2px solid #0969da;background:#ddf4ff}
#show-pass:checked~main .person:not(.v-pass),#show-reject:checked~main .person:not(.v-reject),
#show-unusable:checked~main .person:not(.v-unusable){display:none}
.person.nomatch{display:none!important}
table.reasons{border-collapse:collapse;margin-top:8px}
table.reasons th,table.reasons td{border:1px solid var(--line);padding:2px 8px;text-align:left}
table.reasons td.n{text-align:right}
#search{margin-top:8px;padding:4px 8px;width:20em;max-width:100%}
main{padding:16px 24px;display:grid;gap:12px}
.person{display:flex;gap:16px;background:#fff;border:1px solid var(--line);border-left:6px solid var(--line);border-radius:6px;padding:12px;break-inside:avoid}
.person.v-pass{border-left-color:var(--pass)}.person.v-reject{border-left-color:var(--reject)}.person.v-unusable{border-left-color:var(--unusable)}
.photo{flex:none;width:72px;height:100px;object-fit:cover;border:1px solid var(--line);border-radius:4px;background:#eaeef2}
div.photo{display:flex;flex-direction:column;align-items:center;justify-content:center;text-align:center;font-size:11px;color:var(--muted)}
.body{flex:1;min-width:0}
.who{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 12px}
.name{font-size:16px;font-weight:600}
.badge{border-radius:10px;padding:0 8px;color:#fff;font-size:12px}
.badge.v-pass{background:var(--pass)}.badge.v-reject{background:var(--reject)}.badge.v-unusable{background:var(--unusable)}
ul.findings{margin:6px 0 0;padding:0;list-style:none}
ul.findings li{padding:3px 0 3px 8px;border-left:3px solid var(--line);margin:3px 0;overflow-wrap:anywhere}
li.s-error{border-left-color:var(--reject)}li.s-warning{border-left-color:var(--warn)}li.s-info{border-left-color:var(--info)}
.sev{font-size:12px;font-weight:600;margin-right:4px}
.s-error .sev{color:var(--reject)}.s-warning .sev{color:var(--warn)}.s-info .sev{color:var(--info)}
code{font:12px ui-monospace,SFMono-Regular,Consolas,monospace;background:#eff2f5;padding:0 4px;border-radius:3px}
.fix{color:var(--muted)}
.problem{color:var(--unusable);margin-top:6px}
.ok{color:var(--pass);margin-top:6px}
@media print{body{background:#fff}.counts label{border:0}#search{display:none}header{border:0}}
""".strip()

# adds a search box: the page is complete without it
_SCRIPT = """
(function(){var q=document.getElementById("search");if(!q)return;q.hidden=false;
q.addEventListener("input",function(){var t=q.value.trim().toLowerCase();
document.querySelectorAll(".person").forEach(function(c){
c.classList.toggle("nomatch",t!==""&&c.getAttribute("data-search").indexOf(t)<0);});});})();
""".strip()


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _bi(zh: str, en: str) -> str:
    """A fixed label: Chinese first, the English marked as English."""
    return f'{_E(zh)} <span lang="en">{_E(en)}</span>'


def _image_uri(data: bytes | None) -> str | None:
    if not data:
        return None
    if data[:3] == b"\xff\xd8\xff":
        mime = "image/jpeg"
    elif data[:8] == b"\x89PNG\r\n\x1a\n":
        mime = "image/png"
    else:
        return None
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


class HtmlReport(ReportWriter):
    """Cards go to a spool file as they come; ``close`` writes the head and summary, then copies them."""

    def _start(self) -> None:
        self._cards = _spool()
        self._n = 0

    def _add(self, person: PersonResult) -> None:
        lang = self.lang
        data_lang = "zh-CN" if lang == "zh" else "en"
        v = person.verdict if person.verdict in (PASS, REJECT, UNUSABLE) else UNUSABLE
        search = " ".join([person.name, person.folder] + [f.code for f in person.findings]).lower()
        uri = _image_uri(person.thumbnail)
        if uri:
            photo = f'<img class="photo" src="{uri}" alt="证件照 ID photo">'
        else:
            photo = f'<div class="photo" role="img" aria-label="无照片 no photo">{_bi("无照片", "no photo")}</div>'
        who = [f'<span class="name">{_E(person.name) or "—"}</span>',
               f'<span class="badge v-{v}">{_bi(VERDICT_WORDS["zh"][v], VERDICT_WORDS["en"][v])}</span>',
               f'<span class="muted">{_E(person.folder)}</span>']
        if person.id_number:
            who.append(f'<span class="muted id">{_bi("证件号", "ID")}: {_E(person.id_number)}</span>')
        if person.mobile:
            who.append(f'<span class="muted">{_bi("手机", "mobile")}: {_E(person.mobile)}</span>')
        parts = [f'<section class="person v-{v}" data-search="{_E(search)}">', photo,
                 '<div class="body">', '<div class="who">' + "".join(who) + "</div>"]
        if person.problem:
            parts.append(f'<div class="problem" lang="{data_lang}">{_E(self.problem(person))}</div>')
        if person.findings:
            parts.append(f'<ul class="findings" lang="{data_lang}">')
            sep = "：" if lang == "zh" else ": "
            fix_word = "改法" if lang == "zh" else "Fix"
            for f in _ordered(person.findings):
                sev = f.severity if f.severity in _SEVERITY_RANK else "info"
                title = _pick(f.title, lang)
                item = (f'<li class="s-{sev}"><span class="sev">{_E(self.severity(f))}</span>'
                        f'<code>{_E(f.code)}</code> {_E(_pick(f.message, lang))}')
                if title:
                    item += f' <span class="muted">({_E(title)})</span>'
                fix = _pick(f.fix, lang)
                if fix:
                    item += f'<div class="fix">→ {_E(fix_word)}{sep}{_E(fix)}</div>'
                parts.append(item + "</li>")
            parts.append("</ul>")
        elif not person.problem:
            parts.append(f'<div class="ok">{_bi("未发现问题", "no problems found")}</div>')
        parts.append("</div></section>\n")
        self._cards.write("".join(parts))
        self._n += 1

    def _finish(self, totals: dict) -> None:
        lang = self.lang
        csp = (f"default-src 'none'; img-src data:; style-src {_csp_hash(_CSS)}; "
               f"script-src {_csp_hash(_SCRIPT)}; base-uri 'none'; form-action 'none'")
        out = self._out
        out.write('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
                  f'<meta http-equiv="Content-Security-Policy" content="{_E(csp)}">\n'
                  '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                  '<meta name="referrer" content="no-referrer">\n'
                  f'<title>tjcheck 批量检查报告 / batch report</title>\n<style>{_CSS}</style>\n</head>\n<body>\n')
        for key in ("all", PASS, REJECT, UNUSABLE):
            checked = " checked" if key == "all" else ""
            out.write(f'<input class="filter" type="radio" name="show" id="show-{key}"{checked}>\n')
        counts = [("all", "全部", "all", totals.get("people", self._n))] + [
            (k, VERDICT_WORDS["zh"][k], VERDICT_WORDS["en"][k], totals.get(k, 0)) for k in (PASS, REJECT, UNUSABLE)]
        out.write(f'<header>\n<h1>{_bi("tjcheck 批量检查报告", "batch report")}</h1>\n<div class="counts">')
        for key, zh, en, n in counts:
            out.write(f'<label class="c-{key}" for="show-{key}"><b>{int(n)}</b>{_bi(zh, en)}</label>')
        out.write("</div>\n")
        reasons = totals.get("reasons") or []
        if reasons:
            data_lang = "zh-CN" if lang == "zh" else "en"
            out.write(f'<table class="reasons"><caption class="muted">{_bi("按原因统计", "people by reason")}</caption>'
                      f'<thead><tr><th>{_bi("编号", "code")}</th><th>{_bi("检查项", "check")}</th>'
                      f'<th>{_bi("人数", "people")}</th></tr></thead><tbody>')
            for r in reasons:
                out.write(f'<tr><td><code>{_E(str(r.get("code", "")))}</code></td>'
                          f'<td lang="{data_lang}">{_E(_pick(r.get("title"), lang))}</td>'
                          f'<td class="n">{int(r.get("people", 0))}</td></tr>')
            out.write("</tbody></table>\n")
        out.write('<input id="search" type="search" hidden placeholder="搜索姓名、文件夹、编号 / search" '
                  'aria-label="搜索 search">\n</header>\n<main>\n')
        self._cards.seek(0)
        shutil.copyfileobj(self._cards, out)
        self._cards.close()
        out.write(f"</main>\n<script>{_SCRIPT}</script>\n</body>\n</html>\n")

    def _discard(self) -> None:
        if hasattr(self, "_cards"):
            self._cards.close()
