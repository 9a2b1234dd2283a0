"""The batch's .html report for HR (``--report FILE.html``): :class:`HtmlReport`.

One self-contained page (inline CSS, images as data URIs, a Content-Security-Policy that
allows nothing else): a summary header, verdict filters that work without JavaScript
(radio buttons and CSS), a name search that a small inline script adds, and one card per
person with the ID-photo thumbnail, name, folder, masked ID, verdict and findings.
Fixed labels are Chinese first with the English marked ``lang="en"``; the data is in the
chosen language. Every text from a profile is escaped.

The cards are spooled to an anonymous file as people arrive and copied in after the
summary on close. :func:`tjcheck.batch.reports.open_report` imports this module only for an
.html report.
"""
from __future__ import annotations

import base64
import hashlib
import html
import shutil

from ..render.safe import visible
from .records import PASS, REJECT, UNUSABLE, PersonResult
from .reports import (
    _SEVERITY_RANK,
    VERDICT_WORDS,
    ReportWriter,
    _ordered,
    _pick,
    _spool,
)


def _E(text: str) -> str:
    """Text for the page: controls visible (an override would reorder what the reader sees), escaped."""
    return html.escape(visible(text))


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
