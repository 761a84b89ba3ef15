"""No-show risk's writes: training the models, scoring upcoming appointments and acting
on the clinic's policy, saving the policy and recording confirmation calls (ADR 0051)."""

from datetime import datetime, timedelta
from importlib.metadata import version as package_version
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yachi.booking import facade as booking
from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import DomainError, InvalidInput
from yachi.crm.noshow import features, learning
from yachi.crm.noshow.models import (
    CallOutcome,
    ConfirmationCall,
    NoShowModel,
    NoShowPolicy,
    NoShowScore,
    RiskLevel,
)

HORIZON = timedelta(days=14)
# The history a model learns from: two years is plenty and keeps training quick.
LEARN_FROM = timedelta(days=730)
DEFAULT_THRESHOLD = 30


class NoModel(DomainError):
    status = 409
    code = "no_model"
    default_message = gettext_lazy(
        "No no-show model has been trained yet: the clinic's history is too short."
    )


# --- from the platform's facts to the model's --------------------------------------------


def visit_of(facts) -> features.Visit:
    return features.Visit(
        patient_id=facts.patient_id,
        start=facts.start,
        booked_at=facts.booked_at,
        channel=facts.channel,
        status=facts.status,
        confirmed=facts.confirmed,
        deposit_paid=facts.deposit_paid,
        clinic_id=facts.clinic_id,
        key=facts.pk,
    )


def _zones() -> dict[int, ZoneInfo]:
    return {c.pk: ZoneInfo(c.timezone) for c in clinics.active_clinics()}


def _zone_of(zones):
    fallback = ZoneInfo("Asia/Shanghai")
    return lambda clinic_id: zones.get(clinic_id, fallback)


def history_samples(*, now: datetime) -> list[features.Sample]:
    """Every clinic's labelled samples of the last two years, oldest first, with each
    patient's history from every clinic they went to."""
    facts = booking.appointment_facts(start_from=now - LEARN_FROM - features.YEAR, start_to=now)
    return features.samples_of(
        [visit_of(f) for f in facts], zone_of=_zone_of(_zones()), since=now - LEARN_FROM
    )


def coefficients_of(model: NoShowModel) -> learning.Coefficients:
    return learning.Coefficients(
        names=tuple(model.features),
        weights=tuple(model.weights),
        intercept=model.intercept,
        means=tuple(model.means),
    )


# --- training -------------------------------------------------------------------------


def _next_version(clinic) -> int:
    found = NoShowModel.objects.filter(clinic=clinic).aggregate(top=Max("version"))["top"]
    return (found or 0) + 1


def _store(*, clinic, samples, now) -> NoShowModel:
    coefficients = learning.fit(samples)
    try:
        test = learning.backtest(samples).as_dict()
    except learning.NotEnoughHistory:
        test = {}
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return NoShowModel.objects.create(
                    clinic=clinic,
                    version=_next_version(clinic),
                    trained_at=now,
                    library=f"scikit-learn {package_version('scikit-learn')}",
                    features=list(coefficients.names),
                    weights=list(coefficients.weights),
                    intercept=coefficients.intercept,
                    means=list(coefficients.means),
                    samples=len(samples),
                    no_shows=sum(s.y for s in samples),
                    prior=sum(s.y for s in samples) / len(samples),
                    backtest=test,
                )
        except IntegrityError:  # another trainer took the version number: take the next
            continue
    raise RuntimeError("could not number the new model version")


def models_train(*, now: datetime | None = None, clinic_ids=None) -> list[NoShowModel]:
    """Train the chain's model and every clinic's own where its history is enough; each
    run adds a version. Answers the models written."""
    now = now or timezone.now()
    samples = history_samples(now=now)
    written = []
    if learning.enough(samples) or (samples and len({s.y for s in samples}) == 2):
        written.append(_store(clinic=None, samples=samples, now=now))
    by_clinic: dict[int, list] = {}
    for sample in samples:
        by_clinic.setdefault(sample.visit.clinic_id, []).append(sample)
    for clinic in clinics.active_clinics():
        if clinic_ids is not None and clinic.pk not in clinic_ids:
            continue
        own = by_clinic.get(clinic.pk, [])
        if learning.enough(own):
            written.append(_store(clinic=clinic, samples=own, now=now))
    for model in written:
        audit_record(
            action=AuditAction.NO_SHOW_MODEL_TRAINED,
            object_type="no_show_model",
            object_id=model.public_id,
            clinic=model.clinic,
            details={"version": model.version, "samples": model.samples},
        )
    return written


def current_model(clinic_id: int) -> NoShowModel | None:
    """The clinic's newest own version, else the chain's newest."""
    return (
        NoShowModel.objects.filter(clinic_id=clinic_id).order_by("-version").first()
        or NoShowModel.objects.filter(clinic__isnull=True).order_by("-version").first()
    )


