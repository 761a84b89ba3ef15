from django.contrib import admin

from yachi.accounts.admin_search import PhoneSearchMixin
from yachi.booking.models import Appointment


@admin.register(Appointment)
class AppointmentAdmin(PhoneSearchMixin, admin.ModelAdmin):
    """Read-only: appointments change through the console, where the rules are applied."""

    list_display = ("start", "patient", "service", "doctor", "chair", "clinic", "status", "channel")
    list_filter = ("status", "channel", "clinic", "doctor")
    search_fields = ("patient__name",)
    phone_index_lookup = "patient__account__owner__phone_index"
    date_hierarchy = "start"
    list_select_related = ("patient", "service", "doctor", "chair", "clinic")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
