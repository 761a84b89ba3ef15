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
        # Who answers a clinic's conversations (messaging stands beneath clinics).
        from yachi.clinics import chat
        from yachi.messaging.facade import register_chat_clinics

        register_chat_clinics(
            clinic_by_public_id=chat.clinic_by_public_id,
            clinics_open=chat.clinics_open,
            clinics_by_pk=chat.clinics_by_pk,
            may=chat.may_at,
            clinics_where=chat.clinics_where_duty,
            staff_names=chat.staff_names,
            colleagues=chat.colleagues,
        )
