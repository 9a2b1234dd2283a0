"""`tjcheck rules` and `tjcheck rule CODE`: the rules' own documentation."""
from __future__ import annotations

TAGS = {"firm": ("官方", "official"), "likely": ("多方来源", "secondary sources"), "open": ("未公布", "unpublished")}


def rule_dict(rule, steps: dict, lang: str) -> dict:
    i = 0 if lang == "zh" else 1
    return {
        "code": rule.code, "steps": list(rule.steps), "severity": rule.severity.value,
        "title": rule.title[i], "message": rule.message[i], "fix": rule.fix[i], "source": rule.source,
        "tag": rule.tag, "doc": rule.doc,
        "step_titles": [steps[s][lang] for s in rule.steps],
    }


def render_table(rules, steps: dict, console, lang: str) -> None:
    from rich.table import Table

    zh = lang == "zh"
    table = Table(show_lines=False, header_style="bold", expand=False)
    for name in (("代码", "code"), ("步骤", "step"), ("级别", "severity"), ("依据", "basis"), ("检查", "check")):
        table.add_column(name[0] if zh else name[1], overflow="fold")
    for rule in rules:
        table.add_row(rule.code, ",".join(map(str, rule.steps)), rule.severity.value if not zh else rule.severity.zh,
                      TAGS[rule.tag][0 if zh else 1], rule.title[0 if zh else 1])
    console.print(table)
    console.print(("共 {n} 条规则；tjcheck rule 代码 查看说明。" if zh else "{n} rules; tjcheck rule CODE explains one.")
                  .format(n=len(rules)))


def render_rule(rule, steps: dict, console, lang: str) -> None:
    from rich.markup import escape

    d = rule_dict(rule, steps, lang)
    zh = lang == "zh"
    label = (lambda a, b: a if zh else b)
    console.print(f"[bold]{d['code']}[/bold]  {escape(d['title'])}")
    console.print(f"{label('步骤', 'step')}: {escape(' / '.join(d['step_titles']))}")
    console.print(f"{label('级别', 'severity')}: {rule.severity.zh if zh else rule.severity.value}   "
                  f"{label('依据强度', 'basis')}: {TAGS[rule.tag][0 if zh else 1]} [{rule.tag}]")
    console.print()
    # docstrings are wrapped for the source; rejoin each paragraph so the terminal wraps it once
    console.print(escape("\n\n".join(" ".join(p.split()) for p in d["doc"].split("\n\n"))))
    console.print()
    console.print(f"{label('提示语', 'message')}: {escape(d['message'])}")
    console.print(f"{label('修改建议', 'fix')}: {escape(d['fix'])}")
    console.print(f"{label('来源', 'source')}: {escape(d['source'])}")
