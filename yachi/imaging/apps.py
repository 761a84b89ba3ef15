from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagingConfig(AppConfig):
    name = "yachi.imaging"
    label = "imaging"
    verbose_name = _("Imaging")

    def ready(self):
        from yachi.imaging.storage import ensure_images_stay_local

        ensure_images_stay_local()
