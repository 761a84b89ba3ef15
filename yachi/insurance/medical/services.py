"""Every change of medical insurance at the desk: the identity check, pre-settlement,
settlement, reversal (冲正) and refund (退费) of a bill, and the catalogue mapping.

A settlement is race-safe by construction: settling locks the settlement's row, and the
platform is called with our 就诊流水号, which it settles once; the share is recorded in
payments' ledger in the same transaction (``payments.facade.bill_share_take``), and the
database keeps one settled settlement per bill. A settle pressed twice settles once.
"""

import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, InvalidInput, NotFound
from yachi.insurance.medical import platform as adapter
from yachi.insurance.medical.choices import SettlementStatus
from yachi.insurance.medical.models import CatalogueMapping, Institution, Settlement
from yachi.payments import facade as payments


class NotSettleable(Conflict):
    code = "insurance_not_settleable"


@dataclass(frozen=True)
class Identity:
    insured: adapter.Insured


def institution_of(clinic) -> Institution:
    institution = Institution.objects.filter(clinic=clinic).first()
    if institution is None or not adapter.configured():
        raise NotSettleable(
            _("This clinic is not set up for medical-insurance settlement."),
            code="insurance_not_set_up",
        )
    return institution


_platforms = {}


def platform_for(clinic) -> adapter.Platform:
    """The adapter for the clinic's designated institution (a test may replace it)."""
    institution = institution_of(clinic)
    return adapter.HttpPlatform(institution_code=institution.code, area=institution.area)


def _credential(credential) -> str:
    credential = credential.strip() if isinstance(credential, str) else ""
    if not credential or len(credential) > 64 or not credential.isprintable():
        raise InvalidInput(
            _("Scan the patient's medical-insurance electronic credential (医保电子凭证)."),
            code="invalid_credential",
        )
    return credential


def identity_check(*, actor, clinic, credential: str) -> adapter.Insured:
    """Who the scanned 医保电子凭证 belongs to, as the platform says (audited)."""
    credential = _credential(credential)
    insured = platform_for(clinic).identify(credential=credential)
    audit_record(
        action=AuditAction.INSURANCE_IDENTITY_CHECKED,
        actor=actor,
        object_type="clinic",
        object_id=clinic.public_id,
        clinic=clinic,
        details={"insurance_type": insured.insurance_type, "area": insured.area},
    )
    return insured


def mappings_of(clinic) -> dict[tuple[str, str], CatalogueMapping]:
    return {(m.kind, m.item_code): m for m in CatalogueMapping.objects.filter(clinic=clinic)}


def _fee_items(facts, mappings) -> list[adapter.FeeItem]:
    items = []
    for line in facts.lines:
        mapping = mappings.get((line.kind, line.item_code))
        items.append(
            adapter.FeeItem(
                serial=str(line.position),
                national_code=mapping.national_code if mapping else "",
                our_code=line.item_code or "-",
                name=line.description,
                quantity=line.quantity,
                unit_fen=line.unit_fen,
                amount_fen=line.amount_fen,
            )
        )
    return items


def _items_json(facts, mappings, split: adapter.Split) -> list[dict]:
    by_serial = {item.serial: item for item in split.items}
    rows = []
    for line in facts.lines:
        mapping = mappings.get((line.kind, line.item_code))
        part = by_serial.get(str(line.position))
        rows.append(
            {
                "position": line.position,
                "kind": line.kind,
                "item_code": line.item_code,
                "description": line.description,
                "national_code": mapping.national_code if mapping else "",
                "catalogue_class": part.catalogue_class if part else "C",
                "mapped": mapping is not None,
                "amount_fen": line.amount_fen,
                "fund_fen": part.fund_fen if part else 0,
                "account_fen": part.account_fen if part else 0,
                "self_fen": part.self_fen if part else line.amount_fen,
            }
        )
    return rows


def _open_bill(payment):
    facts = payments.bill_facts(payment)
    if facts is None:
        raise NotSettleable(_("Only a treatment bill can be settled with medical insurance."))
    if facts.status != payments.IntentStatus.CREATED:
        raise NotSettleable(_("This bill is paid or closed: nothing is left to settle."))
    if facts.due_fen != facts.amount_fen:
        raise NotSettleable(
            _("Part of this bill is already settled with medical insurance."),
            code="insurance_already_settled",
        )
    return facts


