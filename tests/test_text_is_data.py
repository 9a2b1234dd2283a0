"""Text from a profile is data, never markup or terminal control (issue 10, item 3).

A profile whose name, address, ID number, employer and image file names carry rich markup,
ANSI escape sequences, BEL, CR, C1 controls and bidi overrides goes through every command
and report: nothing crashes, no control character reaches the terminal or a report, and the
text is otherwise shown as it is (``scan[red]2.png`` appears literally).
The commands run with a console that is not a terminal, so rich writes no escape sequence
of its own: any ESC in the output came from the profile.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image
from typer.testing import CliRunner

from tjcheck.cli import app

from .conftest import EXAMPLES, TODAY

runner = CliRunner()
AS_OF = ["--as-of", TODAY.isoformat()]

# markup of every kind, a screen clear, a title change ended by BEL, a lone BEL, a carriage
# return, C1 NEL and CSI, DEL, a right-to-left override and an isolate
EVIL = ("[/][red]x[link=https://e.vil]y[/link][bold]\x1b[2J\x1b]0;pwned\x07\x07\rZ\x85\x9b2J\x7f"
        "\u202egnp.exe\u2066")
RAW = ["\x1b", "\x07", "\r", "\x85", "\x9b", "\x7f", "\u202e", "\u2066", "\x00"]
PNG_NAME = "scan[red]2.png"
ESC_NAME = "dip\x1b[2Jloma[b].jpg"


def ran(result, *codes: int) -> str:
    """The command ended with one of ``codes`` by itself (not an exception the runner caught)."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in codes, result.output
    return harmless(result.output)


def harmless(text: str) -> str:
    """Fails on any raw control character or a traceback; returns the text."""
    for ch in RAW:
        assert ch not in text, f"raw {ch!r} in output"
    assert "Traceback" not in text and "内部错误" not in text
    return text


