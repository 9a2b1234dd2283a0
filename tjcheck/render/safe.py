"""Text from a profile is data: never markup, never terminal control. The one place for it.

A name, an address, a file name or a message quoting them may hold anything: rich markup
(``[/]`` raises MarkupError, ``[red]`` silently vanishes), ANSI escape sequences that clear an
HR clerk's screen or retitle the window, a carriage return that overwrites a line, C1
controls (U+009B is an 8-bit CSI to some terminals), bidi overrides that display a text in
another order than it is stored ("Trojan Source"). Every renderer — the checklist, the batch
table, the reports, fix, merge, init, error messages — passes such text through here:

- :func:`visible` turns each control character into a visible, harmless stand-in and keeps
  everything else as it is: C0 controls (but newline and tab) and DEL become their Unicode
  control pictures (ESC → ␛, BEL → ␇, CR → ␍); C1 controls, bidi embeddings/overrides/
  isolates and lone surrogates (a file name that is not UTF-8) become ``<U+XXXX>``.
- :func:`text` gives a rich ``Text`` (never parsed as markup); :func:`markup` an escaped
  string for where markup must be built; :func:`one_line` a single line for a table cell.
- :func:`json_text` escapes, inside a JSON document, the characters a terminal would obey
  that ``json.dumps(ensure_ascii=False)`` leaves raw: the data read back is unchanged.
"""
from __future__ import annotations

import re

# C0 but \t and \n, DEL, C1, the bidi embeddings/overrides (U+202A–U+202E) and isolates
# (U+2066–U+2069), lone surrogates
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# what json.dumps(ensure_ascii=False) leaves raw (it escapes C0 itself); a lone surrogate
# would not even encode as UTF-8
_JSON_RAW = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"\s*[\n\t]\s*")


def _stand_in(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)          # ␀ … ␟, the Unicode control pictures
    if code == 0x7F:
        return "\u2421"                    # ␡
    return f"<U+{code:04X}>"


def visible(value: object) -> str:
    """``value`` as a string in which every control character is a visible stand-in."""
    return _CONTROL.sub(_stand_in, value if isinstance(value, str) else str(value))


def one_line(value: object) -> str:
    """:func:`visible`, with line breaks and tabs (and the spaces around them) as one space."""
    return visible(_LINE_BREAKS.sub(" ", value if isinstance(value, str) else str(value)).strip())


def markup(value: object) -> str:
    """:func:`visible`, escaped for rich markup: shown exactly as written."""
    from rich.markup import escape

    return escape(visible(value))


def text(value: object, style: str = ""):
    """A rich ``Text`` of :func:`visible` ``value`` (a Text is never parsed as markup)."""
    from rich.text import Text

    return Text(visible(value), style=style)


def json_text(document: str) -> str:
    """A JSON document with DEL, C1, bidi controls and lone surrogates as ``\\uXXXX`` escapes.
    These only occur inside JSON strings, where the escape reads back as the same character."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
