"""The repurchase playbook (私域复购 SOP) in the console: its rules with their effect
against the holdout, a rule's settings (managers), and the follow-up calls (回访) with
their script and outcome form (the clinic's staff)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import DomainError
from yachi.core.forms import Form
from yachi.core.pages import staff_required
from yachi.crm.access import of_clinic, staff_clinic
from yachi.crm.playbook import selectors, services
from yachi.crm.playbook.choices import Action, CallOutcome, TaskStatus, Trigger
from yachi.crm.playbook.models import MAX_HOLDOUT_PERCENT, FollowUpTask, Rule
from yachi.crm.segments.services import masked_phone
from yachi.patients import facade as patients


def _percent(rate):
    return None if rate is None else round(rate * 100, 1)


@staff_required
def playbook_page(request, clinic_id):
    clinic = staff_clinic(actor=request.user, clinic_id=clinic_id, duty=clinics.Duty.MANAGE)
    rules = services.clinic_rules(clinic=clinic)
    effects = selectors.rule_effects(rules)
    runs = selectors.last_runs(rules)
    totals = selectors.rule_totals(rules)
    rows = []
    for rule in rules:
        effect = effects[rule.pk]
        rows.append(
            {
                "rule": rule,
                "effect": effect,
                "reached_rate": _percent(effect.reached_rate),
                "holdout_rate": _percent(effect.holdout_rate),
                "difference": _percent(effect.difference),
                "low": _percent(effect.low),
                "high": _percent(effect.high),
                "last_run": runs.get(rule.pk),
                "totals": totals[rule.pk],
            }
        )
    return render(
        request,
        "crm/console/playbook.html",
        {"clinic": clinic, "rows": rows, "section": "crm_playbook"},
    )


class RuleForm(Form):
    name = forms.CharField(label=gettext_lazy("rule name"), max_length=64)
    active = forms.BooleanField(label=gettext_lazy("on"), required=False)
    days_after = forms.IntegerField(label=gettext_lazy("days after"), min_value=0, max_value=3650)
    repeat_days = forms.IntegerField(
        label=gettext_lazy("again every (days, 0: once)"), min_value=0, max_value=3650
    )
    text = forms.CharField(
        label=gettext_lazy("message"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    points = forms.IntegerField(label=gettext_lazy("points"), min_value=0, max_value=100_000)
    script = forms.CharField(
        label=gettext_lazy("call script"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    holdout_percent = forms.IntegerField(
        label=gettext_lazy("holdout (%)"), min_value=0, max_value=MAX_HOLDOUT_PERCENT
    )


def _rule_form(rule, data=None):
    form = RuleForm(data, initial={k: getattr(rule, k) for k in services.EDITABLE})
    if rule.trigger == Trigger.BIRTHDAY:
        for name in ("days_after", "repeat_days"):
            form.fields[name].required = False
            form.fields[name].disabled = True
    if rule.action != Action.POINTS:
        form.fields["points"].disabled = True
    if rule.action != Action.FOLLOW_UP:
        form.fields["script"].disabled = True
    else:
        form.fields["text"].disabled = True
    return form


@staff_required
def rule_page(request, clinic_id, rule_id):
    clinic = staff_clinic(actor=request.user, clinic_id=clinic_id, duty=clinics.Duty.MANAGE)
    rule = of_clinic(Rule, clinic=clinic, object_id=rule_id)
    form = _rule_form(rule, request.POST or None)
    if request.method == "POST" and form.is_valid():
        changes = {
            name: value
            for name, value in form.cleaned_data.items()
            if not form.fields[name].disabled and value is not None
        }
        try:
            services.rule_save(actor=request.user, rule=rule, changes=changes)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Rule saved."))
            return redirect("console:crm_playbook", clinic_id=clinic.public_id)
    offered = clinics.names_of(
        clinic_ids=[clinic.pk], doctor_ids=[], service_clinic_ids=[clinic.pk]
    )
    return render(
        request,
        "crm/console/rule.html",
        {
            "clinic": clinic,
            "rule": rule,
            "form": form,
            # The treatments by the names the clinic gives them, not their codes.
            "treatments": [offered["services"].get(code, code) for code in rule.service_codes],
            "section": "crm_playbook",
        },
    )


@staff_required
def follow_ups_page(request, clinic_id):
    clinic = staff_clinic(actor=request.user, clinic_id=clinic_id, duty=clinics.Duty.SEE)
    done = request.GET.get("tab") == "done"
    tasks = selectors.clinic_tasks(
        clinic=clinic, status=TaskStatus.DONE if done else TaskStatus.OPEN
    )
    people = patients.people_facts(patient_ids={t.patient_id for t in tasks}, contact=True)
    return render(
        request,
        "crm/console/follow_ups.html",
        {
            "clinic": clinic,
            "rows": [
                (
                    task,
                    people.get(task.patient_id),
                    masked_phone(getattr(people.get(task.patient_id), "phone", "")),
                )
                for task in tasks
            ],
            "done": done,
            "section": "crm_follow_ups",
        },
    )


class OutcomeForm(Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("how the call went"),
        choices=CallOutcome.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("note"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@staff_required
def follow_up_page(request, clinic_id, task_id):
    clinic = staff_clinic(actor=request.user, clinic_id=clinic_id, duty=clinics.Duty.SEE)
    task = of_clinic(FollowUpTask, clinic=clinic, object_id=task_id, related=["rule"])
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_record(
                actor=request.user,
                task=task,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Call recorded."))
            return redirect("console:crm_follow_ups", clinic_id=clinic.public_id)
    person = patients.people_facts(patient_ids={task.patient_id}, contact=True).get(task.patient_id)
    if request.method == "GET" and person is not None:
        # The name and the whole number, to call: a staff read of personal data.
        audit_record(
            action=AuditAction.PATIENT_PAGE_READ,
            actor=request.user,
            object_type="patients.patient",
            object_id=person.public_id,
            clinic=clinic,
            details={"page": "crm.follow_up", "task": str(task.public_id)},
        )
    return render(
        request,
        "crm/console/follow_up.html",
        {
            "clinic": clinic,
            "task": task,
            "person": person,
            "form": form,
            "section": "crm_follow_ups",
        },
    )
