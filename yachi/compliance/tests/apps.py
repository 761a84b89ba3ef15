from django.apps import AppConfig


class ComplianceTestsConfig(AppConfig):
    """Models that carry encrypted fields, installed by ``config/settings_test.py`` only."""

    name = "yachi.compliance.tests"
    label = "compliance_tests"
