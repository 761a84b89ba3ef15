from django.apps import AppConfig


class TestDatabasesConfig(AppConfig):
    """The test databases' own commands (``flush``), installed by ``config/settings_test.py``."""

    name = "tests.db"
    label = "test_databases"
