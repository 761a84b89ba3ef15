from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yachi.clinics import services
from yachi.clinics.models import (
    Chain,
    Chair,
    Clinic,
    Doctor,
    DoctorSkill,
    OpeningHours,
    Service,
    StaffMembership,
)
from yachi.compliance.facade import AuditAction, audit_record


@admin.register(Chain)
class ChainAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en")


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0
    fields = (
        "code",
        "name",
        "name_en",
        "duration_minutes",
        "price_fen",
        "required_skill",
        "is_active",
    )


class StaffInline(admin.TabularInline):
    model = StaffMembership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ("name", "address", "phone", "is_active")
    list_filter = ("is_active", "chain")
    search_fields = ("name", "name_en", "address")
    inlines = [OpeningHoursInline, ServiceInline, StaffInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not StaffMembership:
            return super().save_formset(request, form, formset, change)
        before = set(form.instance.memberships.values_list("user_id", flat=True))
        super().save_formset(request, form, formset, change)
        after = set(form.instance.memberships.values_list("user_id", flat=True))
        if before != after:
            audit_record(
                action=AuditAction.PERMISSION_CHANGED,
                actor=request.user,
                object_type="clinic_staff",
                object_id=form.instance.public_id,
                clinic=form.instance,
                details={"added": sorted(after - before), "removed": sorted(before - after)},
            )
        return None

    fieldsets = (
        (None, {"fields": ("chain", "name", "name_en", "address", "phone", "is_active")}),
        (_("Location"), {"fields": ("latitude", "longitude", "timezone")}),
        (
            _("Booking policy"),
            {
                "fields": (
                    "slot_step_minutes",
                    "booking_lead_minutes",
                    "cancel_cutoff_hours",
                    "max_reschedules",
                )
            },
        ),
    )


@admin.register(Chair)
class ChairAdmin(admin.ModelAdmin):
    """Chairs are the clinic's capacity: changes go through the service so that
    availability is refreshed."""

    list_display = ("name", "clinic", "is_active")
    list_filter = ("clinic", "is_active")

    def save_model(self, request, obj, form, change):
        services.chair_save(chair=obj)

    def delete_model(self, request, obj):
        services.chair_delete(chair=obj)

    def delete_queryset(self, request, queryset):
        for chair in queryset:
            services.chair_delete(chair=chair)


class SkillInline(admin.TabularInline):
    model = DoctorSkill
    extra = 0


@admin.register(Doctor)
class DoctorAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "is_active")
    list_filter = ("title", "is_active", "clinics")
    search_fields = ("name", "user__phone_index__matches")
    filter_horizontal = ("clinics",)
    autocomplete_fields = ("user",)
    inlines = [SkillInline]

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.clinics.values_list("public_id", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.clinics.values_list("public_id", flat=True))
        if before != after:
            audit_record(
                action=AuditAction.PERMISSION_CHANGED,
                actor=request.user,
                object_type="doctor_clinics",
                object_id=form.instance.public_id,
                details={
                    "added": sorted(map(str, after - before)),
                    "removed": sorted(map(str, before - after)),
                },
            )


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "clinic",
        "duration_minutes",
        "price_fen",
        "required_skill",
        "is_active",
    )
    list_filter = ("clinic", "required_skill", "is_active")
    search_fields = ("name", "name_en", "code")
