"""Validate one answer with the same rules `tjcheck verify` runs: no second copy of any rule.

The answer is put into the profile built so far, the profile model reads it (shape: a
date is a date), and the rules of that answer's step run over it; the findings that
point at exactly that answer are its problems. So an ID number's checksum, a phone
number, a credit code, a date out of order or an image that is not a JPEG are judged
here exactly as in the checklist, and with the same words.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from ..engine import all_rules, verify
from ..profile import LoadedProfile, Profile, _describe, dotted
from ..report import Severity

STEP_OF = {"registration": 1, "realname": 3, "scope": 4, "basic": 5, "education": 6, "work": 7,
           "department": 8, "title": 10}
# an image answer is refused outright only when it is not an image at all; other file
# findings (size, pixels, what the photo shows) are shown and the person decides
UNUSABLE_FILE = ("AT001", "AT002", "AT003", "AT004", "AT008", "PH001")
# ... except a real image in another format (an iPhone's HEIC, a PNG photo, a BMP scan):
# tjcheck fix converts it, so it is kept, and the message says so
CONVERTIBLE = ("AT003", "PH001")
WILL_CONVERT = ("；tjcheck fix 会把它转换为 jpg 副本（原文件不动）", "; tjcheck fix will convert it to a jpg copy (the "
                "original is kept)")


@dataclass
class Verdict:
    errors: list[tuple[str, str]] = field(default_factory=list)     # (zh, en)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    unusable: bool = False      # an image that is missing or not an image

    def first(self, lang: str) -> str | None:
        return self.errors[0][0 if lang == "zh" else 1] if self.errors else None


def put(data: dict, path: tuple, value) -> dict:
    """``data`` with ``value`` at ``path`` (list indices grow the list as needed)."""
    node = data
    for part, nxt in zip(path, path[1:]):
        if isinstance(part, int):
            while len(node) <= part:
                node.append({})
            node = node[part]
        else:
            node = node.setdefault(part, [] if isinstance(nxt, int) else {})
    last = path[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
    node[last] = value
    return data


class FieldChecker:
    def __init__(self, ruleset: dict, base_dir: Path, today: date | None = None):
        self.ruleset = ruleset
        self.base_dir = base_dir
        self.today = today or date.today()
        from ..imaging.reader import ImageReader

        # every answer re-runs its step's rules: each image is read once per session, not per answer
        self.images = ImageReader(ruleset["attachments"], session=True)
        self.rules_of_step: dict[int, list[str]] = {}
        for code, rule in all_rules().items():
            if code.startswith("DC"):
                # what a document says is judged by the checklist at the end, not per answer: reading
                # one takes about a second, and a card compared with a name typed a moment ago would
                # make the person re-upload a right image instead of correcting the name
                continue
            for step in rule.steps:
                self.rules_of_step.setdefault(step, []).append(code)

    def _decodes(self, name: str) -> bool:
        """Whether the image decodes completely (read as verify reads it)."""
        info = self.images.get(self.base_dir, name)
        return info.image is not None and info.frames == 1

    def check(self, data: dict, path: tuple, value) -> Verdict:
        """The verdict on one answer: ``value`` put at ``path`` in the profile built so far."""
        return self.check_many(put(copy.deepcopy(data), path, value), [path])[path]

    def check_many(self, data: dict, paths: list[tuple]) -> dict[tuple, Verdict]:
        """The verdicts on the answers at ``paths``, all already in ``data``: one validation and
        one run of their steps' rules for all of them."""
        verdicts = {path: Verdict() for path in paths}
        try:
            profile = Profile.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                for path in paths:
                    if loc[:len(path)] == path:
                        verdicts[path].errors.append(_describe(err, {}, self.base_dir / "profile.yaml"))
                        break
            return verdicts
        steps = sorted({STEP_OF[path[0]] for path in paths if path[0] in STEP_OF})
        if not steps:
            return verdicts
        loaded = LoadedProfile(profile, self.base_dir / "profile.yaml", {}, [])
        report = verify(loaded, self.ruleset, today=self.today, images=self.images,
                        select=[code for step in steps for code in self.rules_of_step[step]])
        at = {dotted(path): path for path in paths}
        for finding in report.findings:
            if finding.path in at:
                self._add(verdicts[at[finding.path]], finding)
        return verdicts

    def _add(self, verdict: Verdict, finding) -> None:
        text = (finding.message["zh"], finding.message["en"])
        if finding.severity is Severity.ERROR:
            if finding.code in CONVERTIBLE and finding.file and self._decodes(finding.file):
                text = (text[0] + WILL_CONVERT[0], text[1] + WILL_CONVERT[1])
            else:
                verdict.unusable |= finding.code in UNUSABLE_FILE
            if text not in verdict.errors:
                verdict.errors.append(text)
        elif finding.severity is Severity.WARNING and text not in verdict.warnings:
            verdict.warnings.append(text)
