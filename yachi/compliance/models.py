from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.compliance.chain import instant


class DataKey(models.Model):
    """A random SM4 key that encrypts field values, stored wrapped by a master key.

    The master keys live outside the database (``YACHI_MASTER_KEYS``), so a copy of the
    database alone opens nothing. Each encrypted value names its data key; each data key
    names the master key that wrapped it, so either can be rotated while the other stays.
    New values are encrypted under the current key; the constraint keeps it unique even
    when two processes create the first one at the same instant.
    """

    wrapped_key = models.CharField(max_length=128)
    master_key_id = models.CharField(_("master key"), max_length=32)
    is_current = models.BooleanField(_("current"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("data key")
        verbose_name_plural = _("data keys")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="compliance_one_current_data_key",
            )
        ]

    def __str__(self) -> str:
        return f"data key {self.pk} (master key {self.master_key_id})"


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT_EVERYWHERE = "logout_everywhere", _("Logged out everywhere")
    TOKEN_ISSUED = "token_issued", _("API token issued")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    SECOND_FACTOR_ENABLED = "second_factor_enabled", _("Two-step login enabled")
    SECOND_FACTOR_REPLACED = "second_factor_replaced", _("Authenticator app replaced")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Two-step login reset by an administrator")
    PERMISSION_CHANGED = "permission_changed", _("Permissions changed")
    CLINICAL_READ = "clinical_read", _("Clinical record read")
    CLINICAL_WRITE = "clinical_write", _("Clinical record written")
    CONSENT_GRANTED = "consent_granted", _("Consent given")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    DATA_EXPORTED = "data_exported", _("Personal data exported")
    DATA_ERASED = "data_erased", _("Personal data erased")
    AUDIT_EXPORTED = "audit_exported", _("Audit trail exported")
    AUDIT_PURGED = "audit_purged", _("Old audit entries purged")
    PAYMENT_RECORDED = "payment_recorded", _("Payment recorded")
    REFUND_REQUESTED = "refund_requested", _("Refund requested")
    REFUND_APPROVED = "refund_approved", _("Refund approved")
    REFUND_REJECTED = "refund_rejected", _("Refund not approved")
    BILL_CREATED = "bill_created", _("Bill created")
    BILL_CHANGED = "bill_changed", _("Bill changed")
    COUPON_ISSUED = "coupon_issued", _("Coupon issued")
    POINTS_ADJUSTED = "points_adjusted", _("Points adjusted")
    CATALOGUE_CHANGED = "catalogue_changed", _("Mall catalogue changed")
    STOCK_CHANGED = "stock_changed", _("Mall stock changed")
    ORDER_HANDLED = "order_handled", _("Mall order handled")
    FLASH_SALE_CREATED = "flash_sale_created", _("Flash sale created")
    FLASH_SALE_PAUSED = "flash_sale_paused", _("Flash sale paused or resumed")
    APPOINTMENT_STATUS_CHANGED = "appointment_status_changed", _("Appointment status changed")
    PATIENT_PAGE_READ = "patient_page_read", _("Patient's front-desk page read")
    ROSTER_CHANGED = "roster_changed", _("Roster changed")
    ROSTER_PROPOSED = "roster_proposed", _("Roster proposal asked for")
    ROSTER_PUBLISHED = "roster_published", _("Roster published from a proposal")
    CALENDAR_CHANGED = "calendar_changed", _("Clinic calendar changed")
    APPOINTMENT_HANDED_OVER = "appointment_handed_over", _("Appointment handed to another doctor")
    APPOINTMENT_MOVE_ASKED = "appointment_move_asked", _("Patient asked to choose another time")
    DOCTOR_PROFILE_CHANGED = "doctor_profile_changed", _("Doctor profile changed")
    RECONCILIATION_RUN = "reconciliation_run", _("Reconciliation run")
    GROUP_BUY_CHANGED = "group_buy_changed", _("Group-buy campaign created or changed")
    CHALLENGE_CHANGED = "challenge_changed", _("Check-in challenge created or changed")
    CONTENT_PUBLISHED = "content_published", _("Promotional content published or withdrawn")
    CASE_ENTRY_REVIEWED = "case_entry_reviewed", _("Case-contest entry reviewed")
    CASE_PRIZES_PAID = "case_prizes_paid", _("Case-contest prizes paid")
    AD_SPEND_RECORDED = "ad_spend_recorded", _("Ad spend recorded")
    REFERRAL_CAMPAIGN_CHANGED = (
        "referral_campaign_changed",
        _("Referral campaign created or changed"),
    )
    REWARD_REVIEWED = "reward_reviewed", _("Held reward approved or rejected")
    QUEUE_TICKET_CHANGED = "queue_ticket_changed", _("Queue ticket changed")
    AUDIT_HEAD_INVALID = "audit_head_invalid", _("Audit trail's end found altered or missing")
    VIDEO_JOINED = "video_joined", _("Video consultation joined")
    REPORT_LIST_READ = "report_list_read", _("Patients behind a report's figure listed")
    REPORT_EXPORTED = "report_exported", _("Report exported")
    PATIENT_360_READ = "patient_360_read", _("Patient 360 page read")
    PATIENT_TAG_CHANGED = "patient_tag_changed", _("Patient tag added or removed")
    TAG_DEFINITION_CHANGED = "tag_definition_changed", _("Tag definition changed")
    COMPLAINT_CHANGED = "complaint_changed", _("Complaint case changed")
    NO_SHOW_POLICY_CHANGED = "no_show_policy_changed", _("No-show policy changed")
    NO_SHOW_MODEL_TRAINED = "no_show_model_trained", _("No-show risk model trained")
    NO_SHOW_RISK_READ = "no_show_risk_read", _("Appointment's no-show risk read")
    CONFIRMATION_CALL_RECORDED = "confirmation_call_recorded", _("Confirmation call recorded")
    SEGMENT_CHANGED = "segment_changed", _("Patient segment saved or deleted")
    SEGMENT_EXPORTED = "segment_exported", _("Patient segment exported")
    CRM_CAMPAIGN_SENT = "crm_campaign_sent", _("Campaign sent to a segment")
    PLAYBOOK_RULE_CHANGED = "playbook_rule_changed", _("Playbook rule changed")
    FOLLOW_UP_RECORDED = "follow_up_recorded", _("Follow-up call recorded")
    TREATMENT_PLAN_CHANGED = "treatment_plan_changed", _("Treatment plan written or changed")
    TREATMENT_PLAN_ACCEPTED = "treatment_plan_accepted", _("Treatment plan accepted by the patient")
    STUDY_RECEIVED = "study_received", _("X-ray study received from a unit")
    STUDY_READ = "study_read", _("X-ray study read")
    STUDY_ASSIGNED = "study_assigned", _("X-ray study given to a patient")
    SCAN_UPLOADED = "scan_uploaded", _("Intraoral scan uploaded")
    SCAN_READ = "scan_read", _("Intraoral scan read")
    ARCH_SETUP_RECORDED = "arch_setup_recorded", _("Aligner setup recorded")
    INSURANCE_IDENTITY_CHECKED = (
        "insurance_identity_checked",
        _("Medical-insurance identity checked"),
    )
    INSURANCE_PRE_SETTLED = "insurance_pre_settled", _("Bill pre-settled with medical insurance")
    INSURANCE_SETTLED = "insurance_settled", _("Bill settled with medical insurance")
    INSURANCE_REVERSED = "insurance_reversed", _("Medical-insurance settlement reversed")
    INSURANCE_REFUNDED = "insurance_refunded", _("Medical-insurance settlement refunded")
    INSURANCE_MAPPING_CHANGED = (
        "insurance_mapping_changed",
        _("Insurance catalogue mapping changed"),
    )
    INSURANCE_RECONCILED = "insurance_reconciled", _("Medical-insurance reconciliation run")
    CLAIM_CHANGED = "claim_changed", _("Insurance claim opened or sent")
    CARIES_MARKS_READ = "caries_marks_read", _("Caries marks of an X-ray study read")
    CARIES_MARK_REVIEWED = "caries_mark_reviewed", _("Caries mark confirmed or rejected")
    CARIES_MARK_ADDED = "caries_mark_added", _("Caries mark added by a doctor")
    RECEIPT_PRINTED = "receipt_printed", _("Receipt printed or downloaded by staff")
    INSTALMENT_PLAN_CHANGED = "instalment_plan_changed", _("Instalment plan agreed or changed")
    INVOICE_REQUESTED = "invoice_requested", _("Invoice requested or reversed")


