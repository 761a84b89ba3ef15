"""The rules' findings in words, for the review queue."""

from django.utils.translation import gettext as _


def reason_text(reason: dict) -> str:
    facts = reason.get("facts") or {}
    rule = reason.get("rule", "")
    if rule == "device_shared":
        return _("%(accounts)s accounts on the same device") % facts
    if rule == "address_shared":
        return _("%(accounts)s accounts from the same address in a day") % facts
    if rule == "sign_up_burst":
        return _("%(sign_ups)s sign-ups from one address within %(minutes)s minutes") % facts
    if rule == "self_referral":
        if facts.get("shared") == "device":
            return _("Inviter and invitee use the same device")
        return _("Inviter and invitee use the same address")
    if rule == "referral_ring":
        return _("A ring of %(size)s accounts inviting each other") % facts
    if rule == "virtual_number":
        return _("Virtual-operator number (%(prefix)s)") % facts
    if rule == "check_in_scripted":
        return (
            _("%(check_ins)s check-ins within %(spread_seconds)s seconds of the same time each day")
            % facts
        )
    if rule == "check_in_night":
        return _("%(at_night)s of %(check_ins)s check-ins between 1 and 5 at night") % facts
    if rule == "reward_velocity":
        return _("%(rewards)s rewards within a day") % facts
    return rule


def reasons_text(reasons: list[dict]) -> list[tuple[str, int]]:
    return [(reason_text(r), int(r.get("score", 0))) for r in reasons]
