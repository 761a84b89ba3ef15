"""The criteria CRM ships: last visit, treatments received, age, gender, clinic of the
last visit, spend, points and consent to offers. Each reads the scope's facts, which are
fetched once per evaluation however many criteria use them."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from yachi.clinics import facade as clinics
from yachi.core.money import yuan_to_fen
from yachi.crm.segments.registry import Criterion, CriterionForm, register_criterion

MAX_DAYS = 3650


def _days_field(label, required=True):
    return forms.IntegerField(label=label, min_value=1, max_value=MAX_DAYS, required=required)


class LastVisitForm(CriterionForm):
    when = forms.ChoiceField(
        label=_("last visit"),
        choices=[
            ("before", _("more than … days ago")),
            ("within", _("within the last … days")),
        ],
    )
    days = _days_field(_("days"))


def _last_visit(value, scope):
    cut = scope.days_ago(value["days"])
    last = scope.last_visits
    if value["when"] == "within":
        return {pk for pk, (day, _clinic) in last.items() if day >= cut}
    # Never visited (only booked) counts as "long ago".
    return {pk for pk in scope.patient_ids if pk not in last or last[pk][0] < cut}


class ServiceForm(CriterionForm):
    codes = forms.MultipleChoiceField(label=_("received any of"))
    days = _days_field(_("within the last … days (empty: ever)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.clinic is not None:
            names = {}
            for service in clinics.clinic_services(clinic=self.clinic):
                names.setdefault(service.code, service.display_name)
            self.fields["codes"].choices = sorted(names.items(), key=lambda item: item[1])


def _service(value, scope):
    codes = set(value["codes"])
    cut = scope.days_ago(value["days"]) if value.get("days") else None
    return {
        row.patient_id
        for row in scope.visits
        if row.service_code in codes
        and (cut is None or row.start.astimezone(scope.zone).date() >= cut)
    }


class AgeForm(CriterionForm):
    min_age = forms.IntegerField(label=_("from age"), min_value=0, max_value=120, required=False)
    max_age = forms.IntegerField(label=_("to age"), min_value=0, max_value=120, required=False)

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is None and high is None:
            raise forms.ValidationError(_("Give an age from, to, or both."))
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(_("The first age must not be above the second."))
        return data


def age_on(today, born) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _ages(value, scope):
    low, high = value.get("min_age"), value.get("max_age")
    matched = set()
    for pk, person in scope.people.items():
        if person.birth_date is None:
            continue  # an unknown age matches no age
        age = age_on(scope.today, person.birth_date)
        if (low is None or age >= low) and (high is None or age <= high):
            matched.add(pk)
    return matched


class GenderForm(CriterionForm):
    genders = forms.MultipleChoiceField(
        label=_("gender"),
        choices=[("female", _("Female")), ("male", _("Male")), ("unknown", _("Not stated"))],
    )


def _gender(value, scope):
    genders = set(value["genders"])
    return {pk for pk, person in scope.people.items() if person.gender in genders}


class ClinicForm(CriterionForm):
    clinics = forms.MultipleChoiceField(label=_("last visit at"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.clinic is not None:
            self.fields["clinics"].choices = [
                (str(c.public_id), c.display_name)
                for c in clinics.active_clinics()
                if c.chain_id == self.clinic.chain_id
            ]


def _clinic(value, scope):
    wanted = {str(c.public_id): c.pk for c in clinics.active_clinics()}
    pks = {wanted[key] for key in value["clinics"] if key in wanted}
    return {pk for pk, (_day, clinic_id) in scope.last_visits.items() if clinic_id in pks}


class SpendForm(CriterionForm):
    min_yuan = forms.DecimalField(
        label=_("spent at least (yuan)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        required=False,
    )
    max_yuan = forms.DecimalField(
        label=_("spent at most (yuan)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        required=False,
    )
    days = _days_field(_("within the last … days (empty: ever)"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("min_yuan") is None and data.get("max_yuan") is None:
            raise forms.ValidationError(_("Give an amount at least, at most, or both."))
        return data


def _spend(value, scope):
    low = yuan_to_fen(Decimal(value["min_yuan"])) if value.get("min_yuan") is not None else None
    high = yuan_to_fen(Decimal(value["max_yuan"])) if value.get("max_yuan") is not None else None
    spent = scope.spend(scope.days_ago(value["days"]) if value.get("days") else None)
    matched = set()
    for pk, person in scope.people.items():
        fen = spent.get(person.owner_id, 0)
        if (low is None or fen >= low) and (high is None or fen <= high):
            matched.add(pk)
    return matched


class PointsForm(CriterionForm):
    min_points = forms.IntegerField(
        label=_("points at least"), min_value=0, max_value=10**9, required=False
    )
    max_points = forms.IntegerField(
        label=_("points at most"), min_value=0, max_value=10**9, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("min_points") is None and data.get("max_points") is None:
            raise forms.ValidationError(_("Give points at least, at most, or both."))
        return data


def _points(value, scope):
    low, high = value.get("min_points"), value.get("max_points")
    balances = scope.points
    matched = set()
    for pk, person in scope.people.items():
        points = balances.get(person.owner_id, 0)
        if (low is None or points >= low) and (high is None or points <= high):
            matched.add(pk)
    return matched


class MarketingForm(CriterionForm):
    accepts = forms.ChoiceField(
        label=_("offers and news"),
        choices=[("yes", _("accepts them")), ("no", _("refused them"))],
    )


def _marketing(value, scope):
    refusing = scope.refusing_offers
    wanted = value["accepts"] == "yes"
    return {
        pk for pk, person in scope.people.items() if (person.owner_id not in refusing) == wanted
    }


def register_builtin_criteria() -> None:
    for criterion in (
        Criterion("last_visit", _("Last visit"), LastVisitForm, _last_visit),
        Criterion("service", _("Treatments received"), ServiceForm, _service),
        Criterion("age", _("Age"), AgeForm, _ages),
        Criterion("gender", _("Gender"), GenderForm, _gender),
        Criterion("clinic", _("Clinic of the last visit"), ClinicForm, _clinic),
        Criterion("spend", _("Family spend at this clinic"), SpendForm, _spend),
        Criterion("points", _("Points balance"), PointsForm, _points),
        Criterion("marketing", _("Consent to offers"), MarketingForm, _marketing),
    ):
        register_criterion(criterion)
