"""Errors that stop a run with exit code 2: the input or the command line cannot be used."""
from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A file that cannot be used, with where and why, in both languages."""

    def __init__(self, file: Path | str | None, zh: str, en: str, line: int | None = None,
                 column: int | None = None, details: list[tuple[str, str]] | None = None):
        super().__init__(en)
        self.file = Path(file) if file is not None else None
        self.zh, self.en = zh, en
        self.line, self.column = line, column
        self.details = details or []  # further (zh, en) lines, e.g. one per schema problem

    def where(self) -> str:
        parts = [str(self.file)] if self.file else []
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)

    def text(self, lang: str) -> str:
        """The message for a terminal or a report: a file name or a value quoted from the
        profile shows its control characters visibly (render/safe.py)."""
        from .render.safe import visible

        head = f"{self.where()}: " if self.where() else ""
        lines = [head + (self.zh if lang == "zh" else self.en)]
        lines += ["  " + (zh if lang == "zh" else en) for zh, en in self.details]
        return visible("\n".join(lines))
