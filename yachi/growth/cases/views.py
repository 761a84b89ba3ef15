"""The patient's pages of case contests: a contest's page (its rules and prizes, never
an entry), entering with the separate consent, and the entrant's own entry with its
files and the button that withdraws the consent and deletes them."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.core.errors import DomainError
from yachi.core.pages import patient_required
from yachi.growth.cases import access, selectors, services


def tab_section(request) -> dict | None:
    """The 活动 tab's part: the case contests open now (never an entry)."""
    contests = list(selectors.contests_for_patients())
    return {"contests": contests} if contests else None


@patient_required
def contests_page(request):
    return render(
        request,
        "growth/cases/contests.html",
        {
            "contests": selectors.contests_for_patients(),
            "entries": selectors.entries_of(request.user),
            "tab": "home",
        },
    )


@patient_required
def contest_page(request, contest_id):
    contest = access.access_public_contest(contest_id=contest_id)
    mine = selectors.own_entry_in(request.user, contest)
    if request.method == "POST" and mine is None:
        try:
            entry = services.entry_submit(
                user=request.user,
                contest=contest,
                story=request.POST.get("story", ""),
                consent=request.POST.get("consent") == "yes",
                before=request.FILES.getlist("before"),
                after=request.FILES.getlist("after"),
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Your entry is in. Staff will review it."))
            return redirect("web:case_entry", entry_id=entry.public_id)
    return render(
        request,
        "growth/cases/contest.html",
        {
            "contest": contest,
            "mine": mine,
            "consent_text": services.consent_text(),
            "story": request.POST.get("story", ""),
            "tab": "home",
        },
    )


@patient_required
def entry_page(request, entry_id):
    entry = access.access_own_entry(user=request.user, entry_id=entry_id)
    return render(
        request,
        "growth/cases/entry.html",
        {"entry": entry, "files": list(entry.files.all()), "tab": "home"},
    )


@patient_required
@require_POST
def entry_withdraw(request, entry_id):
    entry = access.access_own_entry(user=request.user, entry_id=entry_id)
    try:
        services.entry_withdraw(user=request.user, entry=entry)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your consent is withdrawn and the files are deleted."))
    return redirect("web:case_entry", entry_id=entry.public_id)


def file_response(case_file) -> FileResponse:
    response = FileResponse(case_file.file.open("rb"), content_type=case_file.content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


@patient_required
def entry_file(request, file_id):
    return file_response(access.access_own_file(user=request.user, file_id=file_id))


patient_patterns = [
    path("cases/", contests_page, name="case_contests"),
    path("cases/<str:contest_id>/", contest_page, name="case_contest"),
    path("cases/entries/<str:entry_id>/", entry_page, name="case_entry"),
    path("cases/entries/<str:entry_id>/withdraw/", entry_withdraw, name="case_entry_withdraw"),
    path("cases/files/<str:file_id>/", entry_file, name="case_file"),
]
