"""Every kind of message, its category and its words in Chinese and English.

``params`` are plain strings prepared by the caller (names, times already written the
way a person reads them); placeholders that a kind does not use are ignored. SMS and
WeChat providers map a kind's name to the template the clinic registered with them.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from yachi.messaging.choices import Category, Channel


@dataclass(frozen=True)
class Kind:
    name: str
    category: str
    title: str
    body: str
    channels: tuple[str, ...] = (Channel.SMS, Channel.WECHAT, Channel.INBOX)
    # Sent at any hour, quiet hours or not.
    urgent: bool = False
    # What the link in ``params["link"]`` does: the button in the inbox, and the words
    # before the short link in an SMS. The body never holds the link itself.
    action: str = ""


KINDS = {
    kind.name: kind
    for kind in [
        Kind(
            "appointment_booked",
            Category.TRANSACTIONAL,
            _("Appointment booked"),
            _("%(patient)s: %(service)s with %(doctor)s at %(clinic)s, %(time)s."),
            action=_("View or change"),
        ),
        Kind(
            "appointment_reminder",
            Category.REMINDER,
            _("Appointment reminder"),
            _("Reminder: %(patient)s has %(service)s with %(doctor)s at %(clinic)s, %(time)s."),
            action=_("Confirm or cancel"),
        ),
        Kind(
            "appointment_rescheduled",
            Category.TRANSACTIONAL,
            _("Appointment changed"),
            _(
                "%(patient)s: %(service)s with %(doctor)s at %(clinic)s is now %(time)s "
                "(it was %(previous)s)."
            ),
            action=_("View or change"),
        ),
        Kind(
            "appointment_moved",
            Category.TRANSACTIONAL,
            _("Your appointment has moved"),
            _(
                "Sorry: an emergency patient needs %(doctor)s. %(patient)s's %(service)s now "
                "starts at %(time)s instead of %(previous)s. Questions: call %(phone)s."
            ),
            action=_("Change it"),
        ),
        Kind(
            "appointment_cancelled_by_clinic",
            Category.TRANSACTIONAL,
            _("Your appointment was cancelled"),
            _(
                "Sorry: %(patient)s's %(service)s at %(time)s had to be cancelled (%(reason)s). "
                "Please book again, or call %(phone)s."
            ),
            action=_("Book again"),
        ),
        Kind(
            "appointment_doctor_changed",
            Category.TRANSACTIONAL,
            _("Your appointment is with another doctor"),
            _(
                "Sorry: %(previous)s is ill. %(patient)s's %(service)s at %(clinic)s stays at "
                "%(time)s, with %(doctor)s. Questions: call %(phone)s."
            ),
            action=_("View or change"),
        ),
        Kind(
            "appointment_please_move",
            Category.TRANSACTIONAL,
            _("Please choose another time"),
            _(
                "Sorry: %(doctor)s is ill and cannot see %(patient)s for %(service)s at "
                "%(clinic)s, %(time)s. Please choose another time, or call %(phone)s."
            ),
            action=_("Choose another time"),
        ),
        Kind(
            "queue_near",
            Category.TRANSACTIONAL,
            _("Almost your turn"),
            _(
                "%(number)s at %(clinic)s: %(ahead)s ahead of you, about %(minutes)s minutes. "
                "Please stay near the waiting room."
            ),
            channels=(Channel.WECHAT, Channel.INBOX),
            urgent=True,
            action=_("See the queue"),
        ),
        Kind(
            "queue_called",
            Category.TRANSACTIONAL,
            _("It is your turn"),
            _("%(number)s: please come to %(room)s at %(clinic)s (%(doctor)s)."),
            channels=(Channel.WECHAT, Channel.INBOX),
            urgent=True,
            action=_("See the queue"),
        ),
        Kind(
            "child_milestone",
            Category.REMINDER,
            _("Your child's dental milestone"),
            _("%(child)s: %(milestone)s."),
            (Channel.SMS, Channel.INBOX),
            action=_("Book now"),
        ),
        Kind(
            "waitlist_offer",
            Category.TRANSACTIONAL,
            _("A time has become free"),
            _(
                "%(service)s with %(doctor)s at %(clinic)s, %(time)s, is free for %(patient)s. "
                "It is held for you until %(until)s."
            ),
            action=_("Take it"),
        ),
        Kind(
            "emergency_request",
            Category.TRANSACTIONAL,
            _("Emergency patient nearby"),
            _("Emergency: pain %(pain)s/10, %(distance)s km from %(clinic)s. %(symptoms)s"),
            (Channel.SMS, Channel.INBOX),
            urgent=True,
            action=_("Accept in the console"),
        ),
        Kind(
            "emergency_taken",
            Category.TRANSACTIONAL,
            _("Emergency taken"),
            _("The emergency case %(case)s has been taken by another doctor. Thank you."),
            (Channel.INBOX,),
            urgent=True,
        ),
        Kind(
            "emergency_accepted",
            Category.TRANSACTIONAL,
            _("A doctor is waiting for you"),
            _(
                "%(doctor)s at %(clinic)s (%(address)s) will see %(patient)s at %(time)s. "
                "Clinic phone: %(phone)s."
            ),
            urgent=True,
        ),
        Kind(
            "emergency_unavailable",
            Category.TRANSACTIONAL,
            _("No doctor available right now"),
            _(
                "Sorry, no doctor can take your emergency at the moment. Please call "
                "%(clinic)s on %(phone)s, or go to the nearest hospital's stomatology emergency."
            ),
            urgent=True,
        ),
        Kind(
            "payment_compensated",
            Category.TRANSACTIONAL,
            _("Sorry: your payment has been refunded"),
            _(
                "Sorry: %(what)s could not go ahead (%(reason)s). Your payment of %(amount)s "
                "is on its way back to you, and we have added a compensation coupon to your "
                "account."
            ),
            (Channel.SMS, Channel.INBOX),
        ),
        Kind(
            "backup_failed",
            Category.TRANSACTIONAL,
            _("The backup failed"),
            _(
                "The backup of %(time)s failed: %(error)s. The last good backup: %(last)s. "
                "See Backups in the console."
            ),
            (Channel.SMS, Channel.INBOX),
            urgent=True,
            action=_("Open backups"),
        ),
        Kind(
            "chat_unread",
            Category.TRANSACTIONAL,
            _("A message from the clinic"),
            _("%(clinic)s has written to you in the app and is waiting for your answer."),
            (Channel.SMS, Channel.WECHAT),
            action=_("Read it"),
        ),
        Kind(
            "refund_issued",
            Category.TRANSACTIONAL,
            _("Refund issued"),
            _("%(amount)s for %(what)s is on its way back to you (%(reason)s)."),
            (Channel.INBOX,),
        ),
        Kind(
            "group_buy_confirmed",
            Category.TRANSACTIONAL,
            _("Your group-buy group is full"),
            _(
                "%(campaign)s: your group is full and confirmed. Your service voucher "
                "%(code)s is ready: book your visit with it."
            ),
            (Channel.SMS, Channel.INBOX),
            action=_("Book with the voucher"),
        ),
        Kind(
            "group_buy_dissolved",
            Category.TRANSACTIONAL,
            _("Your group-buy group did not fill"),
            _(
                "%(campaign)s: the group did not fill in time and has closed. Your payment "
                "of %(amount)s is on its way back to you."
            ),
            (Channel.SMS, Channel.INBOX),
        ),
        Kind(
            "challenge_rewarded",
            Category.TRANSACTIONAL,
            _("Check-in challenge completed"),
            _(
                "%(challenge)s: %(days)s days in a row, well done! Your reward, %(coupon)s, "
                "is in My coupons."
            ),
            (Channel.INBOX,),
            action=_("View my coupons"),
        ),
        Kind(
            "visit_survey",
            Category.TRANSACTIONAL,
            _("How was your visit?"),
            _(
                "Thank you for visiting %(clinic)s. How was %(patient)s's %(service)s? Two "
                "questions, and %(points)s points for your answer."
            ),
            (Channel.SMS, Channel.INBOX),
            action=_("Answer"),
        ),
        # CRM's campaigns and repurchase playbook (ADR 0052): promotions, so they reach only
        # people who accept offers and wait out the quiet hours. The clinic's words are
        # ``text``, passed through the advertising content check before they are kept.
        # An insurance claim moved (submitted, more documents, approved, paid, rejected).
        Kind(
            "claim_status",
            Category.TRANSACTIONAL,
            _("Your insurance claim"),
            _("%(patient)s: your claim with %(insurer)s is now: %(status)s."),
            action=_("View the claim"),
        ),
        Kind(
            "crm_campaign",
            Category.MARKETING,
            _("News from your clinic"),
            _("%(clinic)s: %(text)s"),
            action=_("Book a visit"),
        ),
        Kind(
            "crm_care_reminder",
            Category.MARKETING,
            _("A care reminder from your clinic"),
            _("%(patient)s: %(text)s (%(clinic)s)"),
            action=_("Book a visit"),
        ),
        Kind(
            "crm_birthday",
            Category.MARKETING,
            _("Happy birthday"),
            _("%(patient)s, happy birthday from %(clinic)s! %(text)s"),
            (Channel.SMS, Channel.WECHAT, Channel.INBOX),
            action=_("View my points"),
        ),
        # Instalments through a financing partner and invoices (financing, ADRs 0066, 0067).
        Kind(
            "instalment_approved",
            Category.TRANSACTIONAL,
            _("Instalments approved"),
            _("%(clinic)s: your %(months)s-month instalment plan has been approved."),
            action=_("View the schedule"),
        ),
        Kind(
            "instalment_declined",
            Category.TRANSACTIONAL,
            _("Instalments not approved"),
            _("%(clinic)s: the financing partner did not approve the instalment plan."),
            action=_("View the plan"),
        ),
        Kind(
            "instalment_due",
            Category.REMINDER,
            _("Instalment due soon"),
            _(
                "%(clinic)s: instalment %(number)s of %(months)s, %(amount)s CNY, is due on %(date)s."
            ),
            action=_("View the schedule"),
        ),
        Kind(
            "instalment_overdue",
            Category.TRANSACTIONAL,
            _("Instalment overdue"),
            _(
                "%(clinic)s: instalment %(number)s of %(months)s, %(amount)s CNY, was due on "
                "%(date)s and has not been repaid."
            ),
            action=_("View the schedule"),
        ),
        Kind(
            "invoice_issued",
            Category.TRANSACTIONAL,
            _("Invoice issued"),
            _("%(clinic)s: your electronic invoice %(number)s for %(amount)s CNY has been issued."),
            (Channel.INBOX,),
            action=_("View the invoice"),
        ),
    ]
}


def kind(name: str) -> Kind:
    return KINDS[name]
