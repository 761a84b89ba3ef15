from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatientsConfig(AppConfig):
    name = "yachi.patients"
    label = "patients"
    verbose_name = _("Patients")

    def ready(self):
        from yachi.patients.storage import ensure_faces_stay_local

        ensure_faces_stay_local()
