"""Write a profile as commented YAML, atomically, never over a file without ``--force``.

The keys follow the profile model's order (the platform's order), and each line's comment
names the platform's field in Chinese and English, taken from the model itself, so the
file explains itself the way examples/passing/profile.yaml does.

A file tjcheck writes is always readable by tjcheck: every value is one line (``scalar``),
and before the file is put in place it is read back with tjcheck's own loader and compared
with what was meant (``as_read``); if they differ, nothing is written (``NotReadBack``).
"""
from __future__ import annotations

import re
import shutil
import sys
import unicodedata
from datetime import datetime
from pathlib import Path

import yaml
from rich.cells import cell_len  # terminal columns: Chinese characters take two

from ..atomic import write_atomic
from ..errors import InputError
from ..profile import Profile, _Model, _model_at

COMMENT_COLUMN = 34
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
INIT_NOTE = ("由 tjcheck init 生成", "written by tjcheck init")
HEADER = """\
# yaml-language-server: $schema=https://tjcheck.invalid/profile-v1.schema.json
# tjcheck 档案：{note_zh} / {note_en} ({when})
# 检查：tjcheck verify {name}    修改：tjcheck init --from {name} --force
# 图片路径相对于本文件 / image paths are relative to this file.
# 密码不要写在这里 / never put a password in this file.
"""

# Characters written as escapes in double quotes: line breaks of every kind (YAML folds
# NEL, LS and PS like a newline), tabs and other controls, format characters (a BOM, a
# bidi override that would make the line read differently), and anything unassigned.
_ESCAPED = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"}


class NotReadBack(Exception):
    """tjcheck's own bug: the file it was about to write would not read back as meant.
    Nothing was written. Names where the first difference is, never a value."""

    def __init__(self, target: Path, where: str):
        self.target = target
        self.zh = (f"内部错误：{target.name} 写出后读回与应写内容不一致（{where}）。为免留下读不了的档案，未写入任何内容。"
                   "这是 tjcheck 的缺陷，请报告此问题。")
        self.en = (f"internal error: {target.name} would not read back as written ({where}). So as to leave no "
                   "unreadable profile, nothing was written. This is a bug in tjcheck: please report it.")
        super().__init__(self.en)

    def text(self, lang: str) -> str:
        return f"{self.target}: " + (self.zh if lang == "zh" else self.en)


