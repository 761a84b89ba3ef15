"""The rules every clinic starts with (made the first time its playbook is run or opened;
each clinic then edits its own)."""

from django.utils.translation import gettext_lazy as _

from yachi.crm.playbook.choices import Action, Trigger

DEFAULT_RULES = [
    {
        "code": "cleaning_recall",
        "name": _("Cleaning recall after 180 days"),
        "trigger": Trigger.AFTER_SERVICE,
        "service_codes": ["cleaning"],
        "days_after": 180,
        "none_booked_since": True,
        "action": Action.MESSAGE_COUPON,
        "text": _(
            "it has been half a year since your last cleaning. A cleaning coupon at 30 percent "
            "off (洁牙7折券) is waiting in My coupons."
        ),
    },
    {
        "code": "implant_maintenance",
        "name": _("Implant maintenance every year"),
        "trigger": Trigger.AFTER_SERVICE,
        "service_codes": ["implant"],
        "days_after": 365,
        "repeat_days": 365,
        "action": Action.MESSAGE,
        "text": _(
            "a year has passed since your implant. A yearly check and professional cleaning "
            "keep it healthy: book your maintenance visit."
        ),
    },
    {
        "code": "extraction_follow_up",
        "name": _("Follow-up call 3 days after an extraction or root canal"),
        "trigger": Trigger.AFTER_SERVICE,
        "service_codes": ["extraction", "wisdom_tooth_extraction", "root_canal"],
        "days_after": 3,
        "action": Action.FOLLOW_UP,
        "script": _(
            "Hello, this is the clinic calling about your treatment three days ago. "
            "1. How do you feel: any pain, swelling or bleeding? "
            "2. Are you taking the medicine as advised? "
            "3. Remind them: soft food, no smoking, rinse gently; come back at once for "
            "fever or swelling that grows. 4. Offer the review visit if one is due."
        ),
    },
    {
        "code": "birthday",
        "name": _("Birthday greeting with points"),
        "trigger": Trigger.BIRTHDAY,
        "action": Action.POINTS,
        "points": 200,
        "text": _("200 points are in your account as our gift."),
    },
]
