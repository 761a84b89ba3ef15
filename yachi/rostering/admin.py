from django import forms
from django.contrib import admin

from yachi.core.dates import within_accepted_years
from yachi.rostering import services
from yachi.rostering.models import ShiftException, WeeklyShift


class RosterAdmin(admin.ModelAdmin):
    """Roster edits go through the services so that availability is refreshed."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(field, forms.DateField):
            field.validators.append(within_accepted_years)
        return field

    def delete_queryset(self, request, queryset):
        for item in queryset:
            self.delete_model(request, item)


@admin.register(WeeklyShift)
class WeeklyShiftAdmin(RosterAdmin):
    list_display = ("doctor", "clinic", "weekday", "start_time", "end_time")
    list_filter = ("clinic", "weekday", "doctor")

    def save_model(self, request, obj, form, change):
        services.weekly_shift_save(shift=obj)

    def delete_model(self, request, obj):
        services.weekly_shift_delete(shift=obj)


@admin.register(ShiftException)
class ShiftExceptionAdmin(RosterAdmin):
    list_display = ("doctor", "date", "kind", "clinic", "start_time", "end_time", "note")
    list_filter = ("kind", "clinic", "doctor")
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        services.shift_exception_save(exception=obj)

    def delete_model(self, request, obj):
        services.shift_exception_delete(exception=obj)
