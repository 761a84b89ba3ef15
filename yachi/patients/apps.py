from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatientsConfig(AppConfig):
    name = "yachi.patients"
    label = "patients"
    verbose_name = _("Patients")

    def ready(self):
        from yachi.core.pages import register_patient_gate
        from yachi.patients.consents import privacy_policy_gate
        from yachi.patients.storage import ensure_faces_stay_local

        ensure_faces_stay_local()
        register_patient_gate(privacy_policy_gate)
