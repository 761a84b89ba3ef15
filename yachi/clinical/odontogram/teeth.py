"""FDI tooth numbers (ISO 3950): quadrant then position.

Permanent teeth are 11–18, 21–28, 31–38, 41–48; primary teeth 51–55, 61–65, 71–75,
81–85. Surfaces are written with one letter each: M (mesial), O (occlusal, or incisal
for front teeth), D (distal), B (buccal, or facial/labial), L (lingual, or palatal).
"""

from dataclasses import dataclass

PERMANENT = tuple(f"{q}{p}" for q in (1, 2, 3, 4) for p in range(1, 9))
PRIMARY = tuple(f"{q}{p}" for q in (5, 6, 7, 8) for p in range(1, 6))
ALL_TEETH = PERMANENT + PRIMARY
SURFACES = ("M", "O", "D", "B", "L")

# Typical ages in months (Chinese and international eruption tables, rounded):
# primary teeth erupt and are shed; permanent teeth erupt.
PRIMARY_ERUPTS = {1: 9, 2: 11, 3: 19, 4: 15, 5: 27}
PRIMARY_SHED = {1: 78, 2: 90, 3: 126, 4: 120, 5: 132}
PERMANENT_ERUPTS = {1: 78, 2: 90, 3: 126, 4: 120, 5: 132, 6: 72, 7: 144, 8: 216}
# Lower teeth come a little earlier than upper ones; the tables above are the upper's.
LOWER_EARLIER = {1: 6, 2: 6, 3: 6, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0}


class NotATooth(ValueError):
    pass


def is_tooth(code: object) -> bool:
    return isinstance(code, str) and code in ALL_TEETH


def is_primary(code: str) -> bool:
    return code in PRIMARY


def quadrant(code: str) -> int:
    return int(code[0])


def position(code: str) -> int:
    return int(code[1])


def is_front(code: str) -> bool:
    """Incisors and canines: their biting surface is incisal (I) rather than occlusal."""
    return position(code) <= 3


def is_lower(code: str) -> bool:
    return quadrant(code) in (3, 4, 7, 8)


def successor(code: str) -> str | None:
    """The permanent tooth that replaces a primary one (55 → 15)."""
    if not is_primary(code):
        return None
    return f"{quadrant(code) - 4}{position(code)}"


def predecessor(code: str) -> str | None:
    """The primary tooth a permanent one replaces (15 → 55); molars 6–8 have none."""
    if code not in PERMANENT or position(code) > 5:
        return None
    return f"{quadrant(code) + 4}{position(code)}"


def neighbours(code: str) -> tuple[str, ...]:
    """The teeth beside this one in the same arch (11's neighbours are 12 and 21)."""
    q, p = quadrant(code), position(code)
    last = 5 if is_primary(code) else 8
    found = []
    if p > 1:
        found.append(f"{q}{p - 1}")
    else:
        # The midline: 11 touches 21, 51 touches 61, 31 touches 41.
        found.append(f"{ {1: 2, 2: 1, 3: 4, 4: 3, 5: 6, 6: 5, 7: 8, 8: 7}[q] }{1}")
    if p < last:
        found.append(f"{q}{p + 1}")
    return tuple(found)


def normalise_surfaces(text: str) -> str:
    """Surfaces as the chart stores them: known letters, each once, in chart order.

    "I" (incisal) is written O, "F" (facial) B and "P" (palatal) L, as one code each.
    """
    aliases = {"I": "O", "F": "B", "P": "L"}
    letters = set()
    for char in (text or "").upper():
        if char in (" ", ","):
            continue
        char = aliases.get(char, char)
        if char not in SURFACES:
            raise ValueError(f"unknown surface {char!r}")
        letters.add(char)
    return "".join(s for s in SURFACES if s in letters)


@dataclass(frozen=True)
class Slot:
    """One place of the chart's drawing: the arch's position and the tooth shown there."""

    quadrant: int  # the permanent quadrant 1–4 the slot belongs to
    position: int  # 1–8 from the midline
    tooth: str


def expected_teeth(age_months: int | None) -> set[str]:
    """The teeth a mouth of this age typically shows (mixed dentition in between).

    Unknown age: the permanent dentition, as for an adult.
    """
    if age_months is None or age_months >= PERMANENT_ERUPTS[7] + 12:
        return {t for t in PERMANENT if position(t) != 8 or (age_months or 240) >= 216}
    shown = set()
    for tooth in PRIMARY:
        p, early = position(tooth), LOWER_EARLIER[position(tooth)] if is_lower(tooth) else 0
        if PRIMARY_ERUPTS[p] - early <= age_months < PRIMARY_SHED[p] - early:
            shown.add(tooth)
    for tooth in PERMANENT:
        p, early = position(tooth), LOWER_EARLIER[position(tooth)] if is_lower(tooth) else 0
        if age_months >= PERMANENT_ERUPTS[p] - early:
            shown.add(tooth)
    return shown


def chart_slots(present: set[str]) -> list[Slot]:
    """The drawing's 32 places, upper right to upper left then lower left to lower right
    as a dentist faces the patient (18…11 21…28 above, 48…41 31…38 below); in each the permanent tooth, or the primary tooth
    when that one is present instead (a child's mouth)."""
    slots = []
    for q, order in (
        (1, range(8, 0, -1)),
        (2, range(1, 9)),
        (4, range(8, 0, -1)),
        (3, range(1, 9)),
    ):
        for p in order:
            permanent = f"{q}{p}"
            primary = f"{q + 4}{p}" if p <= 5 else None
            shows_primary = primary is not None and primary in present and permanent not in present
            tooth = primary if shows_primary else permanent
            slots.append(Slot(quadrant=q, position=p, tooth=tooth))
    return slots