class AuditEntry(models.Model):
    """One thing someone did, in an append-only, hash-chained trail (``chain.py``).

    Entries hold copies (public ids, role, address), not foreign keys, so that nothing
    done to other tables later can change what an entry says or break its digest. The
    database refuses updates (migration 0002); deletions other than the retention purge
    show up as gaps when the chain is verified.
    """

    seq = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField(_("when"), db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor = models.CharField(_("who"), max_length=64, blank=True)
    actor_role = models.CharField(_("role"), max_length=16, blank=True)
    clinic = models.CharField(_("clinic"), max_length=36, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(_("object"), max_length=48, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=16, default="success")
    ip = models.CharField(_("address"), max_length=45, blank=True)
    device = models.CharField(_("device"), max_length=200, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)
    previous = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor or '-'}"

    def content(self) -> dict:
        """What the digest covers (everything but the links themselves)."""
        return {
            "created_at": instant(self.created_at),
            "actor_id": self.actor_id,
            "actor": self.actor,
            "actor_role": self.actor_role,
            "clinic": self.clinic,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "outcome": self.outcome,
            "ip": self.ip,
            "device": self.device,
            "request_id": self.request_id,
            "details": self.details,
        }


class AuditHead(models.Model):
    """The end of the chain, where it starts after the retention purge, and how far
    the checkpoints outside the database have seen it.

    One row. Writers lock it to append, so entries get consecutive numbers in the order
    they commit. ``base_*`` is the last purged entry. ``signature`` is an HMAC with the
    audit key over all the rest (``state()``), rewritten by every statement that changes
    the row: a head rewound or rebuilt by someone without the key does not verify, and
    one put back from an older copy is caught by the checkpoints (ADR 0017).
    """

    seq = models.BigIntegerField(default=0)
    digest = models.CharField(max_length=64)
    base_seq = models.BigIntegerField(default=0)
    base_digest = models.CharField(max_length=64)
    checkpoint_count = models.BigIntegerField(default=0)
    checkpoint_seq = models.BigIntegerField(default=0)
    checkpointed_at = models.DateTimeField(null=True, blank=True)
    signature = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"audit head at #{self.seq}"

    def state(self) -> dict:
        """What the signature covers (everything but the signature itself)."""
        return {
            "seq": self.seq,
            "digest": self.digest,
            "base_seq": self.base_seq,
            "base_digest": self.base_digest,
            "checkpoint_count": self.checkpoint_count,
            "checkpoint_seq": self.checkpoint_seq,
            "checkpointed_at": instant(self.checkpointed_at),
        }
