from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagingConfig(AppConfig):
    name = "yachi.imaging"
    label = "imaging"
    verbose_name = _("Imaging")

    def ready(self):
        from yachi.imaging.storage import ensure_images_stay_local

        ensure_images_stay_local()

        from yachi.compliance.facade import register_object_labels
        from yachi.imaging.labels import study_labels

        register_object_labels("study", study_labels)

        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from yachi.imaging.archive.dicomweb import check_url

        if settings.YACHI_PACS_URL:
            try:
                check_url(settings.YACHI_PACS_URL)
            except ValueError as error:
                raise ImproperlyConfigured(str(error)) from error
