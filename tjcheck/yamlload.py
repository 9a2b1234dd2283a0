"""Read a YAML file into plain data plus the line and column of every value.

Only null is resolved implicitly; every other scalar stays text. YAML 1.1 would
otherwise turn an 18-digit ID number into an int, a phone number starting with 0
into an octal number and ``no`` into False; the profile model converts the text to
the declared type instead, so what the user typed is what gets checked.

Anchors and aliases (``&wp`` … ``*wp``, a path written once and used again) are
expanded, within the limits a profile never comes near: ``MAX_DEPTH`` levels of
nesting and ``MAX_NODES`` values once expanded. An alias inside the very value it
names would expand for ever and is refused with its line. These limits are checked
on the parser's event stream (``_check_shape``), which is flat, before anything
recursive (the composer, ``_build``) sees the document.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

try:  # libyaml's composer is much faster; the resolver below is the Python one either way
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - wheels without libyaml
    from yaml import SafeLoader as _BaseLoader

from .errors import InputError
from .safeio import Unreadable, read_file

MAX_NODES = 20_000  # values once aliases are expanded: bounds "billion laughs" and absurd files
MAX_DEPTH = 20      # nesting of lists and mappings, aliases expanded; a profile needs 6
MAX_BYTES = 2_000_000


def text_loader(base: type) -> type:
    """A loader on ``base`` (libyaml's or the pure-Python one) that resolves nothing but null."""
    loader = type("_TextLoader", (base,), {})
    loader.yaml_implicit_resolvers = {}
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:null", yaml.resolver.re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
    )
    return loader


_TextLoader = text_loader(_BaseLoader)

_TOO_DEEP = (f"嵌套超过 {MAX_DEPTH} 层，不像档案文件。", f"nested more than {MAX_DEPTH} levels deep; not a profile.")
_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "bool", "float", "timestamp")}


@dataclass
class Loaded:
    data: object
    positions: dict[tuple, tuple[int, int]]  # path -> (line, column), 1-based
    file: Path


