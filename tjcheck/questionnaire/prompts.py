"""Who answers the questions: a person at a terminal (questionary), or an answers file.

The questionnaire (flow.py) only talks to a ``Prompter``; tests drive it with a scripted
one. Every question carries its default (the current value with ``--from``, or the
answers file's value) and a ``check`` that returns the problem with an answer, if any.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable, Protocol


@dataclass
class Question:
    key: str                         # the profile path it fills ("registration.id_number"), or a control key
    label: str                       # the platform's field label, in the chosen language
    default: object = None           # the current answer (--from) or the answers file's; None: not given
    hint: str = ""                   # what to type, e.g. "如 2010-07"
    check: Callable[[str], str | None] | None = None   # the problem with an answer, or None
    choices: list[tuple[str, str]] = field(default_factory=list)   # (value, shown text) for selects
    suggested: object = None         # what a person is offered when there is no current answer

    @property
    def offered(self):
        return self.suggested if self.default is None else self.default


class Prompter(Protocol):
    interactive: bool                # False: answers cannot be asked again, problems are only reported

    def text(self, q: Question) -> str: ...
    def path(self, q: Question) -> str: ...
    def select(self, q: Question) -> str: ...
    def confirm(self, q: Question) -> bool: ...
    def say(self, text: str, style: str = "") -> None: ...
    # a prompter that is not interactive also shows problems with answers it cannot ask again:
    # def problem(self, key: str, label: str, text: str) -> None: ...


class TerminalPrompter:
    """questionary prompts. Ctrl-C raises KeyboardInterrupt (``unsafe_ask``): the questionnaire stops,
    the profile is not written and init keeps the answers so far in a draft (draft.py)."""

    interactive = True

    def __init__(self, console, base_dir: str = "."):
        self.console = console
        self.base_dir = base_dir     # image paths are relative to the profile's folder: complete from there

    @staticmethod
    def _validate(q: Question):
        if q.check is None:
            return None
        return lambda value: q.check(value) or True

    def _message(self, q: Question) -> str:
        return q.label + (f"（{q.hint}）" if q.hint and not q.hint.startswith(" ") else q.hint)

    def text(self, q: Question) -> str:
        import questionary

        # judged on Enter, not at every key (a half-typed path is not "not found" yet)
        return questionary.text(self._message(q), default=str(q.offered or ""), validate=self._validate(q),
                                validate_while_typing=False).unsafe_ask()

    def path(self, q: Question) -> str:
        import questionary

        def shown(name: str) -> bool:   # folders, and the files an upload slot could take
            return os.path.isdir(name) or name.lower().endswith((".jpg", ".jpeg", ".png", ".pdf"))

        return questionary.path(self._message(q), default=str(q.offered or ""), validate=self._validate(q),
                                get_paths=lambda: [self.base_dir], file_filter=shown,
                                validate_while_typing=False).unsafe_ask()

    def select(self, q: Question) -> str:
        import questionary

        choices = [questionary.Choice(title=shown, value=value) for value, shown in q.choices]
        default = next((c for c in choices if c.value == q.offered), None)
        short = len(choices) <= 9   # long lists (16 districts, 20 industries) filter as you type instead
        return questionary.select(self._message(q), choices=choices, default=default, use_shortcuts=short,
                                  use_search_filter=not short, use_jk_keys=short).unsafe_ask()

    def confirm(self, q: Question) -> bool:
        import questionary

        return bool(questionary.confirm(self._message(q), default=bool(q.offered)).unsafe_ask())

    def say(self, text: str, style: str = "") -> None:
        from ..render.safe import markup   # the text may quote answers: shown, never obeyed

        self.console.print(f"[{style}]{markup(text)}[/]" if style else markup(text))


class AnswersPrompter:
    """Answers every question with its default (from ``--answers``), without asking.
    A problem with an answer cannot be asked again, so it is shown and kept; the checklist
    at the end reports it like any other finding."""

    interactive = False

    def __init__(self, say: Callable[[str, str], None]):
        self._say = say
        self.problems: list[str] = []

    def _answer(self, q: Question) -> str:
        value = "" if q.default is None else str(q.default)
        problem = q.check(value) if (q.check and value) else None
        if problem:
            self.problem(q.key, q.label, problem)
        return value

    def problem(self, key: str, label: str, text: str) -> None:
        """A problem with the answer to ``key``: shown and kept (the checklist reports it too)."""
        self.problems.append(f"{key}: {text}")
        # a file rule's message already starts with the slot's label
        self._say(f"✖ {text}" if text.startswith(label) else f"✖ {label}：{text}", "red")

    text = path = _answer

    def select(self, q: Question) -> str:
        return self._answer(q)

    def confirm(self, q: Question) -> bool | None:
        return None if q.default is None else bool(q.default)

    def say(self, text: str, style: str = "") -> None:
        self._say(text, style)
