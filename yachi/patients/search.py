"""Finding a patient at the front desk without a plaintext copy of who they are.

Names and mobile numbers are encrypted (ADR 0007, 0018). Beside the blind index of the
whole name and of the whole number, each person has *search tokens*: HMAC-SM3 under
the index key of one piece of their name or number (ADR 0022):

- every character and every pair of adjacent characters of the name (张小宝: 张, 小, 宝,
  张小, 小宝), so that any part of a Chinese name is found;
- every prefix of the name's initials and of its spelling (z, zx, zxb; z, zh, … zhangxiaobao),
  from pinyin for Chinese characters, with every reading of the first character, which
  is the surname (单 is read shan as a surname: s and d both find 单雄信);
- the last four digits of the person's own mobile number.

A search computes the tokens of what was typed and asks the database for the people
who hold them; a part longer than two characters is narrowed by its pairs in SQL and
checked against the decrypted names in Python. Chart numbers (病历号) are the patient's
row number, printed with six digits: they are not personal data.
"""

import itertools
import re

from pypinyin import Style, lazy_pinyin, pinyin

from yachi.accounts.facade import normalize_name
from yachi.compliance.facade import blind_index, register_blind_index

NAME_PARTS_PURPOSE = "person_name_token"
LAST4_PURPOSE = "phone_last4"
register_blind_index(purpose=NAME_PARTS_PURPOSE, normalize=None, owner="patients.search")
register_blind_index(purpose=LAST4_PURPOSE, normalize=None, owner="patients.search")

# The kinds of name token, told apart inside the HMAC so that equal texts of two kinds
# ("li" as a spelling, "li" as two letters of a latin name) never match each other.
PART, INITIALS, SPELLING = "c", "i", "p"

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LETTERS = re.compile(r"[a-z]+")
_SPELLING_MAX = 40


def compact(name: str) -> str:
    """The normalized name without spaces and middle dots: what parts are taken of."""
    return re.sub(r"[\s·]", "", normalize_name(name or ""))


def _units(name: str) -> list[list[str]]:
    """The readings of each character (Chinese) or word (latin letters) of a name."""
    units = []
    for unit in lazy_pinyin(normalize_name(name), style=Style.NORMAL, errors=lambda text: [text]):
        if _CJK.fullmatch(unit or ""):
            continue  # a character pypinyin has no reading for
        for word in _LETTERS.findall(unit.replace("ü", "v")):
            units.append([word])
    first = compact(name)[:1]
    if units and first and _CJK.fullmatch(first):
        readings = [
            r.replace("ü", "v") for r in pinyin(first, style=Style.NORMAL, heteronym=True)[0]
        ]
        units[0] = list(dict.fromkeys(units[0] + readings))
    return units


def name_tokens(name: str) -> set[str]:
    """The texts whose indexes a name is found by (kind-prefixed, not yet indexed)."""
    text = compact(name)
    tokens = {f"{PART}:{char}" for char in text}
    tokens |= {f"{PART}:{text[i : i + 2]}" for i in range(len(text) - 1)}
    for readings in itertools.product(*_units(name)):
        spelling = "".join(readings)[:_SPELLING_MAX]
        initials = "".join(reading[0] for reading in readings)
        tokens |= {f"{SPELLING}:{spelling[:n]}" for n in range(1, len(spelling) + 1)}
        tokens |= {f"{INITIALS}:{initials[:n]}" for n in range(1, len(initials) + 1)}
    return tokens


def digests_of(*, name: str, phone: str) -> set[str]:
    """Every stored token of a person: their name's and their number's last four digits."""
    digests = {blind_index(NAME_PARTS_PURPOSE, token) for token in name_tokens(name)}
    if phone and len(phone) >= 4:
        digests.add(blind_index(LAST4_PURPOSE, phone[-4:]))
    return digests


def query_digests(term: str) -> list[tuple[set[str], str]]:
    """What a typed name may match: alternatives, each the digests a person must all
    hold and the compact text their decrypted name must contain ("" when the digests
    are exact and no check is needed)."""
    text = compact(term)
    if not text:
        return []
    alternatives = [_part(text)]
    if re.fullmatch(r"[a-z]+", text):
        spelled = text[:_SPELLING_MAX]
        alternatives += [
            ({blind_index(NAME_PARTS_PURPOSE, f"{INITIALS}:{spelled}")}, ""),
            ({blind_index(NAME_PARTS_PURPOSE, f"{SPELLING}:{spelled}")}, ""),
        ]
    return alternatives


def _part(text: str) -> tuple[set[str], str]:
    """A part of a name: its own token up to two characters, its pairs beyond."""
    if len(text) <= 2:
        return {blind_index(NAME_PARTS_PURPOSE, f"{PART}:{text}")}, ""
    return _pairs(text), text


def _pairs(text: str) -> set[str]:
    return {
        blind_index(NAME_PARTS_PURPOSE, f"{PART}:{text[i : i + 2]}") for i in range(len(text) - 1)
    }


def last4_digest(digits: str) -> str:
    return blind_index(LAST4_PURPOSE, digits)


CHART_NUMBER_DIGITS = 6


def chart_number(pk: int) -> str:
    return f"{pk:0{CHART_NUMBER_DIGITS}d}"
