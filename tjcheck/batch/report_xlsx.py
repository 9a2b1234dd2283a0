"""The batch's .xlsx report for HR (``--report FILE.xlsx``): :class:`XlsxReport`.

Sheet "人员 People", one row per person: folder, name, ID number, mobile, verdict, errors,
warnings, first reasons (for an unusable profile: its problem). Sheet "问题 Findings", one row
per finding: folder, name, code, step, severity, check title, message, fix, path, line; an
unusable profile has one row there with its problem as the message. Sheet "汇总 Summary":
the totals and the people per reason. Bold frozen header row, autofilter over the data,
column widths from the content (Chinese characters count double, capped at 80).

The rows are spooled to anonymous files as people arrive (the column widths must precede
the rows) and the workbook is built from them on close. openpyxl is imported only then;
:func:`tjcheck.batch.reports.open_report` imports this module only for an .xlsx report.
"""
from __future__ import annotations

import json

from rich.cells import cell_len  # columns: Chinese characters take two

from ..render.safe import visible

from .records import PASS, REJECT, UNUSABLE, PersonResult
from .reports import (
    SEVERITY_WORDS,
    VERDICT_WORDS,
    ReportWriter,
    _ordered,
    _pick,
    _spool,
)

# (key, zh, en) — the columns of each sheet, in order
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
PEOPLE_SHEET, FINDINGS_SHEET, SUMMARY_SHEET = "人员 People", "问题 Findings", "汇总 Summary"
MAX_COLUMN_WIDTH = 80


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: wide (CJK) characters count double."""
    return max((cell_len(line) for line in str(text).splitlines() or [""]), default=0)


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
        values = [visible(v) if isinstance(v, str) else v for v in values]   # measured as shown
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
    """A cell's text: controls visible (openpyxl refuses them), within Excel's limit per cell."""
    return visible(text)[:32767]
