"""The advertising content check: pure Python, no Django.

A text is normalised before it is searched (NFKC, so full-width letters and digits match
their ASCII forms; lower case; spaces, punctuation and zero-width characters between
letters dropped, so that "治 愈 率" or "根·治" is still found), and every hit is mapped back
to the words the author wrote. A rule's exception ("第一磨牙" for "第一") covers only the
occurrence inside it, never the rest of the text.
"""

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_HERE = Path(__file__).parent

# Markdown and HTML pictures: the check cannot see who a picture shows, so promotional
# text carries none (see ADR 0049).
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<\s*img\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    code: str
    law: dict[str, str]
    explanation: dict[str, str]
    words: tuple[str, ...]
    exceptions: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    """One rule broken: the words of the text that break it, the law, and why."""

    rule: str
    words: tuple[str, ...]
    law: str
    explanation: str
    field: str = ""


@dataclass(frozen=True)
class Verdict:
    hits: tuple[Hit, ...]

    @property
    def ok(self) -> bool:
        return not self.hits

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(hit.rule for hit in self.hits)


def _skipped(char: str) -> bool:
    category = unicodedata.category(char)
    # Spaces, punctuation (but "%" and "#", which the lists use), format characters.
    return char.isspace() or category in {"Cf", "Zs"} or (category[0] == "P" and char not in "#%")


def normalise(text: str) -> tuple[str, list[int]]:
    """The searchable form of ``text`` and, per character of it, its index in ``text``."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded in unicodedata.normalize("NFKC", char).lower():
            if _skipped(folded):
                continue
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin


def _key(word: str) -> str:
    return normalise(word)[0]


def _read_words(code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    words: list[str] = []
    exceptions: list[str] = []
    for line in (_HERE / "words" / f"{code}.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("# "):
            continue
        (exceptions if line.startswith("!") else words).append(line.lstrip("!"))
    return tuple(words), tuple(exceptions)


@cache
def rules() -> tuple[Rule, ...]:
    data = tomllib.loads((_HERE / "rules.toml").read_text(encoding="utf-8"))
    loaded = []
    for entry in data["rule"]:
        words, exceptions = _read_words(entry["code"])
        loaded.append(
            Rule(
                code=entry["code"],
                law={"zh": entry["law_zh"], "en": entry["law_en"]},
                explanation={"zh": entry["explanation_zh"], "en": entry["explanation_en"]},
                words=words,
                exceptions=exceptions,
            )
        )
    return tuple(loaded)


def _spans(haystack: str, needle: str) -> list[tuple[int, int]]:
    found, start = [], haystack.find(needle)
    while needle and start >= 0:
        found.append((start, start + len(needle)))
        start = haystack.find(needle, start + 1)
    return found


def _is_ascii_word(word: str) -> bool:
    return word.isascii() and word[:1].isalnum()


def _rule_words(rule: Rule, text: str, flat: str, origin: list[int]) -> list[str]:
    excused = [span for phrase in rule.exceptions for span in _spans(flat, _key(phrase))]
    spans: list[tuple[int, int]] = []
    for word in rule.words:
        for start, end in _spans(flat, _key(word)):
            if any(s <= start and end <= e for s, e in excused):
                continue
            if _is_ascii_word(word) and not _whole_ascii_word(text, origin[start], origin[end - 1]):
                continue
            spans.append((start, end))
    # A word inside a longer one found at the same place ("治愈" in "治愈率") is one hit.
    kept = [
        (s, e) for s, e in spans if not any(o != (s, e) and o[0] <= s and e <= o[1] for o in spans)
    ]
    found: dict[str, None] = {}
    for start, end in sorted(kept):
        found.setdefault(text[origin[start] : origin[end - 1] + 1], None)
    return list(found)


def _whole_ascii_word(text: str, first: int, last: int) -> bool:
    """English words count whole ("best", not "asbestos")."""
    before = text[first - 1] if first > 0 else " "
    after = text[last + 1] if last + 1 < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def check(text: str, *, field: str = "", language: str = "zh") -> Verdict:
    """Every rule ``text`` breaks, each with the words that break it, in ``language``
    ("zh" or "en")."""
    language = "en" if language.startswith("en") else "zh"
    flat, origin = normalise(text or "")
    hits = []
    for rule in rules():
        words = _rule_words(rule, text or "", flat, origin)
        if rule.code == "patient_image":
            words += [match.group(0)[:60] for match in _IMAGE.finditer(text or "")]
        if words:
            hits.append(
                Hit(
                    rule=rule.code,
                    words=tuple(words),
                    law=rule.law[language],
                    explanation=rule.explanation[language],
                    field=field,
                )
            )
    return Verdict(tuple(hits))


def check_all(fields: dict[str, str], *, language: str = "zh") -> Verdict:
    """The hits of several texts of one piece (a title, a summary, a body), each named."""
    hits: list[Hit] = []
    for name, text in fields.items():
        hits.extend(check(text, field=name, language=language).hits)
    return Verdict(tuple(hits))
