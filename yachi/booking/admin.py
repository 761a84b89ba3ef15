from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yachi.booking.models import Appointment


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    """Read-only: appointments change through the console, where the rules are applied."""

    list_display = (
        "start",
        "patient_name",
        "service",
        "doctor",
        "chair",
        "clinic",
        "status",
        "channel",
    )
    list_filter = ("status", "channel", "clinic", "doctor")
    # Names and numbers are encrypted: a search finds a whole one through its index.
    search_fields = (
        "patient__name_index__matches",
        "patient__account__owner__phone_index__matches",
    )
    date_hierarchy = "start"
    list_select_related = ("patient", "service", "doctor", "chair", "clinic")

    @admin.display(description=_("patient"))
    def patient_name(self, appointment):
        return appointment.patient.display_name

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
