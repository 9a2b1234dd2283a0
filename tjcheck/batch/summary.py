"""The batch summary in the terminal: one row per person, then totals by reason.

The table fits the terminal (80 columns included): each person is one line; when the
columns are too wide they give way in this order — the reasons shrink first, then the
folder (cut at its start: the person's own folder stays) and the name, then the masked ID
number column goes (it is in the report), then all of them further. Verdict and counts
always stay whole. Every text from a profile is shown as data (render/safe.py).
"""
from __future__ import annotations

from typing import NamedTuple

from ..render.fit import give_way, keep_end
from ..render.safe import one_line, visible
from .records import PASS, REJECT, PersonResult

VERDICT = {"zh": {PASS: "通过", REJECT: "不通过", "unusable": "无法检查"},
           "en": {PASS: "pass", REJECT: "reject", "unusable": "unusable"}}
STYLE = {PASS: "green", REJECT: "red", "unusable": "magenta"}
HEADS = (("文件夹", "folder"), ("姓名", "name"), ("证件号码", "ID number"), ("结论", "verdict"),
         ("错误", "errors"), ("警告", "warnings"), ("主要问题", "first reasons"))
FOLDER, NAME, ID, VERDICT_COL, ERRORS, WARNINGS, REASONS = range(7)
# (column, floor): who gives way first, and down to how many cells
GIVE_WAY = [(REASONS, 20), (FOLDER, 16), (NAME, 10)]
GIVE_WAY_MORE = GIVE_WAY + [(REASONS, 10), (FOLDER, 10), (NAME, 6), (REASONS, 4)]


class Row(NamedTuple):
    """What the table keeps of a person: a few strings, not the findings (memory stays flat)."""
    folder: str
    name: str
    id_number: str
    verdict: str
    errors: int
    warnings: int
    reasons: str

    @classmethod
    def of(cls, p: PersonResult, lang: str) -> "Row":
        return cls(p.folder, p.name, p.id_number, p.verdict, p.errors, p.warnings,
                   ("；" if lang == "zh" else "; ").join(p.reasons(lang, 2)))


class PeopleTable:
    """A rich renderable: the table is laid out when printed, for the console's width."""

    def __init__(self, rows: list[Row], lang: str):
        self.rows, self.lang = rows, lang

    def __rich_console__(self, console, options):
        yield self.table(options.max_width)

    def table(self, width: int):
        from rich import box
        from rich.cells import cell_len
        from rich.table import Table
        from rich.text import Text

        zh = self.lang == "zh"
        heads = [h[0] if zh else h[1] for h in HEADS]
        cells = [[one_line(r.folder), one_line(r.name), one_line(r.id_number), VERDICT[self.lang][r.verdict],
                  str(r.errors), str(r.warnings), one_line(r.reasons)] for r in self.rows]
        natural = [max([cell_len(heads[i])] + [cell_len(c[i]) for c in cells]) for i in range(len(heads))]

        def fit(columns: list[int], steps) -> list[int] | None:
            # between two columns: one cell of padding and one of the (blank) divider
            widths = give_way([natural[i] for i in columns], [(columns.index(i), f) for i, f in steps],
                              width - 2 * (len(columns) - 1))
            return None if widths is None else [widths[columns.index(i)] if i in columns else 0
                                                for i in range(len(heads))]

        every = list(range(len(heads)))
        without_id = [i for i in every if i != ID]
        widths = fit(every, GIVE_WAY) or fit(without_id, GIVE_WAY) or fit(without_id, GIVE_WAY_MORE)
        shown = [i for i in every if widths is None or widths[i]]
        table = Table(box=box.SIMPLE_HEAVY, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0),
                      header_style="bold", expand=False)
        for i in shown:
            table.add_column(heads[i], width=widths[i] if widths else None, no_wrap=True, overflow="ellipsis",
                             justify="right" if i in (ERRORS, WARNINGS) else "left")
        for row, texts in zip(self.rows, cells):
            if widths:
                texts[FOLDER] = keep_end(texts[FOLDER], widths[FOLDER])
            styled = {VERDICT_COL: STYLE[row.verdict]}
            table.add_row(*[Text(texts[i], style=styled.get(i, ""), no_wrap=True, overflow="ellipsis")
                            for i in shown])
        return table


def people_table(rows: list[Row], lang: str) -> PeopleTable:
    return PeopleTable(rows, lang)


def totals_lines(totals: dict, lang: str, limit: int = 15) -> list[str]:
    zh = lang == "zh"
    lines = [(f"共 {totals['people']} 人：通过 {totals['pass']}，不通过 {totals['reject']}，无法检查 {totals['unusable']}"
              if zh else f"{totals['people']} people: {totals['pass']} pass, {totals['reject']} reject, "
                         f"{totals['unusable']} unusable")]
    if totals["reasons"]:
        lines.append("按问题统计（未通过该项检查的人数）：" if zh else "by reason (people who fail or are warned on "
                                                                "the check):")
        for r in totals["reasons"][:limit]:
            lines.append(visible(f"  {r['people']:4d} 人：{r['code']} {r['title'].get('zh', '')}" if zh else
                                 f"  {r['people']:4d} people: {r['code']} {r['title'].get('en', '')}"))
        if len(totals["reasons"]) > limit:
            rest = len(totals["reasons"]) - limit
            lines.append(f"  …另有 {rest} 项（见报告）" if zh else f"  … {rest} more (see the report)")
    return lines
