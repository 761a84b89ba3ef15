from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "yachi.demo"
    label = "demo"
    verbose_name = "Demo data"
