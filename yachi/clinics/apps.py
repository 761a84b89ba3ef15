from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicsConfig(AppConfig):
    name = "yachi.clinics"
    label = "clinics"
    verbose_name = _("Clinics")

    def ready(self):
        from yachi.accounts.facade import register_profile_part, register_roles_held
        from yachi.clinics.registrations import acting_role, audit_scope, profile_part, roles_held
        from yachi.compliance.facade import register_acting_role, register_audit_scope

        register_profile_part(profile_part)
        register_roles_held(roles_held)
        register_audit_scope(audit_scope)
        register_acting_role(acting_role)