@pytest.fixture
def person(tmp_path) -> Path:
    """The passing example with hostile text in its fields and file names."""
    folder = tmp_path / "staff" / "某人"
    images = folder / "images"
    shutil.copytree(EXAMPLES / "passing" / "images", images)
    Image.open(images / "photo.jpg").save(images / PNG_NAME)        # fix converts it to JPEG
    shutil.copy(images / "diploma.jpg", images / ESC_NAME)
    data = yaml.safe_load((EXAMPLES / "passing" / "profile.yaml").read_text("utf-8"))
    data["registration"]["name"] = "李" + EVIL + "雯"
    data["registration"]["id_number"] = "12010419880315[/]"
    data["basic"]["address"] = "天津" + EVIL
    data["work"][0]["employer"] = "公司" + EVIL
    data["basic"]["photo"] = "images/" + PNG_NAME
    data["education"][0]["diploma_image"] = "images/" + ESC_NAME
    data["education"][0]["degree_image"] = "images/missing\x1b[2J[/].jpg"   # not there: a finding names it
    (folder / "profile.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return folder / "profile.yaml"


# --------------------------------------------------------------------------- the one place

def test_controls_become_visible_and_the_rest_is_kept():
    from tjcheck.render import safe

    assert safe.visible("a\x1b[2Jb") == "a␛[2Jb"
    assert safe.visible("\x07\r\x00\x7f") == "␇␍␀␡"
    assert safe.visible("x\x85y\x9b") == "x<U+0085>y<U+009B>"
    assert safe.visible("\u202e\u2066\u2069\u202a") == "<U+202E><U+2066><U+2069><U+202A>"
    assert safe.visible("行一\n\t行二 [red]李[/]") == "行一\n\t行二 [red]李[/]"   # newline, tab, markup: kept
    assert safe.visible("bad\udc80byte") == "bad<U+DC80>byte"   # a file name that is not UTF-8: printable
    assert safe.one_line("a\n  b\tc") == "a b c"


def test_markup_is_escaped_and_text_objects_are_not_parsed():
    from tjcheck.render import safe

    from rich.console import Console
    from rich.markup import render

    assert render(safe.markup("[/][red]x[link=y]z")).plain == "[/][red]x[link=y]z"
    assert safe.text("scan[red]2.png\x1b", "bold").plain == "scan[red]2.png␛"
    console = Console(width=80, record=True, file=open("/dev/null", "w"))
    console.print(safe.text(EVIL))
    harmless(console.export_text())


def test_json_escapes_what_a_terminal_would_obey_and_stays_the_same_data():
    from tjcheck.render import safe

    doc = json.dumps({"name": EVIL}, ensure_ascii=False)
    out = safe.json_text(doc)
    harmless(out)
    assert json.loads(out) == {"name": EVIL}


def test_error_messages_show_controls_visibly():
    from tjcheck.errors import InputError

    text = InputError(Path("a\x1b[2J.yaml"), "第 “\x07” 个", "the '\x07'", line=3).text("zh")
    assert text == "a␛[2J.yaml:3: 第 “␇” 个"


# --------------------------------------------------------------------------- the commands

@pytest.mark.parametrize("fmt", ["rich", "plain"])
def test_verify_checklist(person, fmt):
    result = runner.invoke(app, ["verify", str(person), *AS_OF, "--format", fmt])
    out = ran(result, 1)
    assert "[link=https://e.vil]y[/link][bold]␛[2J" in out       # the name, shown as it is written
    assert "1201*********5[/]" in out                            # the masked ID number keeps its markup-like tail
    assert PNG_NAME in out and "missing␛[2J[/].jpg" in out


def test_verify_json(person):
    result = runner.invoke(app, ["verify", str(person), *AS_OF, "--format", "json"])
    ran(result, 1)
    assert EVIL in json.loads(result.output)["subject"]["name"]   # exact data, only escaped


def test_an_error_message_quoting_the_profile(tmp_path):
    bad = tmp_path / "p\x1b[31m.yaml"
    bad.write_text('version: "\\e]0;pwned\\a"\n', "utf-8")
    result = runner.invoke(app, ["verify", str(bad)])
    assert "p␛[31m.yaml" in ran(result, 2)
    result = runner.invoke(app, ["verify", str(tmp_path / "gone\x07.yaml")])
    assert "gone␇.yaml" in ran(result, 2)


def test_batch_table_and_every_report(person, tmp_path):
    staff = person.parent.parent
    shutil.copytree(EXAMPLES / "passing", staff / "ok[/]\x1b[7m")    # a folder name with markup and ESC
    shutil.copytree(EXAMPLES / "passing", staff / os.fsdecode(b"not-utf8-\xff"))   # a name in another encoding
    xlsx = tmp_path / "r.xlsx"
    result = runner.invoke(app, ["batch", str(staff), *AS_OF, "-j", "1", "--report", str(xlsx)],
                           env={"COLUMNS": "200"})
    out = ran(result, 1)
    assert "ok[/]␛[7m" in out and "5[/]" in out                    # no MarkupError, folder and ID as written
    assert "not-utf8-<U+DCFF>" in out
    assert "共 3 人：通过 2，不通过 1" in out
    # the other formats from the same records, as the command writes them (one worker start, not four)
    from tjcheck.batch.reports import open_report
    from tjcheck.batch.run import Settings, Totals, find_profiles, run

    people, totals = list(run(find_profiles(staff, "profile.yaml"), Settings(root=staff, as_of=TODAY), 1)), Totals()
    for person_ in people:
        totals.add(person_)
    for ext in (".json", ".csv", ".html"):
        with open_report(tmp_path / f"r{ext}", "zh") as writer:
            for person_ in people:
                writer.add(person_)
            writer.close(totals.as_dict())
    for ext in (".json", ".csv", ".xlsx", ".html"):
        target = tmp_path / f"r{ext}"
        if ext == ".xlsx":
            from openpyxl import load_workbook

            cells = [str(c) for ws in load_workbook(target, read_only=True).worksheets
                     for row in ws.iter_rows(values_only=True) for c in row if c is not None]
            text = "\n".join(cells)
        else:
            text = target.read_text("utf-8-sig")
        harmless(text)
        if ext == ".json":
            names = [p["name"] for p in json.loads(text)["people"]]
            assert "李" + EVIL + "雯" in names                      # JSON keeps the exact value, escaped
        elif ext == ".csv":
            rows = list(csv.reader(text.splitlines()))
            assert any("[link=https://e.vil]y[/link][bold]␛[2J" in cell for row in rows for cell in row)
        elif ext == ".html":
            assert "[link=https://e.vil]y[/link][bold]␛[2J" in text
        else:
            assert any("[link=https://e.vil]y[/link][bold]␛[2J" in c for c in cells)


def test_fix_table_shows_file_names_as_they_are(person, tmp_path):
    result = runner.invoke(app, ["fix", str(person), "--out", str(tmp_path / "fixed\x1b[5m")], env={"COLUMNS": "200"})
    out = ran(result, 0, 1)
    assert PNG_NAME in out and "fixed␛[5m" in out


def test_merge_result_lines(tmp_path):
    page = tmp_path / "page\x1b[2J.jpg"
    shutil.copy(EXAMPLES / "passing" / "images" / "diploma.jpg", page)
    result = runner.invoke(app, ["merge", str(page), "--out", str(tmp_path / "out[red]\x07.jpg")])
    assert "out[red]␇.jpg" in ran(result, 0)


def test_init_answers(person, tmp_path):
    target = person.parent / "new.yaml"
    result = runner.invoke(app, ["init", str(target), "--answers", str(person)])
    out = ran(result, 0, 1)
    assert "已写入" in out and "[link=https://e.vil]y[/link]" in out