def _check_split(split: adapter.Split, facts) -> None:
    # The platform's split must be of this bill, and add up, before anyone relies on it.
    if (
        split.total_fen != facts.amount_fen
        or split.fund_fen + split.account_fen + split.self_fen != split.total_fen
    ):
        raise adapter.PlatformUnavailable()


def _visit_serial() -> str:
    return f"MZ{timezone.localtime():%Y%m%d%H%M%S}{secrets.randbelow(10**8):08d}"


def pre_settle(*, actor, payment, credential: str) -> Settlement:
    """Ask the platform how the bill splits (fund, personal account, self-paid), for the
    insured person whose credential was scanned; nothing is paid yet."""
    clinic = payment.clinic
    facts = _open_bill(payment)
    credential = _credential(credential)
    gateway = platform_for(clinic)
    insured = gateway.identify(credential=credential)
    mappings = mappings_of(clinic)
    serial = _visit_serial()
    split = gateway.pre_settle(
        insured=insured, visit_serial=serial, items=_fee_items(facts, mappings)
    )
    _check_split(split, facts)
    with transaction.atomic():
        Settlement.objects.filter(payment=payment, status=SettlementStatus.PRE_SETTLED).update(
            status=SettlementStatus.SUPERSEDED, updated_at=timezone.now()
        )
        settlement = Settlement.objects.create(
            clinic=clinic,
            payment=payment,
            bill_id=facts.bill_id,
            status=SettlementStatus.PRE_SETTLED,
            visit_serial=serial,
            platform_visit_id=split.platform_visit_id[:40],
            insured_name=insured.name[:64],
            insured_number=insured.number[:40],
            insurance_type=insured.insurance_type[:8],
            bill_fen=split.total_fen,
            fund_fen=split.fund_fen,
            account_fen=split.account_fen,
            self_fen=split.self_fen,
            items=_items_json(facts, mappings, split),
            requested_by=actor,
        )
        audit_record(
            action=AuditAction.INSURANCE_PRE_SETTLED,
            actor=actor,
            object_type="payment",
            object_id=payment.public_id,
            clinic=clinic,
            details={"settlement": str(settlement.public_id), **_amounts(settlement)},
        )
    return settlement


def _amounts(settlement: Settlement) -> dict:
    return {
        "bill_fen": settlement.bill_fen,
        "fund_fen": settlement.fund_fen,
        "account_fen": settlement.account_fen,
        "self_fen": settlement.self_fen,
    }


def settle(*, actor, payment, settlement_id=None) -> Settlement:
    """Settle the bill's latest pre-settlement (or ``settlement_id``) with the platform
    and record insurance's share in the ledger; pressing it again answers the first."""
    with transaction.atomic():
        # Every settlement of the bill is locked, whatever its status: a filter on the
        # status would be re-checked after the first settle commits and match nothing.
        rows = list(Settlement.objects.select_for_update().filter(payment=payment).order_by("-pk"))
        settled = next((s for s in rows if s.status == SettlementStatus.SETTLED), None)
        if settled is not None:
            return settled
        if settlement_id is not None:
            settlement = next((s for s in rows if s.public_id == settlement_id), None)
        else:
            settlement = next((s for s in rows if s.status == SettlementStatus.PRE_SETTLED), None)
        if settlement is None:
            raise NotFound(
                _("Pre-settle the bill with the patient's credential first."),
                code="settlement_not_found",
            )
        if settlement.status != SettlementStatus.PRE_SETTLED:
            raise NotSettleable(
                _("This pre-settlement is no longer current: pre-settle the bill again.")
            )
        facts = _open_bill(payment)
        mappings = mappings_of(payment.clinic)
        insured = adapter.Insured(
            number=settlement.insured_number,
            name=settlement.insured_name,
            certificate="",
            insurance_type=settlement.insurance_type,
            area="",
            balance_fen=0,
        )
        split = platform_for(payment.clinic).settle(
            insured=insured,
            visit_serial=settlement.visit_serial,
            items=_fee_items(facts, mappings),
            visit_id=settlement.platform_visit_id,
        )
        _check_split(split, facts)
        if not split.settlement_id:
            raise adapter.PlatformUnavailable()
        share = None
        if split.fund_fen + split.account_fen:
            share = payments.bill_share_take(
                actor=actor,
                intent=payment,
                share_fen=split.fund_fen + split.account_fen,
                key=settlement.public_id,
                provider_reference=split.settlement_id,
            )
        settlement.status = SettlementStatus.SETTLED
        settlement.platform_settlement_id = split.settlement_id[:40]
        settlement.fund_fen, settlement.account_fen = split.fund_fen, split.account_fen
        settlement.self_fen = split.self_fen
        settlement.items = _items_json(facts, mappings, split)
        settlement.share_payment = share
        settlement.settled_by, settlement.settled_at = actor, timezone.now()
        try:
            with transaction.atomic():
                settlement.save()
        except IntegrityError:
            raise NotSettleable(_("This bill is already settled with medical insurance.")) from None
        audit_record(
            action=AuditAction.INSURANCE_SETTLED,
            actor=actor,
            object_type="payment",
            object_id=payment.public_id,
            clinic=payment.clinic,
            details={
                "settlement": str(settlement.public_id),
                "settlement_id": settlement.platform_settlement_id,
                **_amounts(settlement),
            },
        )
    return settlement


