from django.contrib import admin

from yachi.compliance.models import DataKey


@admin.register(DataKey)
class DataKeyAdmin(admin.ModelAdmin):
    """Which data keys exist and which master key wraps each: the state of a rotation.

    Read-only: keys are created on first use and rotated with ``yachi rotate_data_key``
    and ``yachi rotate_master_key``.
    """

    list_display = ("id", "master_key_id", "is_current", "created_at", "retired_at")
    list_filter = ("is_current", "master_key_id")
    fields = ("id", "master_key_id", "is_current", "created_at", "retired_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
