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
        from yachi.compliance.facade import register_object_labels
        from yachi.imaging.labels import study_labels

        register_object_labels("study", study_labels)

        from yachi.compliance.facade import register_personal_data
        from yachi.imaging.privacy import PERSONAL_DATA

        register_personal_data(PERSONAL_DATA)

        from yachi.imaging.privacy import latest_records
        from yachi.patients import facade as patients_facade

        # Whoever has a finding or an X-ray keeps their name in the record after erasure.
        patients_facade.register_record_source(latest_records)

        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from yachi.imaging.archive.dicomweb import check_url

        if settings.YACHI_PACS_URL:
            try:
                check_url(settings.YACHI_PACS_URL)
            except ValueError as error:
                raise ImproperlyConfigured(str(error)) from error