def _reason(reason) -> str:
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > 80:
        raise InvalidInput(_("Say why, in at most 80 characters."), code="invalid_reason")
    return reason


def undo(*, actor, settlement: Settlement, reason: str, refund: bool = False) -> Settlement:
    """Reverse (冲正, the same day: the patient owes that part again) or refund (退费) a
    settlement with the platform, and undo exactly its share in the ledger."""
    reason = _reason(reason)
    with transaction.atomic():
        locked = Settlement.objects.select_for_update().get(pk=settlement.pk)
        target = SettlementStatus.REFUNDED if refund else SettlementStatus.REVERSED
        if locked.status == target:
            return locked
        if locked.status != SettlementStatus.SETTLED:
            raise NotSettleable(_("Only a settled settlement can be reversed or refunded."))
        gateway = platform_for(locked.clinic)
        share = locked.share_payment
        payment = locked.payment
        if share is not None and not refund and share.pk != payment.pk:
            # Check before the platform is asked: the rest of the bill must still be open.
            current = payments.bill_payment_of_share(share)
            if current is None or current.status != payments.IntentStatus.CREATED:
                raise payments.ShareRefused(
                    _(
                        "The rest of this bill is paid already: refund the settlement instead "
                        "of reversing it."
                    ),
                    code="bill_paid_refund_instead",
                )
        if refund:
            undo_id = gateway.refund(settlement_id=locked.platform_settlement_id, reason=reason)
        else:
            undo_id = gateway.reverse(
                settlement_id=locked.platform_settlement_id,
                insured_number=locked.insured_number,
                visit_id=locked.platform_visit_id,
            )
        if share is not None:
            bill_payment = payments.bill_payment_of_share(share)
            owed = payments.bill_share_return(
                actor=actor,
                share=share,
                bill_payment=bill_payment,
                restore=not refund,
                reason=reason,
                provider_reference=undo_id or locked.platform_settlement_id,
            )
            if owed.pk != locked.payment_id:
                locked.payment = owed
        locked.status = target
        locked.undone_by, locked.undone_at, locked.undo_reason = actor, timezone.now(), reason
        locked.save()
        audit_record(
            action=AuditAction.INSURANCE_REFUNDED if refund else AuditAction.INSURANCE_REVERSED,
            actor=actor,
            object_type="payment",
            object_id=payment.public_id,
            clinic=locked.clinic,
            details={
                "settlement": str(locked.public_id),
                "settlement_id": locked.platform_settlement_id,
                "undo_id": undo_id,
                "reason": reason,
                **_amounts(locked),
            },
        )
    return locked


