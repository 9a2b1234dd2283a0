"""The draft of an interrupted ``tjcheck init``: a long questionnaire is not lost.

On Ctrl-C (or a crash) inside the questionnaire, the answers given so far, with the values
of ``--from`` not yet asked, are written next to the profile as ``PROFILE.draft`` (for
``profile.yaml``: ``profile.yaml.draft``; it does not end in ``.yaml``, so ``tjcheck batch``
never takes it for a profile). It is written like a profile (writer.py: atomically, read
back before it is put in place) and holds no password: init never asks one, and one in
``--from`` is taken out before the questions. The next ``tjcheck init`` for the same
profile offers to resume from it; it is removed once that profile is written.
"""
from __future__ import annotations

import copy
from pathlib import Path

from ..errors import InputError
from .writer import render, write_checked

SUFFIX = ".draft"
HEADER = """\
# tjcheck init 草稿：中断前已填写的答案，尚未完成 / draft: the answers given before tjcheck init was interrupted ({when})
# 继续填写：tjcheck init {name}（会询问是否从草稿继续）/ to go on: tjcheck init {name}
# 档案写出后本草稿自动删除 / removed once the profile is written.
# 密码不要写在这里 / never put a password in this file.
"""


def draft_path(target: Path) -> Path:
    return target.with_name(target.name + SUFFIX)


def _answered(data: dict) -> bool:
    return any(key != "version" for key in data)


def with_unanswered(data: dict, defaults: dict) -> dict:
    """The answers so far, and the starting values of what was not reached yet (for lists:
    the entries after the last one answered)."""
    out = copy.deepcopy(data)
    for key, value in defaults.items():
        if key not in out:
            out[key] = copy.deepcopy(value)
        elif isinstance(value, dict) and isinstance(out[key], dict):
            out[key] = with_unanswered(out[key], value)
        elif isinstance(value, list) and isinstance(out[key], list):
            mine = out[key]
            for i, theirs in enumerate(value):
                if i >= len(mine):
                    mine.append(copy.deepcopy(theirs))
                elif isinstance(mine[i], dict) and isinstance(theirs, dict):
                    mine[i] = with_unanswered(mine[i], theirs)
    return out


def keep_draft(target: Path, data: dict, defaults: dict) -> Path | None:
    """Write the draft of ``target`` (module docstring); None when nothing was answered yet.
    Raises OSError or writer.NotReadBack when it cannot be written."""
    if not _answered(data):
        return None
    path = draft_path(target)
    content = with_unanswered(data, defaults)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_checked(path, content, render(content, target.name, header=HEADER))
    return path


def read_draft(target: Path, password_keys: list[str]) -> dict | None:
    """The draft's answers, checked like a profile; None when there is none."""
    from ..profile import load_profile, take_secrets
    from ..yamlload import load_yaml

    path = draft_path(target)
    if not path.exists() and not path.is_symlink():
        return None
    try:
        load_profile(path, password_keys)
        data = load_yaml(path).data or {}
    except InputError as exc:
        exc.details.append(("这是上次中断时保存的草稿：修改或删除它后再运行 tjcheck init。",
                            "this is the draft kept when tjcheck init was interrupted: fix or delete it, then run "
                            "tjcheck init again."))
        raise
    take_secrets(data, {k.lower() for k in password_keys})
    return data


def remove_draft(target: Path) -> None:
    draft_path(target).unlink(missing_ok=True)
