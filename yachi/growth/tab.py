"""The patient app's 活动 (activities) tab: a list of sections, each a sub-domain's.

A section is a template and a function of the request returning its context (or None to
show nothing). To add one, add one line to ``SECTIONS``: the tab renders them in order,
each template receiving its context as ``section``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from yachi.growth.articles import views as articles
from yachi.growth.cases import views as cases
from yachi.growth.challenges import views as challenges
from yachi.growth.groupbuys import views as groupbuys


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: Callable  # (request) -> dict | None


SECTIONS: list[Section] = [
    Section("group_buys", "growth/groupbuys/partials/tab_section.html", groupbuys.tab_section),
    Section("challenges", "growth/challenges/partials/tab_section.html", challenges.tab_section),
    Section("cases", "growth/cases/partials/tab_section.html", cases.tab_section),
    Section("articles", "growth/articles/partials/tab_section.html", articles.tab_section),
]


def sections_for(request) -> list[tuple[Section, dict]]:
    shown = []
    for section in SECTIONS:
        context = section.context(request)
        if context is not None:
            shown.append((section, context))
    return shown
