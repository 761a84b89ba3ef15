"""Promotional text through the advertising content check (``adcheck``, ADR 0049).

Every service that stores or shows promotional text (articles, case contests, tracked
links' campaigns, coupon names, flash sales, share cards) calls ``promotion_require``
before it writes: a text that breaks a rule is refused with every hit named (the words,
the rule, the law), and nothing is written. Explanations follow the active language.
"""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from yachi.core.errors import InvalidInput
from yachi.growth import adcheck


class ContentRefused(InvalidInput):
    code = "content_refused"


def _language() -> str:
    return "en" if (get_language() or "zh").startswith("en") else "zh"


def promotion_hits(fields: dict[str, str]) -> list[dict]:
    """The hits of ``fields`` (label → text) as plain data: what a page lists and a
    model keeps (``check_hits``)."""
    verdict = adcheck.check_all(fields, language=_language())
    return [
        {
            "field": str(hit.field),
            "rule": hit.rule,
            "words": list(hit.words),
            "law": hit.law,
            "explanation": hit.explanation,
        }
        for hit in verdict.hits
    ]


def hit_sentence(hit: dict) -> str:
    return _("%(field)s: “%(words)s” — %(explanation)s (%(law)s)") % {
        "field": hit["field"],
        "words": "”, “".join(hit["words"]),
        "explanation": hit["explanation"],
        "law": hit["law"],
    }


def promotion_require(fields: dict[str, str]) -> None:
    """Refuse (422 ``content_refused``, every hit in ``details["hits"]``) unless every text
    of ``fields`` passes the check."""
    hits = promotion_hits(fields)
    if hits:
        reasons = "; ".join(hit_sentence(hit) for hit in hits)
        raise ContentRefused(
            _("This text breaks the advertising rules. Edit it first: %(reasons)s")
            % {"reasons": reasons},
            hits=hits,
        )
