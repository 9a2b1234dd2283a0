"""The batch summary in the terminal: one row per person, then totals by reason."""
from __future__ import annotations

from typing import NamedTuple

from .records import PASS, REJECT, PersonResult

VERDICT = {"zh": {PASS: "通过", REJECT: "不通过", "unusable": "无法检查"},
           "en": {PASS: "pass", REJECT: "reject", "unusable": "unusable"}}
STYLE = {PASS: "green", REJECT: "red", "unusable": "magenta"}


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
        return cls(p.folder, p.name, p.id_number, p.verdict, p.errors, p.warnings, "\n".join(p.reasons(lang, 2)))


def people_table(rows: list[Row], lang: str):
    from rich.markup import escape
    from rich.table import Table

    zh = lang == "zh"
    table = Table(show_lines=False, header_style="bold", expand=False)
    for title in (("文件夹", "folder"), ("姓名", "name"), ("证件号码", "ID number"), ("结论", "verdict"),
                  ("错误", "errors"), ("警告", "warnings"), ("主要问题", "first reasons")):
        short = title[1] in ("ID number", "verdict", "errors", "warnings")
        table.add_column(title[0] if zh else title[1], overflow="fold", no_wrap=short, ratio=None if short else 1,
                         justify="right" if title[1] in ("errors", "warnings") else "left")
    for p in rows:
        table.add_row(escape(p.folder), escape(p.name), p.id_number, f"[{STYLE[p.verdict]}]{VERDICT[lang][p.verdict]}[/]",
                      str(p.errors), str(p.warnings), escape(p.reasons))
    return table


def totals_lines(totals: dict, lang: str, limit: int = 15) -> list[str]:
    zh = lang == "zh"
    lines = [(f"共 {totals['people']} 人：通过 {totals['pass']}，不通过 {totals['reject']}，无法检查 {totals['unusable']}"
              if zh else f"{totals['people']} people: {totals['pass']} pass, {totals['reject']} reject, "
                         f"{totals['unusable']} unusable")]
    if totals["reasons"]:
        lines.append("按问题统计（未通过该项检查的人数）：" if zh else "by reason (people who fail or are warned on "
                                                                "the check):")
        for r in totals["reasons"][:limit]:
            lines.append(f"  {r['people']:4d} 人：{r['code']} {r['title'].get('zh', '')}" if zh else
                         f"  {r['people']:4d} people: {r['code']} {r['title'].get('en', '')}")
        if len(totals["reasons"]) > limit:
            rest = len(totals["reasons"]) - limit
            lines.append(f"  …另有 {rest} 项（见报告）" if zh else f"  … {rest} more (see the report)")
    return lines
