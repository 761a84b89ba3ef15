"""Children's dental milestones (pure): which are due for a child of a given age.

Ages follow the Chinese Stomatological Association's advice for children: a first
visit by the first birthday, sealing the first permanent molars soon after they
erupt (about 6–7), check-ups while primary teeth are replaced (6–12), an early
orthodontic assessment at about 7–8, and sealing the second molars (11–13).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Milestone:
    code: str
    text: str
    from_months: int
    until_months: int  # exclusive: a child past it is not reminded any more
    service: str  # the service code the reminder offers to book


MILESTONES = (
    Milestone("first_visit", _("time for the first dental visit"), 12, 36, "cleaning"),
    Milestone(
        "first_molar_sealant",
        _("the first permanent molars can be sealed against decay (pit-and-fissure sealant)"),
        72,
        96,
        "fluoride_varnish",
    ),
    Milestone(
        "exfoliation_checkup",
        _("primary teeth are being replaced: a check-up keeps the new teeth on track"),
        72,
        144,
        "cleaning",
    ),
    Milestone(
        "early_orthodontic_assessment",
        _("a good age for an early orthodontic assessment"),
        84,
        108,
        "orthodontic_consultation",
    ),
    Milestone(
        "second_molar_sealant",
        _("the second permanent molars can be sealed against decay"),
        132,
        156,
        "fluoride_varnish",
    ),
)

CHILD_UNTIL_MONTHS = 13 * 12


def age_in_months(birth: date, today: date) -> int:
    months = (today.year - birth.year) * 12 + today.month - birth.month
    return months - (1 if today.day < birth.day else 0)


def due_milestones(*, birth: date, today: date) -> list[Milestone]:
    months = age_in_months(birth, today)
    if months < 0 or months >= CHILD_UNTIL_MONTHS:
        return []
    return [m for m in MILESTONES if m.from_months <= months < m.until_months]


# Contexts that know more of a child's teeth than their age (the tooth chart's eruption
# and exfoliation entries) add milestones by registration: a source is given the
# children's dates of birth by patient row and answers the milestones due for some.
MilestoneSource = Callable[[dict[int, date], date], dict[int, list[Milestone]]]
_sources: list[MilestoneSource] = []


def register_milestone_source(source: MilestoneSource) -> None:
    if source not in _sources:
        _sources.append(source)


def milestones_from_sources(*, births: dict[int, date], today: date) -> dict[int, list[Milestone]]:
    found: dict[int, list[Milestone]] = {}
    children = {
        pk: birth
        for pk, birth in births.items()
        if 0 <= age_in_months(birth, today) < CHILD_UNTIL_MONTHS
    }
    if not children:
        return found
    for source in _sources:
        for pk, milestones in source(children, today).items():
            found.setdefault(pk, []).extend(milestones)
    return found
