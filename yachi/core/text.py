"""Free text from outside: what may be stored and shown, and what is refused.

Control characters (Unicode category Cc: NUL, bell, escape, DEL, the C1 range) are
never typed by a person. They are refused in every free-text input rather than
stripped, so that what the client sent is what is stored: PostgreSQL cannot store NUL
at all, and the others corrupt logs, CSV exports and the screens that show the text.
Line breaks and tabs are text where a person writes several lines (a note, a reason),
and control characters in a name, a phone number or a code.
"""

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(value: str, *, multiline: bool) -> bool:
    """Whether ``value`` holds a character refused in text (line breaks allowed if
    ``multiline``)."""
    return bool((_CONTROL_BUT_LINES if multiline else _CONTROL).search(value))


def one_line(value: str) -> str:
    """``value`` itself, or ``ValueError`` for a line break or another control character."""
    if has_control_characters(value, multiline=False):
        raise ValueError("must be one line without control characters")
    return value


def several_lines(value: str) -> str:
    """``value`` itself, or ``ValueError`` for a control character other than a line
    break or a tab."""
    if has_control_characters(value, multiline=True):
        raise ValueError("must not contain control characters")
    return value
