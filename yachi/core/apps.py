from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yachi.core"
    label = "core"
    verbose_name = "Core"
