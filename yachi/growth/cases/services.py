"""Case contests (病例征集) within the advertising rules (ADR 0049).

A contest's texts pass the content check; an entry is made only with the separate
consent, and withdrawing it deletes the entry's files. Staff review and score entries;
the pool is split among the winners to the fen (largest remainder) and paid through the
points ledger or as coupons, each with an idempotency key, so paying twice pays once."""

import logging
from datetime import date

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, InvalidInput
from yachi.core.money import FEN_PER_YUAN, format_yuan, split_largest_remainder
from yachi.growth import ledger
from yachi.growth import services as coupons
from yachi.growth.cases.files import clean_case_file
from yachi.growth.cases.models import (
    AwardStatus,
    CaseAward,
    CaseContest,
    CaseEntry,
    CaseFile,
    CaseScore,
    ContestStatus,
    EntryStatus,
    FileStage,
    PrizeKind,
    SplitRule,
)
from yachi.growth.choices import Applicability, CouponKind, PointsReason
from yachi.growth.fraud.services import register_reward_payer, reward_paid_mark, screen_reward
from yachi.growth.inputs import text_input
from yachi.growth.promotion import promotion_require

logger = logging.getLogger(__name__)

MAX_FILES = 6


def consent_text() -> str:
    """What the entrant agrees to, separately from everything else (PIPL art. 29)."""
    return _(
        "I agree that the clinic's staff may see the photos and videos of this entry, to "
        "review the entry and to teach. They are never shown on public pages, share cards or "
        "advertising. I can withdraw this consent at any time; the files are then deleted."
    )


def contest_save(
    *,
    actor,
    contest: CaseContest | None = None,
    title: str,
    description: str,
    starts_on: date,
    ends_on: date,
    prize_pool_fen: int,
    winners: int,
    split_rule: str,
    prize_kind: str,
) -> CaseContest:
    title = text_input(title, label=pgettext("promotion", "Title"), limit=80)
    description = text_input(
        description, label=_("Description"), limit=4000, multiline=True, required=False
    )
    if ends_on < starts_on:
        raise InvalidInput(_("The last day cannot be before the first."), code="invalid_dates")
    if not 1 <= prize_pool_fen <= 100_000_000 or not 1 <= winners <= 100:
        raise InvalidInput(
            _("The prize pool is 0.01 to 1,000,000 yuan, for 1 to 100 winners."),
            code="invalid_prizes",
        )
    if split_rule not in SplitRule.values or prize_kind not in PrizeKind.values:
        raise InvalidInput(_("Choose how the pool is split and paid."), code="invalid_rule")
    promotion_require({pgettext("promotion", "Title"): title, _("Description"): description})
    with transaction.atomic():
        if contest is None:
            contest = CaseContest()
        else:
            contest = CaseContest.objects.select_for_update().get(pk=contest.pk)
            if contest.status == ContestStatus.AWARDED:
                raise Conflict(_("The prizes are paid: the contest is closed."), code="awarded")
        for field, value in {
            "title": title,
            "description": description,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "prize_pool_fen": prize_pool_fen,
            "winners": winners,
            "split_rule": split_rule,
            "prize_kind": prize_kind,
        }.items():
            setattr(contest, field, value)
        contest.save()
    return contest


_MOVES = {
    "open": ({ContestStatus.DRAFT}, ContestStatus.OPEN),
    "judge": ({ContestStatus.OPEN}, ContestStatus.JUDGING),
}


def contest_move(*, actor, contest: CaseContest, step: str) -> CaseContest:
    """Open a draft for entries, or close entries for judging."""
    if step not in _MOVES:
        raise InvalidInput(_("Unknown step."), code="invalid_step")
    sources, target = _MOVES[step]
    with transaction.atomic():
        if target == ContestStatus.OPEN:
            promotion_require(
                {
                    pgettext("promotion", "Title"): contest.title,
                    _("Description"): contest.description,
                }
            )
        done = CaseContest.objects.filter(pk=contest.pk, status__in=sources).update(
            status=target, updated_at=timezone.now()
        )
        if not done:
            raise Conflict(_("The contest is not in a state for this."), code="invalid_state")
        audit_record(
            action=AuditAction.CONTENT_PUBLISHED,
            actor=actor,
            object_type="growth.case_contest",
            object_id=str(contest.public_id),
            details={"status": target},
        )
    contest.refresh_from_db()
    return contest


