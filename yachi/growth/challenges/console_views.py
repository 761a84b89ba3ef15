"""The console's check-in challenges: a clinic's challenges, a new one, a challenge's
participants (names masked) with their runs, running and stopping it."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError
from yachi.core.forms import Form
from yachi.core.pages import staff_required
from yachi.growth.challenges import access, selectors, services
from yachi.growth.challenges.choices import ChallengeStatus
from yachi.growth.groupbuys.access import staff_clinic
from yachi.growth.groupbuys.selectors import masked_name
from yachi.growth.models import CouponTemplate


class ChallengeForm(Form):
    title = forms.CharField(label=gettext_lazy("challenge name"), max_length=64)
    description = forms.CharField(
        label=gettext_lazy("description"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    days_required = forms.IntegerField(
        label=gettext_lazy("days in a row"), min_value=2, max_value=100, initial=7
    )
    reward = forms.ChoiceField(label=gettext_lazy("reward coupon"))
    starts_on = forms.DateField(
        label=gettext_lazy("first day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=gettext_lazy("last day"), widget=forms.DateInput(attrs={"type": "date"})
    )


def _form(data=None) -> ChallengeForm:
    form = ChallengeForm(data)
    templates = {
        str(t.public_id): t
        for t in CouponTemplate.objects.filter(active=True, system_key__isnull=True).order_by(
            "name"
        )
    }
    form.fields["reward"].choices = [(key, t.name) for key, t in templates.items()]
    form.templates = templates
    return form


@staff_required
def challenges_page(request, clinic_id):
    clinic = staff_clinic(actor=request.user, clinic_id=clinic_id)
    clinics.require(request.user, clinic, clinics.Duty.SEE)
    may_manage = clinics.may_manage(request.user, clinic)
    form = _form(request.POST or None)
    if request.method == "POST":
        if not may_manage:
            messages.error(request, _("Only clinic managers create challenges."))
            return redirect("console:challenges", clinic_id=clinic.public_id)
        if form.is_valid():
            data = form.cleaned_data
            try:
                challenge = services.challenge_create(
                    actor=request.user,
                    clinic=clinic,
                    title=data["title"],
                    description=data["description"],
                    days_required=data["days_required"],
                    reward_template=form.templates.get(data["reward"]),
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Challenge created."))
                return redirect(
                    "console:challenge",
                    clinic_id=clinic.public_id,
                    challenge_id=challenge.public_id,
                )
    context = {
        "clinic": clinic,
        "challenges": selectors.challenges_of_clinic(clinic=clinic),
        "form": form,
        "may_manage": may_manage,
        "section": "challenges",
    }
    return render(request, "growth/challenges/console/challenges.html", context)


@staff_required
def challenge_page(request, clinic_id, challenge_id):
    clinic = staff_clinic(actor=request.user, clinic_id=clinic_id)
    clinics.require(request.user, clinic, clinics.Duty.SEE)
    challenge = access.staff_challenge_by_id(clinic=clinic, challenge_id=challenge_id)
    today = services.clinic_today(challenge)
    participants = [
        (
            masked_name(entry.user),
            entry,
            rewarded,
            entry.last_day is not None and (today - entry.last_day).days <= 1,
        )
        for entry, rewarded in selectors.participants_of(challenge)
    ]
    context = {
        "clinic": clinic,
        "challenge": challenge,
        "participants": participants,
        "may_manage": clinics.may_manage(request.user, clinic),
        "section": "challenges",
    }
    return render(request, "growth/challenges/console/challenge.html", context)


@require_POST
@staff_required
def challenge_status(request, clinic_id, challenge_id):
    clinic = staff_clinic(actor=request.user, clinic_id=clinic_id)
    challenge = access.staff_challenge_by_id(clinic=clinic, challenge_id=challenge_id)
    clinics.require(request.user, clinic, clinics.Duty.MANAGE)
    status = request.POST.get("status", "")
    try:
        services.challenge_set_status(actor=request.user, challenge=challenge, status=status)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("The challenge is running.")
            if status == ChallengeStatus.RUNNING
            else _("The challenge is stopped: no more check-ins."),
        )
    return redirect(
        "console:challenge", clinic_id=clinic.public_id, challenge_id=challenge.public_id
    )
