"""What the clinic keeps of medical insurance (医保): its agreement with the platform, the
catalogue mapping of its items, settlements and reconciliation runs."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yachi.compliance.facade import EncryptedCharField, EncryptedQuerySet
from yachi.core.models import BaseModel
from yachi.insurance.medical.choices import CatalogueClass, ReconciliationResult, SettlementStatus


class Institution(BaseModel):
    """A clinic as a designated medical institution (定点医药机构) of the platform."""

    clinic = models.OneToOneField("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    # 定点机构编码: the platform's code of the clinic, on every request.
    code = models.CharField(_("designated institution code"), max_length=20, unique=True)
    # 统筹区 / 参保地: the pooling area of the clinic's platform.
    area = models.CharField(_("pooling area"), max_length=6)

    class Meta:
        verbose_name = _("designated institution")

    def __str__(self) -> str:
        return self.code


class CatalogueMapping(BaseModel):
    """One item of the clinic's catalogue (a treatment or a material, by its code) mapped
    to the national medical-insurance code (医保编码) and its class (甲/乙/丙)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=8)
    item_code = models.CharField(_("item code"), max_length=32)
    national_code = models.CharField(_("national insurance code"), max_length=30)
    national_name = models.CharField(_("name in the national catalogue"), max_length=80)
    catalogue_class = models.CharField(_("class"), max_length=1, choices=CatalogueClass.choices)
    mapped_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("catalogue mapping")
        ordering = ["kind", "item_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "kind", "item_code"], name="insurance_mapping_one_per_item"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["service", "material"]), name="insurance_mapping_kind"
            ),
            models.CheckConstraint(
                condition=Q(catalogue_class__in=["A", "B", "C"]), name="insurance_mapping_class"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_code} → {self.national_code}"


class Settlement(BaseModel):
    """One settlement of a bill with the platform: pre-settled, then settled once, then
    perhaps reversed (冲正, the same day) or refunded (退费, later)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    # The bill's own payment (the one the patient pays): payments' table, by label.
    payment = models.ForeignKey(
        "payments.PaymentIntent", on_delete=models.PROTECT, related_name="+"
    )
    # The bill (payments' public id): its payment may be replaced after a reversal.
    bill_id = models.UUIDField(db_index=True)
    # The payment holding what insurance paid, once settled (the bill's own when whole).
    share_payment = models.ForeignKey(
        "payments.PaymentIntent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=12, choices=SettlementStatus.choices)
    # 就诊流水号: our number of the visit at the platform; what makes a retried settle safe.
    visit_serial = models.CharField(_("visit serial number"), max_length=32, unique=True)
    # 就诊 ID and 结算 ID: the platform's numbers.
    platform_visit_id = models.CharField(max_length=40, blank=True)
    platform_settlement_id = models.CharField(_("settlement ID"), max_length=40, blank=True)
    insured_name = EncryptedCharField(_("insured person"), max_length=64, blank=True)
    insured_number = EncryptedCharField(_("insured person's number"), max_length=40, blank=True)
    insurance_type = models.CharField(_("insurance type"), max_length=8, blank=True)
    bill_fen = models.PositiveIntegerField(_("bill (fen)"))
    fund_fen = models.PositiveIntegerField(_("fund pays (fen)"))
    account_fen = models.PositiveIntegerField(_("personal account pays (fen)"))
    self_fen = models.PositiveIntegerField(_("patient pays (fen)"))
    items = models.JSONField(default=list)
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    settled_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    settled_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.CharField(max_length=80, blank=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = _("medical-insurance settlement")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["clinic", "settled_at"])]
        constraints = [
            # A bill is settled with insurance once at a time: a second settle of another
            # pre-settlement of the same bill is refused by the database.
            models.UniqueConstraint(
                fields=["payment"],
                condition=Q(status="settled"),
                name="insurance_one_settled_per_payment",
            ),
            models.UniqueConstraint(
                fields=["platform_settlement_id"],
                condition=~Q(platform_settlement_id=""),
                name="insurance_settlement_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(bill_fen=F("fund_fen") + F("account_fen") + F("self_fen")),
                name="insurance_parts_add_up",
            ),
        ]

    def __str__(self) -> str:
        return self.visit_serial

    @property
    def insurance_fen(self) -> int:
        return self.fund_fen + self.account_fen


class Reconciliation(BaseModel):
    """One day of a clinic's settlements compared with the platform's statement (对账)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    result = models.CharField(_("result"), max_length=12, choices=ReconciliationResult.choices)
    ran_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    statement_count = models.PositiveIntegerField(default=0)
    ours_count = models.PositiveIntegerField(default=0)
    statement_fen = models.BigIntegerField(default=0)
    ours_fen = models.BigIntegerField(default=0)
    findings = models.JSONField(default=list)

    class Meta:
        verbose_name = _("medical-insurance reconciliation")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.day}: {len(self.findings)}"
