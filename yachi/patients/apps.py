from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatientsConfig(AppConfig):
    name = "yachi.patients"
    label = "patients"
    verbose_name = _("Patients")

    def ready(self):
        from yachi.accounts.facade import register_patient_opener, register_profile_part
        from yachi.compliance.facade import register_object_labels, register_personal_data
        from yachi.core.pages import register_patient_gate
        from yachi.patients.privacy.consents import privacy_policy_gate
        from yachi.patients.privacy.personal_data import PERSONAL_DATA
        from yachi.patients.selectors import patient_labels, patient_user_labels, profile_part
        from yachi.patients.services import patient_user_opened
        from yachi.patients.storage import ensure_faces_stay_local

        ensure_faces_stay_local()
        register_patient_gate(privacy_policy_gate)
        register_personal_data(PERSONAL_DATA)
        register_object_labels("patient", patient_labels)
        register_object_labels("user", patient_user_labels)
        register_profile_part(profile_part)
        register_patient_opener(patient_user_opened)
        # Who is on a family account, for its conversations (messaging stands beneath).
        from yachi.messaging.facade import register_chat_families
        from yachi.patients import chat

        register_chat_families(
            member_of=chat.member_of, members_of=chat.members_of, names=chat.names
        )
