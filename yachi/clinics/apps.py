from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicsConfig(AppConfig):
    name = "yachi.clinics"
    label = "clinics"
    verbose_name = _("Clinics")

    def ready(self):
        from yachi.accounts.facade import register_profile_part
        from yachi.clinics.registrations import audit_scope, profile_part
        from yachi.compliance.facade import register_audit_scope

        register_profile_part(profile_part)
        register_audit_scope(audit_scope)