def decode_text(raw: bytes, file: Path) -> str:
    """UTF-8 (with or without BOM); anything else is named, with its line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint_zh = hint_en = ""
        try:
            raw.decode("gb18030")
            hint_zh, hint_en = "文件似乎是 GBK/GB18030 编码，", "it looks GBK/GB18030-encoded; "
        except UnicodeDecodeError:
            pass
        raise InputError(
            file,
            f"不是 UTF-8 文本（第 {line} 行第 {exc.start} 字节处）：{hint_zh}请用编辑器另存为 UTF-8。",
            f"not UTF-8 text (line {line}, byte {exc.start}): {hint_en}save it as UTF-8 in your editor.",
            line=line,
        ) from None


def load_yaml(file: Path) -> Loaded:
    try:
        raw = read_file(file, MAX_BYTES)
    except Unreadable as exc:
        if exc.kind == "too_large":
            raise InputError(file, f"{exc.reason[0]}：档案应是很小的文本文件。",
                             f"{exc.reason[1]}: a profile is a small text file.") from None
        raise InputError(file, f"无法读取：{exc.reason[0]}。", f"cannot be read: {exc.reason[1]}.") from None
    if raw[:4] in (b"%PDF", b"\x89PNG") or raw[:3] == b"\xff\xd8\xff" or raw[:2] == b"PK":
        raise InputError(file, "这是图片、PDF 或压缩文件，不是 YAML 档案。",
                         "is an image, PDF or archive, not a YAML profile.")
    text = decode_text(raw, file)
    try:
        _check_shape(text, file)
        node = yaml.compose(text, Loader=_TextLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        if "nesting depth" in problem:   # libyaml's own limit (1000), met before ours when it reads ahead
            raise InputError(file, _TOO_DEEP[0], _TOO_DEEP[1], line=line, column=col) from None
        raise InputError(file, f"YAML 语法错误：{problem}。常见原因：缩进不一致、冒号后缺空格、引号未闭合、用了 Tab。",
                         f"YAML syntax error: {problem}. Common causes: uneven indentation, no space after a colon, "
                         "an unclosed quote, a tab.", line=line, column=col) from None
    positions: dict[tuple, tuple[int, int]] = {}
    data = _build(node, (), positions, file) if node is not None else None
    return Loaded(data, positions, file)


def _check_shape(text: str, file: Path) -> None:
    """Refuse, with the line, a document whose expansion is too deep, too large, or endless.

    One pass over the parser's events, keeping for each open list or mapping its anchor,
    how many values it holds and how deep it goes; an anchored value's size and depth are
    remembered, so an alias adds what it will expand to. An alias can only name a value
    already begun: if that value is still open, the alias is inside it (a cycle)."""
    open_: list[list] = []             # [anchor, value count when it began, height] per open collection
    anchors: dict[str, tuple | None] = {}   # anchor -> (values, height) of its value; None while open
    total = 0

    def refuse(event, zh: str, en: str):
        raise InputError(file, zh, en, line=event.start_mark.line + 1, column=event.start_mark.column + 1)

    def grow(event, size: int, height: int) -> None:
        """Count a value of ``size`` values nested ``height`` levels, and check the limits."""
        nonlocal total
        total += size
        alias = isinstance(event, yaml.AliasEvent)
        if total > MAX_NODES:
            if alias:
                refuse(event, f"别名 *{event.anchor} 展开后内容过多（超过 {MAX_NODES} 项），不像档案文件。",
                       f"the alias *{event.anchor} expands to too many values (over {MAX_NODES}) for a profile.")
            refuse(event, f"内容过多（超过 {MAX_NODES} 项），不像档案文件。",
                   f"too many values (over {MAX_NODES}) to be a profile.")
        if len(open_) + height > MAX_DEPTH:
            if alias:
                refuse(event, f"别名 *{event.anchor} 展开后" + _TOO_DEEP[0],
                       _TOO_DEEP[1].replace(" deep", f" deep once the alias *{event.anchor} is expanded"))
            refuse(event, *_TOO_DEEP)
        if open_:
            open_[-1][2] = max(open_[-1][2], height + 1)

    for event in yaml.parse(text, Loader=_TextLoader):
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in anchors and anchors[event.anchor] is None:
                refuse(event, f"别名 *{event.anchor} 指向包含它自己的内容（&{event.anchor}），会无限展开；"
                              "请把内容直接写出来。",
                       f"the alias *{event.anchor} refers to the value it is inside of (&{event.anchor}), which "
                       "would expand for ever; write the value out instead.")
            if event.anchor in anchors:   # an unknown one is the composer's "undefined alias" error
                grow(event, *anchors[event.anchor])
        elif isinstance(event, yaml.ScalarEvent):
            grow(event, 1, 0)
            if event.anchor:
                anchors[event.anchor] = (1, 0)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            grow(event, 1, 1)
            open_.append([event.anchor, total, 1])
            if event.anchor:
                anchors[event.anchor] = None
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, began, height = open_.pop()
            if anchor:
                anchors[anchor] = (total - began + 1, height)
            if open_:
                open_[-1][2] = max(open_[-1][2], height + 1)


def _build(node, path, positions, file):
    """Plain data from a composed node. Its depth and size are bounded by ``_check_shape``,
    and an alias's value is built again where it is used, so no two places share a list."""
    positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode) and node.tag == "tag:yaml.org,2002:map":
        out: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(file, "键必须是简单文本。", "keys must be plain text.",
                                 line=key_node.start_mark.line + 1)
            key = key_node.value
            if key == "<<":
                raise InputError(file, "不支持 YAML 合并键 <<。", "YAML merge keys (<<) are not supported.",
                                 line=key_node.start_mark.line + 1)
            if key in out:
                raise InputError(file, f"键 “{key}” 重复出现（第 {positions[path + (key,)][0]} 行已有），后一个会覆盖前一个。",
                                 f"key '{key}' appears twice (first on line {positions[path + (key,)][0]}); "
                                 "the second would silently replace the first.", line=key_node.start_mark.line + 1)
            # a value is located at its key: that is the line a person looks for
            positions[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _build(value_node, path + (key,), positions, file)
        return out
    if isinstance(node, yaml.SequenceNode) and node.tag == "tag:yaml.org,2002:seq":
        return [_build(item, path + (i,), positions, file) for i, item in enumerate(node.value)]
    if not isinstance(node, yaml.ScalarNode):
        raise InputError(file, f"不支持的 YAML 标签 {node.tag}。", f"unsupported YAML tag {node.tag}.",
                         line=node.start_mark.line + 1)
    if node.tag == "tag:yaml.org,2002:null":
        return None
    if node.tag not in _SCALAR_TAGS:
        raise InputError(file, f"不支持的 YAML 标签 {node.tag}。", f"unsupported YAML tag {node.tag}.",
                         line=node.start_mark.line + 1)
    return node.value
