"""The current chart, derived from the chart's entries; DMFT and dmft.

Entries are never changed: the chart of any day is what its entries up to that day say.
Entries are applied in the order they were seen; a later finding on a surface replaces
an earlier one there, and a whole-tooth finding clears the tooth's surfaces.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from yachi.clinical.odontogram.teeth import ALL_TEETH, PERMANENT, PRIMARY, SURFACES

# Findings on surfaces, and findings on the whole tooth.
SURFACE_KINDS = ("caries", "filling", "sealant")
TOOTH_KINDS = (
    "crown",
    "root_canal",
    "missing",
    "implant",
    "bridge",
    "fracture",
    "mobility",
    "sound",
    "erupted",
    "exfoliated",
)
KINDS = SURFACE_KINDS + TOOTH_KINDS
# What a tooth is, at most one at a time; conditions (root canal, fracture, mobility)
# are kept beside it.
STATES = ("crown", "missing", "implant", "bridge", "exfoliated")
CONDITIONS = ("root_canal", "fracture", "mobility")


@dataclass(frozen=True)
class Entry:
    """One finding as recorded: ``surfaces`` only for caries, filling and sealant (and an
    optional part of ``sound``)."""

    id: str
    tooth: str
    kind: str
    surfaces: str
    seen_on: date
    order: int  # the entry's place among those of the same day (recording order)
    withdrawn: bool = False


@dataclass
class Tooth:
    tooth: str
    surfaces: dict[str, str] = field(default_factory=dict)  # "O" → "caries"
    state: str = ""  # one of STATES, or "" for a natural tooth
    conditions: set[str] = field(default_factory=set)
    erupted: bool = False  # an eruption was recorded
    history: list[Entry] = field(default_factory=list)  # every entry of the tooth, oldest first

    @property
    def decayed(self) -> bool:
        return "caries" in self.surfaces.values() and self.state not in ("missing", "implant")

    @property
    def filled(self) -> bool:
        return self.state == "crown" or "filling" in self.surfaces.values()

    @property
    def missing(self) -> bool:
        """Lost (extracted, replaced by an implant or a bridge's pontic); a shed primary
        tooth is not missing."""
        return self.state in ("missing", "implant", "bridge")

    @property
    def gone(self) -> bool:
        return self.state in ("missing", "implant", "bridge", "exfoliated")


def _apply(tooth: Tooth, entry: Entry) -> None:
    kind = entry.kind
    if kind in SURFACE_KINDS:
        if tooth.state in ("missing", "exfoliated", "implant", "bridge"):
            return  # nothing left to find a surface on; the entry stays in the history
        if tooth.state == "crown" and kind != "caries":
            return
        for surface in entry.surfaces or "":
            tooth.surfaces[surface] = kind
    elif kind in CONDITIONS:
        tooth.conditions.add(kind)
    elif kind == "sound":
        if entry.surfaces:
            for surface in entry.surfaces:
                tooth.surfaces.pop(surface, None)
        else:
            tooth.surfaces.clear()
            tooth.conditions.discard("fracture")
            tooth.conditions.discard("mobility")
    elif kind == "erupted":
        tooth.erupted = True
        if tooth.state == "exfoliated":
            tooth.state = ""
    else:
        tooth.state = kind
        tooth.surfaces.clear()
        if kind in ("missing", "exfoliated", "implant", "bridge"):
            tooth.conditions.clear()


def derive(entries: Iterable[Entry], *, until: date | None = None) -> dict[str, Tooth]:
    """The chart of every tooth with entries, as of ``until`` (default: everything)."""
    chart: dict[str, Tooth] = {}
    ordered = sorted(entries, key=lambda e: (e.seen_on, e.order))
    for entry in ordered:
        if until is not None and entry.seen_on > until:
            break
        tooth = chart.setdefault(entry.tooth, Tooth(tooth=entry.tooth))
        tooth.history.append(entry)
        if not entry.withdrawn:
            _apply(tooth, entry)
    return chart


@dataclass(frozen=True)
class Dmft:
    decayed: int
    missing: int
    filled: int

    @property
    def total(self) -> int:
        return self.decayed + self.missing + self.filled


def _count(chart: dict[str, Tooth], teeth: tuple[str, ...]) -> Dmft:
    decayed = missing = filled = 0
    for code in teeth:
        tooth = chart.get(code)
        if tooth is None:
            continue
        # Each tooth counts once: decayed before missing before filled.
        if tooth.decayed:
            decayed += 1
        elif tooth.missing:
            missing += 1
        elif tooth.filled:
            filled += 1
    return Dmft(decayed=decayed, missing=missing, filled=filled)


def dmft_permanent(chart: dict[str, Tooth]) -> Dmft:
    """DMFT: decayed, missing and filled permanent teeth."""
    return _count(chart, PERMANENT)


def dmft_primary(chart: dict[str, Tooth]) -> Dmft:
    """dmft: the same for primary teeth."""
    return _count(chart, PRIMARY)


def present_teeth(chart: dict[str, Tooth], expected: set[str]) -> set[str]:
    """The teeth to draw: those expected at the patient's age, plus any recorded as
    erupted or with findings, less primary teeth recorded as shed (their successor
    shows instead)."""
    shown = set(expected)
    for code, tooth in chart.items():
        if tooth.state == "exfoliated":
            shown.discard(code)
        elif tooth.erupted or any(not e.withdrawn for e in tooth.history):
            shown.add(code)
            if code in PERMANENT and code[1] in "12345":
                # A permanent tooth seen: its primary predecessor is gone.
                shown.discard(f"{int(code[0]) + 4}{code[1]}")
    return {t for t in shown if t in ALL_TEETH}


__all__ = [
    "KINDS",
    "SURFACES",
    "Dmft",
    "Entry",
    "Tooth",
    "derive",
    "dmft_permanent",
    "dmft_primary",
]
