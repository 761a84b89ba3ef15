"""The fraud review queue in the console (风控审核): held rewards with their score and
reasons; managers approve (paid once) or reject (with a reason). Audited."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.core.errors import DomainError
from yachi.core.pages import staff_required
from yachi.growth.access import require_manager
from yachi.growth.fraud import describe, selectors, services


def _masked(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone or "") >= 7 else (phone or "")


def _person(user) -> str:
    if user is None:
        return ""
    return f"{user.name} {_masked(user.phone)}".strip() if user.name else _masked(user.phone)


def _row(review) -> dict:
    kind, what = services.reward_words(review.kind, review.key, review.description)
    return {
        "review": review,
        "kind": kind,
        "what": what,
        "beneficiary": _person(review.beneficiary),
        "subject": _person(review.subject) if review.subject_id != review.beneficiary_id else "",
        "reasons": describe.reasons_text(review.reasons),
    }


@staff_required
def reviews_page(request):
    require_manager(request.user)
    decided = request.GET.get("tab") == "decided"
    return render(
        request,
        "growth/console/fraud_reviews.html",
        {
            "rows": [_row(r) for r in selectors.reviews(decided=decided)],
            "decided": decided,
            "held_count": selectors.held_count(),
            "section": "fraud",
        },
    )


@staff_required
@require_POST
def review_decide(request, risk_review_id):
    require_manager(request.user)
    approve = request.POST.get("decision") == "approve"
    try:
        review = services.review_decide(
            actor=request.user,
            review_id=risk_review_id,
            approve=approve,
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        review = selectors.review_by_id(risk_review_id)
        if request.htmx and review is not None:
            return render(
                request,
                "growth/console/partials/fraud_review_row.html",
                # htmx swaps only a 2xx answer: the row shows the refusal in place.
                {"row": _row(review), "error": exc.message},
            )
        messages.error(request, str(exc.message))
        return redirect("console:fraud_reviews")
    done = _("Approved: the reward is paid.") if approve else _("Rejected: the reward is not paid.")
    if request.htmx:
        return render(
            request,
            "growth/console/partials/fraud_review_row.html",
            {"row": _row(review), "done": done},
        )
    messages.success(request, done)
    return redirect("console:fraud_reviews")
