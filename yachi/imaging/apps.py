from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagingConfig(AppConfig):
    name = "yachi.imaging"
    label = "imaging"
    verbose_name = _("Imaging")

    def ready(self):
        from yachi.imaging.storage import ensure_images_stay_local

        ensure_images_stay_local()

        from yachi.clinical import facade as clinical
        from yachi.imaging.caries.risk import risk_marks

        # Doctors' confirmed caries marks colour the chart's risk heat map (ADR 0061).
        clinical.register_risk_marks(risk_marks)
