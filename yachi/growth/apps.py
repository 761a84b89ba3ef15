from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrowthConfig(AppConfig):
    name = "yachi.growth"
    label = "growth"
    verbose_name = _("Coupons and points")

    def ready(self):
        from yachi.compliance.facade import register_object_labels
        from yachi.growth.selectors import template_labels

        register_object_labels("growth.template", template_labels)

        # Referrals and anti-fraud: the sign-up's invitation and device; keyed hashes of
        # devices and addresses; how a held referral reward is paid once approved.
        from yachi.accounts.facade import register_sign_in_step
        from yachi.compliance.facade import register_blind_index
        from yachi.growth.referrals import services as referral_services  # noqa: F401
        from yachi.growth.referrals.signup import on_sign_in

        for purpose in ("growth.device", "growth.ip", "growth.network"):
            register_blind_index(purpose=purpose, normalize=None, owner="growth.fraud")
        register_sign_in_step(on_sign_in)

        # Channel attribution: a signed-in patient whose browser touched a tracked link
        # becomes that visitor (ADR 0049).
        from yachi.core.pages import register_patient_gate
        from yachi.growth.attribution.views import identify_visitor_gate

        register_patient_gate(identify_visitor_gate)