def _store(entry: CaseEntry, stage: str, upload, saved: list[str]) -> None:
    clean = clean_case_file(upload)
    name = default_storage.save(
        f"cases/{entry.contest.public_id}/{entry.public_id}-{stage}.{clean.extension}",
        clean.content,
    )
    saved.append(name)
    CaseFile.objects.create(
        entry=entry, stage=stage, file=name, content_type=clean.content_type, size=clean.size
    )


def entry_submit(
    *, user, contest: CaseContest, story: str, consent: bool, before: list, after: list
) -> CaseEntry:
    """A patient's entry with its pictures or videos (at least one before and one after),
    under the separate consent to this use."""
    if not getattr(user, "is_patient", False):
        raise InvalidInput(_("Entries are made by patients."), code="patients_only")
    if not consent:
        raise InvalidInput(
            _("Agree to the separate consent for these photos before entering."),
            code="consent_required",
        )
    today = timezone.localdate()
    if contest.status != ContestStatus.OPEN or not contest.starts_on <= today <= contest.ends_on:
        raise Conflict(_("This contest is not taking entries now."), code="contest_closed")
    before, after = [f for f in before if f], [f for f in after if f]
    if not before or not after:
        raise InvalidInput(
            _("Add at least one photo or video from before and one from after the treatment."),
            code="files_required",
        )
    if len(before) + len(after) > MAX_FILES:
        raise InvalidInput(
            _("At most %(n)d files per entry.") % {"n": MAX_FILES}, code="too_many_files"
        )
    story = text_input(story, label=_("Your story"), limit=2000, multiline=True, required=False)
    saved: list[str] = []
    try:
        with transaction.atomic():
            now = timezone.now()
            try:
                with transaction.atomic():
                    entry = CaseEntry.objects.create(
                        contest=contest,
                        entrant=user,
                        story=story,
                        consent_version=settings.YACHI_CASE_CONSENT_VERSION,
                        consent_given_at=now,
                    )
            except IntegrityError:
                raise Conflict(
                    _("You have already entered this contest."), code="already_entered"
                ) from None
            for stage, uploads in ((FileStage.BEFORE, before), (FileStage.AFTER, after)):
                for upload in uploads:
                    _store(entry, stage, upload, saved)
            audit_record(
                action=AuditAction.CONSENT_GRANTED,
                actor=user,
                object_type="growth.case_entry",
                object_id=str(entry.public_id),
                details={"kind": "case_contest", "version": entry.consent_version},
            )
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise
    return entry


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("could not delete case file %s", name)


def entry_withdraw(*, user, entry: CaseEntry) -> CaseEntry:
    """The entrant withdraws the consent: the entry is withdrawn and its files deleted
    (the rows now, the stored files once that is committed)."""
    with transaction.atomic():
        now = timezone.now()
        done = (
            CaseEntry.objects.filter(pk=entry.pk, entrant=user)
            .exclude(status=EntryStatus.WITHDRAWN)
            .update(status=EntryStatus.WITHDRAWN, consent_withdrawn_at=now, updated_at=now)
        )
        if not done:
            raise Conflict(_("This entry is already withdrawn."), code="already_withdrawn")
        names = list(CaseFile.objects.filter(entry=entry).values_list("file", flat=True))
        CaseFile.objects.filter(entry=entry).delete()
        audit_record(
            action=AuditAction.CONSENT_WITHDRAWN,
            actor=user,
            object_type="growth.case_entry",
            object_id=str(entry.public_id),
            details={"kind": "case_contest", "files_deleted": len(names)},
        )
        transaction.on_commit(lambda: _delete_files(names))
    entry.refresh_from_db()
    return entry