# --- scoring --------------------------------------------------------------------------


def policy_of(clinic_id: int) -> NoShowPolicy:
    """The clinic's policy, or the defaults (unsaved) when its manager set none."""
    return NoShowPolicy.objects.filter(clinic_id=clinic_id).first() or NoShowPolicy(
        clinic_id=clinic_id,
        threshold_percent=DEFAULT_THRESHOLD,
        require_deposit=False,
        extra_reminder=False,
        confirmation_call=False,
    )


def level_of(score: float, policy: NoShowPolicy) -> str:
    if score >= policy.threshold:
        return RiskLevel.HIGH
    if score >= policy.threshold / 2:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def score_visit(visit: features.Visit, earlier, model: NoShowModel, *, as_of, zone):
    """``(probability, reasons as dicts)`` of one visit, from the patient's earlier visits."""
    history = features.history_of(earlier, as_of=as_of)
    x = features.features_of(visit, history, zone=zone)
    coefficients = coefficients_of(model)
    reasons = features.reasons_of(visit, history, x, coefficients.contributions(x))
    return coefficients.probability(x), [{"code": r.code, "value": r.value} for r in reasons]


def _histories(patient_ids, *, before) -> dict[int, list[features.Visit]]:
    found: dict[int, list[features.Visit]] = {}
    for facts in booking.appointment_facts(patient_ids=set(patient_ids), start_to=before):
        found.setdefault(facts.patient_id, []).append(visit_of(facts))
    return found


def scores_refresh(*, now: datetime | None = None, clinic_ids=None) -> int:
    """Score every appointment of the next two weeks (not walk-ins) and act on each
    clinic's policy: an extra reminder (once), a confirmation call to make. Answers how
    many were scored."""
    now = now or timezone.now()
    upcoming = [
        f
        for f in booking.appointment_facts(
            clinic_ids=clinic_ids,
            start_from=now,
            start_to=now + HORIZON,
            statuses=(booking.AppointmentStatus.PENDING, booking.AppointmentStatus.BOOKED),
        )
        if f.channel not in features.UNSCORED_CHANNELS
    ]
    if not upcoming:
        return 0
    histories = _histories({f.patient_id for f in upcoming}, before=now)
    zones = _zone_of(_zones())
    models, policies = {}, {}
    existing = {
        s.appointment_id: s
        for s in NoShowScore.objects.filter(appointment_id__in=[f.pk for f in upcoming])
    }
    calls = set(
        ConfirmationCall.objects.filter(appointment_id__in=[f.pk for f in upcoming]).values_list(
            "appointment_id", flat=True
        )
    )
    scored = 0
    for facts in upcoming:
        if facts.clinic_id not in models:
            models[facts.clinic_id] = current_model(facts.clinic_id)
            policies[facts.clinic_id] = policy_of(facts.clinic_id)
        model, policy = models[facts.clinic_id], policies[facts.clinic_id]
        if model is None:
            continue
        score, reasons = score_visit(
            visit_of(facts),
            histories.get(facts.patient_id, []),
            model,
            as_of=now,
            zone=zones(facts.clinic_id),
        )
        row = existing.get(facts.pk) or NoShowScore(appointment_id=facts.pk)
        row.clinic_id, row.start, row.model = facts.clinic_id, facts.start, model
        row.score, row.reasons, row.computed_at = score, reasons, now
        row.level = level_of(score, policy)
        high = score >= policy.threshold and policy.pk is not None
        wants_reminder = high and policy.extra_reminder and row.reminded_at is None
        if wants_reminder and booking.extra_reminder_send(appointment_id=facts.pk, now=now):
            row.reminded_at = now
        if high and policy.confirmation_call and facts.pk not in calls:
            ConfirmationCall.objects.get_or_create(
                appointment_id=facts.pk,
                defaults={"clinic_id": facts.clinic_id, "start": facts.start, "score": score},
            )
            calls.add(facts.pk)
        row.call_flagged = facts.pk in calls
        row.save()
        scored += 1
    return scored


def score_appointment(appointment, *, now: datetime | None = None) -> NoShowScore:
    """Score one appointment now (the API, when the job has not reached it yet)."""
    now = now or timezone.now()
    model = current_model(appointment.clinic_id)
    if model is None:
        raise NoModel()
    (facts,) = [
        f
        for f in booking.appointment_facts(patient_ids=[appointment.patient_id])
        if f.pk == appointment.pk
    ]
    earlier = _histories([appointment.patient_id], before=now).get(appointment.patient_id, [])
    score, reasons = score_visit(
        visit_of(facts), earlier, model, as_of=now, zone=ZoneInfo(appointment.clinic.timezone)
    )
    row, _created = NoShowScore.objects.update_or_create(
        appointment_id=appointment.pk,
        defaults={
            "clinic_id": appointment.clinic_id,
            "start": appointment.start,
            "score": score,
            "reasons": reasons,
            "model": model,
            "computed_at": now,
            "level": level_of(score, policy_of(appointment.clinic_id)),
            "call_flagged": ConfirmationCall.objects.filter(appointment_id=appointment.pk).exists(),
        },
    )
    return row