def _double_quoted(text: str) -> str:
    out = []
    for ch in text:
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif unicodedata.category(ch) in _ESCAPED:
            code = ord(ch)
            out.append(f"\\x{code:02X}" if code < 0x100 else f"\\u{code:04X}" if code < 0x10000 else f"\\U{code:08X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def scalar(value) -> str:
    """One YAML scalar, always on one line. tjcheck reads every scalar as text, so quoting
    is only what YAML syntax needs, plus digit strings (ID and phone numbers) so other
    tools keep them text. Text with a character YAML would read differently (a line
    break, NEL, a tab, a BOM …) is double-quoted with escapes; nothing is ever folded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    # isprintable() is False exactly for the categories escaped and for spaces other than " "
    if not text.isprintable() and any(unicodedata.category(ch) in _ESCAPED for ch in text):
        return _double_quoted(text)
    # PyYAML decides between plain and quoted (what its resolver or a reader would take for
    # something else); an unlimited width keeps it on one line
    dumped = yaml.safe_dump(text, allow_unicode=True, default_flow_style=True, width=sys.maxsize).rstrip("\n")
    if dumped.endswith("\n..."):
        dumped = dumped[:-4]
    if "\n" in dumped or dumped.startswith('"'):   # never expected; double quotes are always one line
        return _double_quoted(text)
    if text.isdigit() and not dumped.startswith("'"):
        return _double_quoted(text)
    return dumped


def _comment(model: type[_Model] | None, key: str) -> str:
    if model is None or key not in model.model_fields:
        return ""
    return f"{model.label(key, 'zh')} / {model.label(key, 'en')}"


def _line(indent: str, text: str, comment: str) -> str:
    if not comment:
        return indent + text
    body = indent + text
    return body + " " * max(1, COMMENT_COLUMN - cell_len(body)) + f"# {comment}"


def _typed(model: type[_Model] | None, key: str, value):
    """Text from a profile read back (tjcheck keeps every scalar as text) in the type its
    field has, so a yes/no is written true/false and a year as a number."""
    if model is None or key not in model.model_fields or not isinstance(value, str):
        return value
    kind = str(model.model_fields[key].annotation)
    if "bool" in kind and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if "int" in kind and value.strip().isdigit():
        return int(value)
    return value


def _typed_tree(data, path: tuple = ()):
    """A copy of ``data`` with each field's value in its field's type (``_typed``)."""
    if isinstance(data, dict):
        model = _model_at(path)
        return {k: _typed_tree(_typed(model, k, v), path + (k,)) for k, v in data.items()}
    if isinstance(data, list):
        return [_typed_tree(v, path + (i,)) for i, v in enumerate(data)]
    return data


def _inline(value) -> bool:
    """Written on the key's own line: a scalar, an empty list or mapping, a list of one text."""
    if isinstance(value, (dict, list)):
        return not value or (isinstance(value, list) and len(value) == 1 and not isinstance(value[0], (dict, list)))
    return True


def _inline_text(value) -> str:
    if isinstance(value, list):
        return scalar(value[0]) if value else "[]"
    if isinstance(value, dict):
        return "{}"
    return scalar(value)


def as_read(value):
    """What tjcheck's loader gives back for ``value`` as the writer writes it: every scalar
    as text, and a list of one text as that text (``photo: images/photo.jpg``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return {k: as_read(v) for k, v in value.items()}
    if isinstance(value, list):
        if len(value) == 1 and not isinstance(value[0], (dict, list)):
            return as_read(value[0])
        return [as_read(v) for v in value]
    return value if value is None or isinstance(value, str) else str(value)


def _emit_map(data: dict, path: tuple, indent: str, out: list[str], first: str | None = None) -> None:
    """The keys of ``data`` at ``indent``; ``first`` replaces the first key's indent (a list
    item's "- ")."""
    model = _model_at(path)
    order = list(model.model_fields) if model else []
    keys = [k for k in order if k in data] + [k for k in data if k not in order]
    for i, key in enumerate(keys):
        lead = first if (first is not None and i == 0) else indent
        name = key if _PLAIN_KEY.fullmatch(str(key)) else scalar(str(key))
        _emit_value(f"{lead}{name}:", data[key], path + (key,), indent, out, _comment(model, key))


def _emit_value(head: str, value, path: tuple, indent: str, out: list[str], comment: str = "") -> None:
    """``head`` ("key:" or "-", indented) and its value: on the same line, or below it."""
    if _inline(value):
        text = _inline_text(value)
        out.append(_line("", head + (f" {text}" if text else ""), comment))
        return
    out.append(_line("", head, comment))
    if isinstance(value, dict):
        _emit_map(value, path, indent + "  ", out)
        return
    item_indent = indent + "  "
    for j, item in enumerate(value):
        if isinstance(item, dict) and item:
            _emit_map(item, path + (j,), item_indent + "  ", out, first=item_indent + "- ")
        else:
            _emit_value(item_indent + "-", item, path + (j,), item_indent, out)


def render(data: dict, name: str = "profile.yaml", note: tuple[str, str] = INIT_NOTE,
           header: str = HEADER) -> str:
    """The profile ``data`` (plain dicts, lists and scalars) as commented YAML text;
    ``note`` says in the header who wrote it."""
    data = _typed_tree(data)
    out = [header.format(note_zh=note[0], note_en=note[1], when=datetime.now().strftime("%Y-%m-%d %H:%M"),
                         name=name).rstrip("\n")]
    top = {k: v for k, v in data.items() if k in ("version", "exam_year")}
    rest = {k: v for k, v in data.items() if k not in top}
    _emit_map(top, (), "", out)
    for key in Profile.model_fields:
        if key in rest:
            out.append("")
            _emit_map({key: rest.pop(key)}, (), "", out)
    if rest:
        _emit_map(rest, (), "", out)
    return "\n".join(out) + "\n"


def _first_difference(meant, read, path: tuple = ()) -> tuple | None:
    if isinstance(meant, dict) and isinstance(read, dict):
        for key in list(meant) + [k for k in read if k not in meant]:
            if key not in meant or key not in read:
                return path + (key,)
            found = _first_difference(meant[key], read[key], path + (key,))
            if found is not None:
                return found
        return None
    if isinstance(meant, list) and isinstance(read, list) and len(meant) == len(read):
        for i, (a, b) in enumerate(zip(meant, read)):
            found = _first_difference(a, b, path + (i,))
            if found is not None:
                return found
        return None
    return None if meant == read and type(meant) is type(read) else path


def write_checked(target: Path, data: dict, text: str) -> None:
    """Write ``text``, the rendering of ``data``, to ``target`` atomically, after reading
    the temporary file back with tjcheck's loader: if it does not give ``data`` back
    (``as_read``), nothing is written and ``NotReadBack`` says where it differs."""
    from ..yamlload import load_yaml

    meant = as_read(_typed_tree(data))

    def check(tmp: Path) -> None:
        try:
            read = load_yaml(tmp).data
        except InputError as exc:
            raise NotReadBack(target, f"line {exc.line}" if exc.line else exc.en) from None
        where = _first_difference(meant, read)
        if where is not None:
            raise NotReadBack(target, ".".join(map(str, where)) or "the whole file")

    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError as exc:   # a lone surrogate: cannot be stored in UTF-8 at all
        raise NotReadBack(target, f"character {exc.start}") from None
    write_atomic(target, raw, check=check)


def refuse_existing(target: Path, force: bool) -> None:
    """An existing file is refused unless ``force``; a folder always."""
    if target.exists() and not force:
        raise InputError(target, "文件已存在，不会覆盖。换一个文件名，或加 --force（会先备份原文件）。",
                         "the file exists and will not be overwritten: choose another name, or add --force "
                         "(the old file is backed up first).")
    if target.is_dir():
        raise InputError(target, "这是一个文件夹，请给出档案文件名，如 profile.yaml。",
                         "this is a folder: give a file name such as profile.yaml.")


def write_new(target: Path, data: dict, force: bool, note: tuple[str, str] = INIT_NOTE) -> Path | None:
    """Write the profile ``data`` to ``target`` (``write_checked``). An existing file is
    refused unless ``force``; then it is first copied to a backup, whose path is returned."""
    refuse_existing(target, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    backup = None
    if target.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = target.with_name(f"{target.name}.{stamp}.bak")
        shutil.copy2(target, backup)
    write_checked(target, data, render(data, target.name, note))
    return backup