def entry_review(*, actor, entry: CaseEntry, accept: bool, note: str = "") -> CaseEntry:
    note = text_input(note, label=_("Note"), limit=500, multiline=True, required=False)
    target = EntryStatus.ACCEPTED if accept else EntryStatus.REJECTED
    with transaction.atomic():
        now = timezone.now()
        locked = CaseEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.status == EntryStatus.WITHDRAWN:
            raise Conflict(_("The entrant withdrew this entry."), code="withdrawn")
        if locked.contest.status == ContestStatus.AWARDED:
            raise Conflict(_("The prizes are paid: the contest is closed."), code="awarded")
        locked.status, locked.review_note = target, note
        locked.reviewed_by, locked.reviewed_at = actor, now
        locked.save()
        audit_record(
            action=AuditAction.CASE_ENTRY_REVIEWED,
            actor=actor,
            object_type="growth.case_entry",
            object_id=str(entry.public_id),
            details={"status": target},
        )
    return locked


def entry_score(*, actor, entry: CaseEntry, score: int) -> CaseScore:
    if not isinstance(score, int) or not 0 <= score <= 100:
        raise InvalidInput(_("A score is a whole number from 0 to 100."), code="invalid_score")
    if entry.status != EntryStatus.ACCEPTED:
        raise Conflict(_("Only accepted entries are scored."), code="not_accepted")
    if entry.contest.status == ContestStatus.AWARDED:
        raise Conflict(_("The prizes are paid: the contest is closed."), code="awarded")
    with transaction.atomic():
        scored, _created = CaseScore.objects.update_or_create(
            entry=entry, judge=actor, defaults={"score": score}
        )
        audit_record(
            action=AuditAction.CASE_ENTRY_REVIEWED,
            actor=actor,
            object_type="growth.case_entry",
            object_id=str(entry.public_id),
            details={"score": score},
        )
    return scored


def ranking(contest: CaseContest) -> list[tuple[CaseEntry, int]]:
    """Accepted entries with their total score, best first (ties: the earlier entry)."""
    entries = (
        CaseEntry.objects.filter(contest=contest, status=EntryStatus.ACCEPTED)
        .select_related("entrant")
        .annotate(total=Sum("scores__score"), first=Min("created_at"))
    )
    ranked = sorted(entries, key=lambda e: (-(e.total or 0), e.created_at, e.pk))
    return [(entry, entry.total or 0) for entry in ranked]


def prize_plan(contest: CaseContest) -> list[tuple[CaseEntry, int, int]]:
    """The winners (the best ``contest.winners`` accepted entries), each with their
    score and share in fen: equal shares, or in proportion to the scores."""
    winners = ranking(contest)[: contest.winners]
    if not winners:
        return []
    weights = (
        [1] * len(winners) if contest.split_rule == SplitRule.EQUAL else [s for _, s in winners]
    )
    shares = split_largest_remainder(contest.prize_pool_fen, weights)
    return [(entry, score, share) for (entry, score), share in zip(winners, shares, strict=True)]


def _points_of(fen: int) -> int:
    # With the default 100 points to the yuan a point is a fen: exact. Otherwise rounded
    # down to what the points are worth.
    return fen * ledger.points_per_yuan() // FEN_PER_YUAN


REWARD_KIND = "case_prize"


def _pay(contest: CaseContest, entry: CaseEntry, share: int, actor) -> CaseAward:
    """A winner's share: screened by anti-fraud, then paid at once or held for review."""
    key = f"case_prize:{contest.public_id}:{entry.public_id}"
    award = CaseAward(contest=contest, entry=entry, share_fen=share, idempotency_key=key)
    if contest.prize_kind == PrizeKind.POINTS:
        award.points = _points_of(share)
    review = screen_reward(
        key=key, kind=REWARD_KIND, beneficiary=entry.entrant, description=contest.title
    )
    if not review.payable:
        award.status = AwardStatus.HELD
        award.save()
        return award
    award.save()
    _hand_over(award, actor=actor)
    return award


