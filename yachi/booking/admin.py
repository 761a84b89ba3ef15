from django.contrib import admin

from yachi.booking.models import Appointment


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    """Read-only: appointments change through the console, where the rules are applied."""

    list_display = ("start", "patient", "service", "doctor", "chair", "clinic", "status", "channel")
    list_filter = ("status", "channel", "clinic", "doctor")
    # Numbers are encrypted: a search finds a whole one through its index.
    search_fields = ("patient__name", "patient__account__owner__phone_index__matches")
    date_hierarchy = "start"
    list_select_related = ("patient", "service", "doctor", "chair", "clinic")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
