"""Case contests in the console: managers set the contest and its prizes (texts checked),
open and close it, review entries and pay the winners; doctors and managers see entries
(review, teaching). Every staff look at an entry is in the audit trail."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from yachi.core.errors import DomainError
from yachi.core.forms import Form
from yachi.core.money import fen_to_yuan, yuan_to_fen
from yachi.core.pages import staff_required
from yachi.growth.cases import access, selectors, services
from yachi.growth.cases.models import EntryStatus, PrizeKind, SplitRule
from yachi.growth.cases.views import file_response


class ContestForm(Form):
    title = forms.CharField(label=pgettext_lazy("promotion", "Title"), max_length=80)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    starts_on = forms.DateField(
        label=gettext_lazy("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Last day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    prize_pool = forms.DecimalField(
        label=gettext_lazy("Prize pool (yuan)"),
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
    )
    winners = forms.IntegerField(
        label=gettext_lazy("Number of winners"), min_value=1, max_value=100
    )
    split_rule = forms.ChoiceField(label=gettext_lazy("Split"), choices=SplitRule.choices)
    prize_kind = forms.ChoiceField(label=gettext_lazy("Paid as"), choices=PrizeKind.choices)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["prize_pool_fen"] = yuan_to_fen(data.pop("prize_pool"))
        return data


@staff_required
def contests_page(request):
    access.require_entry_staff(request.user)
    return render(
        request,
        "growth/console/cases/contests.html",
        {
            "contests": selectors.contests_for_console(),
            "may_manage": _may_manage(request.user),
            "section": "cases",
        },
    )


def _may_manage(user) -> bool:
    try:
        access.require_contest_manager(user)
    except DomainError:
        return False
    return True


@staff_required
def contest_edit(request, contest_id=None):
    access.require_contest_manager(request.user)
    contest = (
        access.access_contest_for_manager(actor=request.user, contest_id=contest_id)
        if contest_id
        else None
    )
    initial = {}
    if contest:
        initial = {
            f: getattr(contest, f)
            for f in (
                "title",
                "description",
                "starts_on",
                "ends_on",
                "winners",
                "split_rule",
                "prize_kind",
            )
        }
        initial["prize_pool"] = fen_to_yuan(contest.prize_pool_fen)
    form = ContestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.contest_save(actor=request.user, contest=contest, **form.values())
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The contest is saved."))
            return redirect("console:case_contest", contest_id=saved.public_id)
    return render(
        request,
        "growth/console/cases/contest_form.html",
        {"form": form, "contest": contest, "section": "cases"},
    )


@staff_required
def contest_page(request, contest_id):
    access.require_entry_staff(request.user)
    contest = access.access_public_contest_or_draft(contest_id=contest_id)
    status = request.GET.get("status")
    entries = selectors.entries_of_contest(contest, status=status)
    plan = services.prize_plan(contest) if contest.status in ("judging", "open") else []
    return render(
        request,
        "growth/console/cases/contest.html",
        {
            "contest": contest,
            "entries": [(e, sum(s.score for s in e.scores.all())) for e in entries],
            "statuses": EntryStatus.choices,
            "current": status,
            "plan": plan,
            "awards": list(contest.awards.select_related("entry")),
            "may_manage": _may_manage(request.user),
            "section": "cases",
        },
    )


@staff_required
@require_POST
def contest_move(request, contest_id):
    contest = access.access_contest_for_manager(actor=request.user, contest_id=contest_id)
    step = request.POST.get("step", "")
    try:
        if step == "award":
            awards = services.prizes_award(actor=request.user, contest=contest)
            messages.success(request, _("%(n)d winners are paid.") % {"n": len(awards)})
        else:
            services.contest_move(actor=request.user, contest=contest, step=step)
            messages.success(request, _("The contest is updated."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("console:case_contest", contest_id=contest.public_id)


@staff_required
def entry_page(request, entry_id):
    entry = access.access_entry_for_staff(actor=request.user, entry_id=entry_id)
    if request.method == "POST":
        try:
            if "score" in request.POST:
                try:
                    score = int(request.POST["score"])
                except ValueError:
                    score = -1
                services.entry_score(actor=request.user, entry=entry, score=score)
                messages.success(request, _("Your score is saved."))
            else:
                access.require_contest_manager(request.user)
                services.entry_review(
                    actor=request.user,
                    entry=entry,
                    accept=request.POST.get("decision") == "accept",
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("The review is saved."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("console:case_entry", entry_id=entry.public_id)
    scores = list(entry.scores.all())
    return render(
        request,
        "growth/console/cases/entry.html",
        {
            "entry": entry,
            "files": list(entry.files.all()),
            "scores": scores,
            "total": sum(s.score for s in scores),
            "my_score": next((s.score for s in scores if s.judge_id == request.user.pk), None),
            "may_manage": _may_manage(request.user),
            "section": "cases",
        },
    )


@staff_required
def entry_file(request, file_id):
    return file_response(access.access_file_for_staff(actor=request.user, file_id=file_id))


console_patterns = [
    path("cases/", contests_page, name="case_contests"),
    path("cases/new/", contest_edit, name="case_contest_new"),
    path("cases/entries/<str:entry_id>/", entry_page, name="case_entry"),
    path("cases/files/<str:file_id>/", entry_file, name="case_file"),
    path("cases/<str:contest_id>/", contest_page, name="case_contest"),
    path("cases/<str:contest_id>/edit/", contest_edit, name="case_contest_edit"),
    path("cases/<str:contest_id>/move/", contest_move, name="case_contest_move"),
]