def mapping_save(
    *,
    actor,
    clinic,
    kind: str,
    item_code: str,
    national_code: str,
    catalogue_class: str,
    national_name: str = "",
) -> CatalogueMapping:
    """Map one of the clinic's items to a national code and class (audited)."""
    from yachi.insurance.medical import catalogue

    if kind not in ("service", "material"):
        raise InvalidInput(_("Choose a treatment or a material."), code="unknown_item")
    known = {(item.kind, item.code) for item in _items_of(clinic)}
    if (kind, item_code) not in known:
        raise InvalidInput(
            _("This clinic has no such treatment or material. Choose one from the list."),
            code="unknown_item",
        )
    national_code = (national_code or "").strip().upper()
    if not national_code or len(national_code) > 30 or not national_code.isalnum():
        raise InvalidInput(_("Enter the national insurance code (医保编码)."), code="invalid_code")
    if catalogue_class not in ("A", "B", "C"):
        raise InvalidInput(_("Choose class A, B or C."), code="invalid_class")
    listed = catalogue.BY_CODE.get(national_code)
    name = (national_name or (listed.name if listed else "")).strip()[:80]
    with transaction.atomic():
        mapping, created = CatalogueMapping.objects.update_or_create(
            clinic=clinic,
            kind=kind,
            item_code=item_code,
            defaults={
                "national_code": national_code,
                "national_name": name,
                "catalogue_class": catalogue_class,
                "mapped_by": actor,
            },
        )
        audit_record(
            action=AuditAction.INSURANCE_MAPPING_CHANGED,
            actor=actor,
            object_type="clinic",
            object_id=clinic.public_id,
            clinic=clinic,
            details={
                "kind": kind,
                "item": item_code,
                "national_code": national_code,
                "class": catalogue_class,
                "created": created,
            },
        )
    return mapping


def mapping_remove(*, actor, clinic, kind: str, item_code: str) -> bool:
    with transaction.atomic():
        deleted, _rows = CatalogueMapping.objects.filter(
            clinic=clinic, kind=kind, item_code=item_code
        ).delete()
        if deleted:
            audit_record(
                action=AuditAction.INSURANCE_MAPPING_CHANGED,
                actor=actor,
                object_type="clinic",
                object_id=clinic.public_id,
                clinic=clinic,
                details={"kind": kind, "item": item_code, "removed": True},
            )
    return bool(deleted)


@dataclass(frozen=True)
class CatalogueItem:
    kind: str
    code: str
    name: str
    price_fen: int
    mapping: CatalogueMapping | None


def _items_of(clinic) -> list[CatalogueItem]:
    from yachi.clinics import facade as clinics

    mappings = mappings_of(clinic)
    items = [
        CatalogueItem(
            "service", s.code, s.display_name, s.price_fen, mappings.get(("service", s.code))
        )
        for s in clinics.clinic_billable_services(clinic=clinic)
    ]
    items += [
        CatalogueItem(
            "material", m.code, m.display_name, m.price_fen, mappings.get(("material", m.code))
        )
        for m in clinics.clinic_billable_materials(clinic=clinic)
    ]
    return items


def catalogue_of(clinic) -> list[CatalogueItem]:
    """The clinic's treatments and materials with their mapping; the unmapped first."""
    return sorted(_items_of(clinic), key=lambda i: (i.mapping is not None, i.kind, i.code))


def institution_save(*, actor, clinic, code: str, area: str) -> Institution:
    code, area = (code or "").strip().upper(), (area or "").strip()
    if not code or len(code) > 20 or not code.isalnum():
        raise InvalidInput(
            _("Enter the designated institution code (定点机构编码)."), code="invalid_code"
        )
    if not (len(area) == 6 and area.isdigit()):
        raise InvalidInput(_("Enter the six-digit pooling area code."), code="invalid_area")
    try:
        with transaction.atomic():
            institution, _created = Institution.objects.update_or_create(
                clinic=clinic, defaults={"code": code, "area": area}
            )
            audit_record(
                action=AuditAction.INSURANCE_MAPPING_CHANGED,
                actor=actor,
                object_type="clinic",
                object_id=clinic.public_id,
                clinic=clinic,
                details={"institution_code": code, "area": area},
            )
    except IntegrityError:
        raise InvalidInput(
            _("Another clinic has this institution code."), code="institution_code_taken"
        ) from None
    return institution