def _hand_over(award: CaseAward, *, actor=None) -> None:
    """Into the points ledger or as a coupon, under the award's key: once, whatever calls
    it twice. ``actor``: the manager paying the prizes (an approval after review is
    audited as the review's decision)."""
    contest, entrant = award.contest, award.entry.entrant
    key, share = award.idempotency_key, award.share_fen
    reason = _("Prize of the case contest “%(title)s”") % {"title": contest.title}
    if contest.prize_kind == PrizeKind.POINTS:
        if award.points:
            ledger.points_earn(
                user=entrant,
                points=award.points,
                reason=PointsReason.ACTIVITY,
                idempotency_key=key,
                reference=f"growth.case_contest:{contest.public_id}",
                note=reason[:200],
            )
    else:
        template = coupons.coupon_template_save(
            actor=actor,
            name=(_("Case-contest prize %(amount)s") % {"amount": format_yuan(share)})[:64],
            name_en=f"Case-contest prize {format_yuan(share)}"[:64],
            kind=CouponKind.FIXED_AMOUNT,
            amount_off_fen=share,
            pay_percent=None,
            applies_to=Applicability.ANY,
            item_codes=[],
            min_spend_fen=0,
            valid_days=365,
            valid_from=None,
            valid_until=None,
            total_quantity=1,
            per_person_limit=1,
            points_cost=None,
            active=True,
        )
        coupon_id = coupons.coupon_issue(
            template_id=template, user=entrant, reason=reason, actor=actor, idempotency_key=key
        )
        award.coupon_reference = str(coupon_id)
    award.status = AwardStatus.PAID
    award.save(update_fields=["coupon_reference", "status", "updated_at"])
    reward_paid_mark(key=key)


def _award_of_key(key: str, status: str) -> CaseAward | None:
    return (
        CaseAward.objects.select_for_update()
        .select_related("contest", "entry__entrant")
        .filter(idempotency_key=key, status=status)
        .first()
    )


def _pay_approved(key: str) -> None:
    award = _award_of_key(key, AwardStatus.HELD)
    if award is not None:
        _hand_over(award)


def _reject(key: str) -> None:
    award = _award_of_key(key, AwardStatus.HELD)
    if award is not None:
        award.status = AwardStatus.REJECTED
        award.save(update_fields=["status", "updated_at"])


def _describe(key: str) -> str:
    award = CaseAward.objects.select_related("contest").filter(idempotency_key=key).first()
    if award is None:
        return ""
    return _("%(title)s: a prize of %(amount)s") % {
        "title": award.contest.title,
        "amount": format_yuan(award.share_fen),
    }


register_reward_payer(
    REWARD_KIND,
    pay=_pay_approved,
    reject=_reject,
    label=gettext_lazy("Case-contest prize"),
    describe=_describe,
)


def prizes_award(*, actor, contest: CaseContest) -> list[CaseAward]:
    """Pay the winners once: the contest moves from judging to awarded in the same
    transaction as every payment, and each payment carries its own idempotency key."""
    with transaction.atomic():
        locked = CaseContest.objects.select_for_update().get(pk=contest.pk)
        if locked.status == ContestStatus.AWARDED:
            return list(locked.awards.select_related("entry"))
        if locked.status != ContestStatus.JUDGING:
            raise Conflict(_("Close the entries for judging first."), code="not_judging")
        plan = prize_plan(locked)
        if not plan:
            raise Conflict(_("No accepted entries to award."), code="no_winners")
        if locked.split_rule == SplitRule.SCORES and not any(score for _, score, _ in plan):
            raise Conflict(_("Score the entries before paying by scores."), code="no_scores")
        awards = [_pay(locked, entry, share, actor) for entry, _, share in plan]
        assert sum(a.share_fen for a in awards) == locked.prize_pool_fen
        locked.status, locked.awarded_at = ContestStatus.AWARDED, timezone.now()
        locked.save(update_fields=["status", "awarded_at", "updated_at"])
        audit_record(
            action=AuditAction.CASE_PRIZES_PAID,
            actor=actor,
            object_type="growth.case_contest",
            object_id=str(locked.public_id),
            details={
                "pool_fen": locked.prize_pool_fen,
                "shares_fen": [a.share_fen for a in awards],
                "kind": locked.prize_kind,
                "held": sum(a.status == AwardStatus.HELD for a in awards),
            },
        )
    return awards
