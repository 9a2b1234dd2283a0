"""``tjcheck fix``: compliant copies of the images a machine can mend, and a new profile.

For every image the profile puts in an upload slot (the slots ``verify`` checks), the
file rules that can be met mechanically are met in a **copy** written into the output
folder; everything else is listed with the reason and left alone. What is mended and
what is refused, per image: attachment.py (attachments), photo.py (the photo);
picture.py reads each image once and refuses a file that cannot be used at all.
This module runs them over the profile, writes the copies and the new profile, and
shows the result.

Rules for the output folder ``DIR`` (checked before anything is written):
- not the profile's folder, nor a folder that holds any image the profile names;
- inside such a folder only when it does not exist yet or is empty (a fresh subfolder);
- ``DIR/profile.yaml`` must not exist; copies never replace a file: a name that is taken
  gets ``-2``, ``-3`` … Files are written atomically (temporary file, then rename).
The new profile is ``DIR/profile.yaml``: the same data (a password key is left out) with
each fixed image pointing at its copy and every other image at the original, by a path
relative to DIR. The originals are not copied: the ID scans then exist once, and the
table says which files are new. Nothing is written when there is nothing to fix.
The written profile is checked with ``engine.verify`` (image rules AT, PH, FA) and the
findings that remain are reported per image.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import InputError
from ..render.fit import give_way, keep_end
from ..render.safe import one_line, visible
from ..safeio import resolved
from .attachment import fix_attachment
from .photo import _analyse, fix_photo
from .picture import FIXED, REFUSED, UNCHANGED, Outcome, Text, read_picture, t

NEW_PROFILE = "profile.yaml"
IMAGE_CODES = ("AT", "PH", "FA")   # the rules the new profile is checked with


# --------------------------------------------------------------------------- the profile

@dataclass
class Stats:
    format: str
    width: int
    height: int
    bytes: int

    def text(self) -> str:
        size = f" {self.width}×{self.height}" if self.width else ""
        return f"{self.format}{size} {self.bytes / 1024:.0f} KB"


@dataclass
class ImageFix:
    """One image of the profile (in one or more slots): before, what was done, after."""
    kind: str                       # "photo" or "attachment"
    source: str                     # the path as written in the profile
    source_path: Path
    slots: list[Text] = field(default_factory=list)
    status: str = UNCHANGED         # fixed | unchanged | refused
    actions: list[Text] = field(default_factory=list)
    reasons: list[Text] = field(default_factory=list)
    before: Stats | None = None
    after: Stats | None = None
    output: Path | None = None      # the copy, when written
    new_name: str = ""              # how the new profile names it
    remaining: list = field(default_factory=list)   # Findings the image rules still report


@dataclass
class FixResult:
    profile: Path
    out_dir: Path
    new_profile: Path | None        # None: nothing needed fixing, nothing was written
    items: list[ImageFix]
    remaining: list                 # every image finding (AT, PH, FA) of the new profile (or the original)
    notes: list[Text] = field(default_factory=list)
    lang: str = "zh"

    @property
    def written(self) -> list[Path]:
        return [i.output for i in self.items if i.output is not None]

    @property
    def clean(self) -> bool:
        """Nothing refused and no image error left."""
        from ..report import Severity

        return not any(i.status == REFUSED for i in self.items) and \
            not any(f.severity is Severity.ERROR for f in self.remaining)


def _files_field(field_info) -> bool:
    import typing

    return typing.get_origin(field_info.annotation) is list and typing.get_args(field_info.annotation) == (str,)


def _map_images(data, fn: Callable[[tuple, str], str], path: tuple = ()) -> None:
    """Replace, in place, every image path of the raw profile data by ``fn(path, name)``."""
    from ..profile import _model_at

    model = _model_at(path)
    if model is None or not isinstance(data, dict):
        return
    for key, value in list(data.items()):
        info = model.model_fields.get(key)
        if info is None or value is None:
            continue
        if _files_field(info):
            if isinstance(value, str):
                data[key] = fn(path + (key,), value) if value.strip() else value
            elif isinstance(value, list):
                data[key] = [fn(path + (key,), v) if isinstance(v, str) and v.strip() else v for v in value]
        elif isinstance(value, dict):
            _map_images(value, fn, path + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                _map_images(item, fn, path + (key, i))


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def _check_out_dir(out: Path, input_folders: set[Path], profile_dir: Path) -> None:
    """The output-folder rule (module docstring); raises InputError before anything is written."""
    if out.exists() and not out.is_dir():
        raise InputError(out, "这是一个文件，不是文件夹：--out 需要一个文件夹。", "this is a file: --out needs a folder.")
    if out in input_folders:
        which = ("档案所在的文件夹", "the profile's own folder") if out == profile_dir else \
            ("档案引用的图片所在的文件夹", "a folder holding images the profile names")
        raise InputError(out, f"这是{which[0]}：tjcheck fix 从不写入输入文件夹，请指定另一个文件夹（如 fixed/）。",
                         f"this is {which[1]}: tjcheck fix never writes into an input folder; give another folder "
                         "(such as fixed/).")
    for folder in input_folders:
        if _inside(out, folder) and out.is_dir() and any(out.iterdir()):
            raise InputError(out, "这个文件夹在输入文件夹之内且不是空的：请指定一个新的或空的文件夹，以免与原图混在一起。",
                             "this folder is inside an input folder and is not empty: give a new or empty folder, so "
                             "that the copies never mix with the originals.")
    target = out / NEW_PROFILE
    if target.exists() or target.is_symlink():
        raise InputError(target, "文件已存在，不会覆盖：请指定另一个输出文件夹，或先移走它。",
                         "the file exists and will not be overwritten: give another output folder, or move it away.")


def _free_name(out: Path, stem: str, suffix: str, taken: set[str]) -> str:
    name, n = f"{stem}{suffix}", 1
    while name.lower() in taken or name == NEW_PROFILE or (out / name).exists() or (out / name).is_symlink():
        n += 1
        name = f"{stem}-{n}{suffix}"
    taken.add(name.lower())
    return name


def _relative(target: Path, start: Path) -> str:
    try:
        return Path(os.path.relpath(target, start)).as_posix()
    except ValueError:   # another drive (Windows): only an absolute path can point there
        return str(target)


def fix_profile(profile_path: Path, out_dir: Path, lang: str = "zh", *, ruleset: Path | None = None,
                recheck: bool = True) -> FixResult:
    """Fix what can be fixed mechanically in the profile's images; see the module docstring.

    Raises ``InputError`` (exit code 2) for a profile that cannot be read or an output
    folder that may not be used; a bad image is never an exception, it is an item with
    its reason."""
    from datetime import date

    from ..checks.base import Context
    from ..engine import load_ruleset, verify
    from ..imaging.reader import ImageReader
    from ..profile import load_profile, take_secrets
    from ..questionnaire.writer import write_new as write_profile
    from ..yamlload import load_yaml
    from .encode import write_new as write_image

    rs = load_ruleset(ruleset)
    keys = rs["identity"]["password_keys"]
    profile_path = Path(profile_path)
    loaded = load_profile(profile_path, keys)
    base = resolved(profile_path).parent
    out = resolved(Path(out_dir).expanduser())

    raw = load_yaml(profile_path).data
    referenced: list[tuple[tuple, str]] = []
    _map_images(raw, lambda p, n: referenced.append((p, n)) or n)
    folders = {base} | {resolved(base / n).parent for _, n in referenced}
    _check_out_dir(out, folders, base)

    # the slots verify checks, each image once per kind (the same proof may serve three slots)
    ctx = Context(loaded, rs, date.today(), 0, date.today(), ImageReader(rs["attachments"]))
    items: dict[tuple[Path, str], ImageFix] = {}
    for slot in ctx.slots:
        for name in slot.files:
            key = (resolved(base / name), slot.kind)
            if key not in items:
                items[key] = ImageFix(slot.kind, name, key[0])
            if slot.label not in items[key].slots:
                items[key].slots.append(slot.label)

    outcomes: dict[tuple[Path, str], Outcome] = {}
    for key, item in items.items():
        pic = read_picture(base, item.source, rs["attachments"])
        if pic.data and pic.width:
            item.before = Stats(pic.format, pic.width, pic.height, pic.bytes)
        elif pic.data:
            item.before = Stats(pic.format, 0, 0, pic.bytes)
        try:
            if item.kind == "photo":
                analysis, again = None, None
                if pic.image is not None:
                    analysis, again = _analyse(pic.image, rs)
                outcome = fix_photo(pic, analysis, rs, recheck=again if recheck else None)
            else:
                outcome = fix_attachment(pic, rs)
        except Exception as exc:   # one odd image must not stop the others (TJCHECK_DEBUG shows it)
            if os.environ.get("TJCHECK_DEBUG"):
                raise
            what = f"{type(exc).__name__}: {str(exc)[:80]}"
            outcome = Outcome(reasons=[(f"处理时出错，未修改（{what}）", f"could not be processed, left alone ({what})")])
        outcomes[key] = outcome
        item.actions, item.reasons, item.status = outcome.actions, outcome.reasons, outcome.status
        del pic

    notes: list[Text] = []
    new_profile = None
    if any(o.data is not None for o in outcomes.values()):
        taken: set[str] = set()
        created = not out.exists()
        try:
            out.mkdir(parents=True, exist_ok=True)
            for key, outcome in outcomes.items():
                if outcome.data is None:
                    continue
                item = items[key]
                name = _free_name(out, Path(item.source).stem or "image", outcome.suffix, taken)
                write_image(out / name, outcome.data, force=False,
                            limits=rs["attachments"] if item.kind == "attachment" else None)
                item.output, item.new_name = out / name, name
                item.after = Stats(outcome.format, *outcome.size, len(outcome.data))

            def point(path: tuple, name: str) -> str:
                kind = "photo" if path == ("basic", "photo") else "attachment"
                item = items.get((resolved(base / name), kind))
                if item is not None and item.output is not None:
                    return item.new_name
                if Path(name).is_absolute():
                    return name
                return _relative(resolved(base / name), out)

            secrets = take_secrets(raw, {k.lower() for k in keys})
            if secrets:
                notes.append(("新档案中去掉了密码（档案里不应有密码）", "the password was left out of the new profile "
                              "(a profile should hold none)"))
            _map_images(raw, point)
            for item in items.values():
                if item.output is None:
                    item.new_name = _relative(item.source_path, out) if not Path(item.source).is_absolute() \
                        else item.source
            new_profile = out / NEW_PROFILE   # read back before it is put in place (writer.NotReadBack)
            write_profile(new_profile, raw, force=False, note=(f"由 tjcheck fix 生成，源自 {profile_path.name}",
                                                               f"written by tjcheck fix from {profile_path.name}"))
        except BaseException as exc:   # leave no half result: remove what this run wrote
            for item in items.values():
                if item.output is not None:
                    item.output.unlink(missing_ok=True)
                    item.output = None
            if created and out.is_dir() and not any(out.iterdir()):
                out.rmdir()
            if isinstance(exc, OSError):
                raise InputError(out, f"无法写入：{exc.strerror or exc}", f"cannot write: {exc.strerror or exc}") \
                    from None
            raise
    else:
        for item in items.values():
            item.new_name = item.source

    checked = load_profile(new_profile, keys) if new_profile else loaded
    report = verify(checked, rs, select=list(IMAGE_CODES))
    remaining = report.findings
    by_name = {item.new_name: item for item in items.values()}
    for finding in remaining:
        item = by_name.get(finding.file) if finding.file else None
        if item is None and finding.path.startswith("basic.photo"):
            item = next((i for i in items.values() if i.kind == "photo"), None)
        if item is not None and finding not in item.remaining:
            item.remaining.append(finding)
    return FixResult(profile_path, out, new_profile, list(items.values()), remaining, notes, lang)


# --------------------------------------------------------------------------- presentation

STATUS_WORDS = {FIXED: ("已生成副本", "copy written"), UNCHANGED: ("无需修改", "nothing to fix"),
                REFUSED: ("未修改", "left alone")}


class FixTable:
    """The before/after table (a rich renderable), one row per image, laid out when printed
    for the console's width: at 80 columns too. A path stays on one line, cut at its start
    (the file's own name stays); the other columns wrap and give way in FIX_GIVE_WAY's order.
    Every text from the profile is shown as data (render/safe.py)."""

    def __init__(self, result: FixResult, lang: str):
        self.result, self.lang = result, lang

    def __rich_console__(self, console, options):
        yield self.table(options.max_width)

    def _rows(self) -> list[list[str]]:
        lang, zh = self.lang, self.lang == "zh"
        rows = []
        for item in self.result.items:
            labels = list(dict.fromkeys(t(s, lang) for s in item.slots))
            done = [t(STATUS_WORDS[item.status], lang)] + ["• " + t(a, lang) for a in item.actions] + \
                ["✗ " + t(r, lang) for r in item.reasons]
            rows.append([("、" if zh else ", ").join(labels), one_line(item.source),
                         item.before.text() if item.before else "—", visible("\n".join(done)),
                         one_line(item.new_name) if item.after else "—",
                         visible("\n".join(f"{f.code} {f.message[lang]}" for f in item.remaining)) or "—"])
        shown = {id(f) for item in self.result.items for f in item.remaining}
        for finding in self.result.remaining:   # about a slot rather than one file (several files in one slot)
            if id(finding) not in shown:
                rows.append([visible(finding.path), "—", "—", "—", "—",
                             visible(f"{finding.code} {finding.message[lang]}")])
        return rows

    def table(self, width: int):
        from rich.cells import cell_len
        from rich.table import Table
        from rich.text import Text as RichText

        lang = self.lang
        heads = [t(h, lang) for h in FIX_HEADS]
        rows = self._rows()
        natural = [max([cell_len(heads[i])] + [cell_len(line) for r in rows for line in r[i].splitlines()])
                   for i in range(len(heads))]
        if any(item.after for item in self.result.items):   # the copy's size and pixels, under its name
            natural[AFTER] = max(natural[AFTER], max(cell_len(i.after.text()) for i in self.result.items if i.after))
        # a frame: a border on each side and between columns, one cell of padding each side of each column
        widths = give_way(natural, FIX_GIVE_WAY, width - (len(heads) + 1) - 2 * len(heads))
        table = Table(title="tjcheck fix", show_lines=True, title_justify="left")
        for i, head in enumerate(heads):
            table.add_column(head, width=widths[i] if widths else None, no_wrap=i == SOURCE,
                             overflow="ellipsis" if i == SOURCE else "fold")
        style = {FIXED: "green", UNCHANGED: "dim", REFUSED: "yellow"}
        statuses = [item.status for item in self.result.items]
        for n, cells in enumerate(rows):
            if widths:
                cells[SOURCE] = keep_end(cells[SOURCE], widths[SOURCE])
                cells[AFTER] = keep_end(cells[AFTER], widths[AFTER])
            if n < len(statuses) and self.result.items[n].after:
                cells[AFTER] += "\n" + self.result.items[n].after.text()
            texts = [RichText(c) for c in cells]
            if n < len(statuses):
                texts[DONE].stylize(style[statuses[n]])
            table.add_row(*texts)
        return table


FIX_HEADS = (("上传位", "slot"), ("原文件", "source"), ("修改前", "before"), ("处理", "what was done"),
             ("修改后", "after"), ("仍需处理", "still to do"))
SLOT, SOURCE, BEFORE, DONE, AFTER, STILL = range(6)
# (column, floor): who gives way first, and down to how many cells; paths keep a readable tail longest
# (the sizes "JPEG 1400×1000 245 KB" wrap at their spaces down to 9 cells)
FIX_GIVE_WAY = [(STILL, 24), (DONE, 20), (SLOT, 12), (BEFORE, 15), (SOURCE, 20), (AFTER, 20),
                (STILL, 12), (DONE, 12), (SOURCE, 14), (AFTER, 14), (SLOT, 6), (BEFORE, 9),
                (STILL, 8), (DONE, 8), (SOURCE, 10), (AFTER, 10)]


def fix_table(result: FixResult, lang: str | None = None) -> FixTable:
    """The before/after table (rich), one row per image; see :class:`FixTable`."""
    return FixTable(result, lang or result.lang)


def summary_lines(result: FixResult, lang: str | None = None) -> list[str]:
    """What was written and what to run next, after the table."""
    lang = lang or result.lang
    zh = lang == "zh"
    lines = [t(n, lang) for n in result.notes]
    n = len(result.written)
    if result.new_profile:
        lines.append(f"已写入 {n} 个合规副本和新档案 {result.new_profile}；原文件未改动。" if zh else
                     f"wrote {n} compliant cop{'y' if n == 1 else 'ies'} and the new profile {result.new_profile}; "
                     "the originals are untouched.")
        lines.append(f"检查新档案：tjcheck verify {result.new_profile}" if zh else
                     f"check it: tjcheck verify {result.new_profile}")
    else:
        lines.append("没有可以自动修正的图片，未写入任何文件。" if zh else
                     "nothing could be fixed mechanically; no file was written.")
    shown = {id(f) for item in result.items for f in item.remaining}
    left = sum(1 for i in result.items if i.status == REFUSED or i.remaining) + \
        sum(1 for f in result.remaining if id(f) not in shown)
    if left:
        lines.append(f"仍有 {left} 处需要处理，见上表“仍需处理”。" if zh else
                     f"{left} row(s) still need attention: see 'still to do' above.")
    return [visible(line) for line in lines]   # paths from the command line and the profile: shown, never obeyed
