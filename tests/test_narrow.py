"""An 80-column terminal (issue 10, item 7): the batch table, the fix table and the checklist.

Every line fits in 80 cells (rich.cells.cell_len: a Chinese character takes two), each
person is one row of the batch table, long reasons and paths are shortened to one line
(the full text is in the report), and what matters most stays: folder, name, verdict, counts.
"""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from tjcheck.batch.records import PASS, REJECT, UNUSABLE
from tjcheck.batch.summary import Row, people_table
from tjcheck.cli import app

from .conftest import EXAMPLES, TODAY

runner = CliRunner()
LONG_FOLDER = "财务共享服务中心/应收应付核算组（二〇二六年新入职人员）/欧阳慕容晓雯"
LONG_NAME = "欧阳慕容晓雯阿依古丽买买提"
LONG_REASON = ("档案不是有效的 YAML：第 3 行第 15 列，映射的值不能写在这里；请检查冒号后面是否有空格，"
               "以及缩进是否与上一行一致。") * 2
VERDICTS = {"zh": ("通过", "不通过", "无法检查"), "en": ("pass", "reject", "unusable")}


def rows() -> list[Row]:
    return [
        Row("部门A/张一", "张一", "1201**********0243", PASS, 0, 0, ""),
        Row(LONG_FOLDER, LONG_NAME, "1201**********0243", REJECT, 12, 3,
            "FA004 照片中未检测到眼镜，但头部轮廓与眼镜框相似，请确认；\nPH002 照片背景不是白色，而是浅灰色"),
        Row(LONG_FOLDER + "2", "", "", UNUSABLE, 0, 0, LONG_REASON),
    ]


def render(renderable, width: int = 80) -> list[str]:
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue().splitlines()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [80, 60, 120])
def test_batch_table_fits_one_row_per_person(lang, width):
    frame = len(render(people_table([], lang), width))
    lines = render(people_table(rows(), lang), width)
    assert max(cell_len(line) for line in lines) <= width
    assert len(lines) == frame + len(rows())                       # each person exactly one line
    body = lines[-len(rows()) - 1:]
    words = VERDICTS[lang]
    for person, verdict in zip(rows(), (words[0], words[1], words[2])):
        line = next(line for line in body if verdict in line.split())
        assert person.folder[-3:] in line                         # a long folder is cut at its start
        assert str(person.errors) in line
    assert any("张一" in line for line in body)
    assert any(LONG_NAME[:3] in line for line in body)            # a long name shrinks, is not dropped
    if width >= 120:                                              # the masked ID goes before the reasons shrink
        assert any("1201**" in line for line in body)


def test_batch_command_at_80_columns(tmp_path):
    root = tmp_path / "staff"
    shutil.copytree(EXAMPLES / "passing", root / LONG_FOLDER)
    (root / "第二部门（临时借调人员名单）" / "买买提").mkdir(parents=True)
    (root / "第二部门（临时借调人员名单）" / "买买提" / "profile.yaml").write_text("registration: [\n", "utf-8")
    result = runner.invoke(app, ["batch", str(root), "--as-of", TODAY.isoformat(), "-j", "1"],
                           env={"COLUMNS": "80"})
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert max(cell_len(line) for line in lines) <= 80, result.output
    head = next(i for i, line in enumerate(lines) if "文件夹" in line)
    end = next(i for i, line in enumerate(lines) if line.startswith("共 2 人"))
    people = [line for line in lines[head + 1:end] if any(ch.isalnum() for ch in line)]
    assert len(people) == 2, result.output                         # each person one line
    broken = next(line for line in people if "无法检查" in line)
    assert "买买提" in broken and "profile.yaml" in broken        # the reason starts on the row, not a long path


def test_fix_table_at_80_columns(tmp_path):
    folder = tmp_path / "李晓雯"
    scans = "扫描件（二〇二六年十一月重新扫描的全部证件和证书材料）"
    shutil.copytree(EXAMPLES / "passing" / "images", folder / scans)
    long_png = "学历证书（大学本科，天津样本财经大学，二〇一〇年七月毕业，彩色扫描）.png"
    Image.open(folder / scans / "diploma.jpg").save(folder / scans / long_png)
    data = yaml.safe_load((EXAMPLES / "passing" / "profile.yaml").read_text("utf-8"))
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).replace("images/", scans + "/")
    text = text.replace(scans + "/diploma.jpg", scans + "/" + long_png)
    (folder / "profile.yaml").write_text(text, "utf-8")
    result = runner.invoke(app, ["fix", str(folder / "profile.yaml"), "--out", str(tmp_path / "fixed")],
                           env={"COLUMNS": "80"})
    assert result.exit_code in (0, 1), result.output
    lines = result.output.splitlines()
    assert max(cell_len(line) for line in lines) <= 80, result.output
    # each source path on one line: shortened from the left, the file's own name kept
    assert sum("扫描）.png" in line for line in lines) == 1, result.output
    assert sum("id_front.jpg" in line for line in lines) == 1, result.output


def test_checklist_at_80_columns(tmp_path):
    folder = tmp_path / "财务共享服务中心" / "应收应付核算组（二〇二六年新入职人员）" / "欧阳慕容晓雯"
    shutil.copytree(EXAMPLES / "failing", folder)
    result = runner.invoke(app, ["verify", str(folder / "profile.yaml"), "--as-of", TODAY.isoformat()],
                           env={"COLUMNS": "80"})
    assert result.exit_code == 1
    assert max(cell_len(line) for line in result.output.splitlines()) <= 80, result.output


def test_chinese_text_wraps_between_characters_not_only_at_spaces():
    """A Chinese message has no spaces: it fills the line after its rule code instead of leaving
    the code alone, and no line starts with closing punctuation or ends with opening punctuation."""
    from tjcheck.render.wrap import NO_END, NO_START, wrap

    text = "DC008 会计工作经历证明：未能在证明上找到单位名称“天津市样本科技有限公司”或其统一社会信用代码，请人工确认"
    for width in (13, 20, 30, 40, 41):
        rows = wrap(text, width)
        assert "".join(rows).replace(" ", "") == text.replace(" ", "")
        assert all(cell_len(row) <= width for row in rows), (width, rows)
        assert rows[0].startswith("DC008 会"), rows
        assert not any(row[0] in NO_START or row[-1] in NO_END for row in rows), rows
    assert wrap("the quick brown fox jumps over", 10) == ["the quick", "brown fox", "jumps over"]
    assert wrap("examples/failing/profile.yaml", 10) == ["examples/f", "ailing/pro", "file.yaml"]