DEPOSIT_CLINICS_KEY = "crm:noshow:deposit-clinics"


def deposit_clinics() -> frozenset[int]:
    """Registered with booking: the clinics whose policy asks deposits, from the shared
    cache (dropped whenever a policy is saved; five minutes at most otherwise)."""
    return cache.get_or_set(
        DEPOSIT_CLINICS_KEY,
        lambda: frozenset(
            NoShowPolicy.objects.filter(require_deposit=True).values_list("clinic_id", flat=True)
        ),
        timeout=300,
    )


def deposit_for(facts) -> int:
    """Registered with booking: the deposit the clinic's policy asks of a patient's
    booking whose risk reaches the threshold (0 for none)."""
    policy = NoShowPolicy.objects.filter(clinic_id=facts.clinic_id, require_deposit=True).first()
    if policy is None or facts.channel in features.UNSCORED_CHANNELS:
        return 0
    model = current_model(facts.clinic_id)
    if model is None:
        return 0
    visit = features.Visit(
        patient_id=facts.patient_id,
        start=facts.start,
        booked_at=facts.now,
        channel=facts.channel,
        status=booking.AppointmentStatus.BOOKED,
        clinic_id=facts.clinic_id,
    )
    earlier = _histories([facts.patient_id], before=facts.now).get(facts.patient_id, [])
    zone = _zone_of(_zones())(facts.clinic_id)
    score, _reasons = score_visit(visit, earlier, model, as_of=facts.now, zone=zone)
    return policy.deposit_fen if score >= policy.threshold else 0


# --- the manager's policy and the front desk's calls ------------------------------------


def policy_save(
    *,
    actor,
    clinic,
    threshold_percent: int,
    require_deposit: bool,
    deposit_fen: int,
    extra_reminder: bool,
    confirmation_call: bool,
) -> NoShowPolicy:
    clinics.require(actor, clinic, clinics.Duty.MANAGE)
    if not 1 <= threshold_percent <= 99:
        raise InvalidInput(_("The threshold is a percentage from 1 to 99."))
    if require_deposit and not 1 <= deposit_fen <= 1_000_000:
        raise InvalidInput(_("A required deposit is from ¥0.01 to ¥10,000."))
    with transaction.atomic():
        policy, _created = NoShowPolicy.objects.update_or_create(
            clinic=clinic,
            defaults={
                "threshold_percent": threshold_percent,
                "require_deposit": require_deposit,
                "deposit_fen": deposit_fen if deposit_fen > 0 else 5000,
                "extra_reminder": extra_reminder,
                "confirmation_call": confirmation_call,
                "updated_by": actor,
            },
        )
        # Now for this process, and after the commit for any that read the old set since.
        cache.delete(DEPOSIT_CLINICS_KEY)
        transaction.on_commit(lambda: cache.delete(DEPOSIT_CLINICS_KEY))
        audit_record(
            action=AuditAction.NO_SHOW_POLICY_CHANGED,
            actor=actor,
            clinic=clinic,
            object_type="no_show_policy",
            object_id=policy.public_id,
            details={
                "threshold_percent": threshold_percent,
                "require_deposit": require_deposit,
                "deposit_fen": policy.deposit_fen,
                "extra_reminder": extra_reminder,
                "confirmation_call": confirmation_call,
            },
        )
    return policy


def call_record(*, actor, call: ConfirmationCall, outcome: str, note: str = "") -> ConfirmationCall:
    """The front desk called: what the patient said. Another call may follow a
    "no answer"; the outcome of the latest is kept."""
    clinics.require(actor, call.clinic, clinics.Duty.DESK)
    if outcome not in CallOutcome.values or outcome == CallOutcome.OPEN:
        raise InvalidInput(_("Choose what came of the call."))
    if len(note) > 200:
        raise InvalidInput(_("The note is too long (200 characters at most)."))
    with transaction.atomic():
        call = ConfirmationCall.objects.select_for_update().get(pk=call.pk)
        call.outcome, call.note = outcome, note
        call.called_by, call.called_at = actor, timezone.now()
        call.attempts += 1
        call.save()
        audit_record(
            action=AuditAction.CONFIRMATION_CALL_RECORDED,
            actor=actor,
            clinic=call.clinic,
            object_type="appointment",
            object_id=booking_public_id(call),
            details={"outcome": outcome, "attempts": call.attempts},
        )
    return call


def booking_public_id(call: ConfirmationCall) -> str:
    return str(call.appointment.public_id)
