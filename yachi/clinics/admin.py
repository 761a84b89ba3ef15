from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yachi.clinics import services
from yachi.clinics.events import ClinicChanged, DoctorChanged
from yachi.clinics.models import (
    Chain,
    ChainAssignment,
    Chair,
    Clinic,
    Doctor,
    DoctorSkill,
    Material,
    OpeningHours,
    Service,
    StaffMembership,
)
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.events import publish
from yachi.core.roles import ChainRole


class AnnouncedAdmin(admin.ModelAdmin):
    """Announces every save (with its inlines) and deletion, so that availability and
    what booking remembers of a clinic, a service or a doctor follow at once."""

    def announce(self, obj) -> None:
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.announce(form.instance)

    def delete_model(self, request, obj):
        self.announce(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # The list's bulk delete runs outside the admin's own transaction: the events
        # must wait for the deletion's commit.
        with transaction.atomic(using=queryset.db):
            for obj in queryset:
                self.announce(obj)
            super().delete_queryset(request, queryset)


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
        "kind",
        "is_active",
    )


class StaffInline(admin.TabularInline):
    """Who works here and as what: front desk or manager (doctors through their page)."""

    model = StaffMembership
    extra = 0
    fields = ("user", "role")
    autocomplete_fields = ("user",)


@admin.register(Clinic)
class ClinicAdmin(AnnouncedAdmin):
    list_display = ("name", "address", "phone", "is_active")
    list_filter = ("is_active", "chain")
    search_fields = ("name", "name_en", "address")
    inlines = [OpeningHoursInline, ServiceInline, StaffInline]

    def announce(self, obj) -> None:
        publish(ClinicChanged(clinic_id=obj.pk))

    def save_formset(self, request, form, formset, change):
        if formset.model is not StaffMembership:
            return super().save_formset(request, form, formset, change)
        before = dict(form.instance.memberships.values_list("user_id", "role"))
        super().save_formset(request, form, formset, change)
        after = dict(form.instance.memberships.values_list("user_id", "role"))
        if before != after:
            audit_record(
                action=AuditAction.PERMISSION_CHANGED,
                actor=request.user,
                object_type="clinic_staff",
                object_id=form.instance.public_id,
                clinic=form.instance,
                details={
                    "added": sorted(set(after) - set(before)),
                    "removed": sorted(set(before) - set(after)),
                    "roles": {
                        str(user_id): role
                        for user_id, role in after.items()
                        if before.get(user_id) != role
                    },
                },
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


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    """Every membership with its role, to find a person's clinics (front desk at one,
    manager at another) in one list."""

    list_display = ("person", "clinic", "role")
    list_filter = ("role", "clinic")
    list_select_related = ("user", "clinic")
    actions = None  # one by one, so that each change is audited
    fields = ("user", "clinic", "role")
    autocomplete_fields = ("user",)

    @admin.display(description=_("name"))
    def person(self, obj) -> str:
        # On the page only: __str__ never holds a name (it is copied into the change log).
        return obj.user.display_name

    def _audit(self, request, obj, role):
        audit_record(
            action=AuditAction.PERMISSION_CHANGED,
            actor=request.user,
            object_type="clinic_staff",
            object_id=obj.clinic.public_id,
            clinic=obj.clinic,
            details={"user": obj.user_id, "role": role},
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._audit(request, obj, obj.role)

    def delete_model(self, request, obj):
        self._audit(request, obj, "")
        super().delete_model(request, obj)


class ChainAssignmentForm(forms.ModelForm):
    class Meta:
        model = ChainAssignment
        fields = ("user", "chain", "role", "clinics")

    def clean(self):
        data = super().clean()
        chain, role, covered = data.get("chain"), data.get("role"), data.get("clinics")
        if role == ChainRole.REGIONAL_MANAGER and chain is not None:
            if not covered:
                raise forms.ValidationError(_("A regional manager covers at least one clinic."))
            if any(clinic.chain_id != chain.pk for clinic in covered):
                raise forms.ValidationError(
                    _("A regional manager covers clinics of this chain only.")
                )
        if role == ChainRole.CHAIN_OPERATIONS:
            data["clinics"] = []  # every clinic of the chain, listed or not
        return data


@admin.register(ChainAssignment)
class ChainAssignmentAdmin(admin.ModelAdmin):
    """Regional managers over some clinics of a chain, chain operations over all of them."""

    form = ChainAssignmentForm

    @admin.display(description=_("name"))
    def person(self, obj) -> str:
        return obj.user.display_name

    actions = None  # one by one, so that each change is audited
    list_display = ("person", "chain", "role")
    list_filter = ("chain", "role")
    list_select_related = ("user", "chain")
    autocomplete_fields = ("user",)
    filter_horizontal = ("clinics",)

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.clinics.values_list("public_id", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.clinics.values_list("public_id", flat=True))
        audit_record(
            action=AuditAction.PERMISSION_CHANGED,
            actor=request.user,
            object_type="chain_role",
            object_id=form.instance.user.public_id,
            details={
                "role": form.instance.role,
                "chain": str(form.instance.chain.public_id),
                "added": sorted(map(str, after - before)),
                "removed": sorted(map(str, before - after)),
            },
        )

    def delete_model(self, request, obj):
        audit_record(
            action=AuditAction.PERMISSION_CHANGED,
            actor=request.user,
            object_type="chain_role",
            object_id=obj.user.public_id,
            details={"role": obj.role, "chain": str(obj.chain.public_id), "removed": "all"},
        )
        super().delete_model(request, obj)


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
class DoctorAdmin(AnnouncedAdmin):
    list_display = ("name", "title", "is_active")
    list_filter = ("title", "is_active", "clinics")
    search_fields = ("name", "user__phone_index__matches")
    filter_horizontal = ("clinics",)
    autocomplete_fields = ("user",)
    inlines = [SkillInline]

    def announce(self, obj) -> None:
        publish(DoctorChanged(doctor_id=obj.pk))

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
class ServiceAdmin(AnnouncedAdmin):
    list_display = (
        "name",
        "clinic",
        "duration_minutes",
        "price_fen",
        "required_skill",
        "kind",
        "is_active",
    )
    list_filter = ("clinic", "required_skill", "kind", "is_active")
    search_fields = ("name", "name_en", "code")

    def save_model(self, request, obj, form, change):
        # A service moved to another clinic changes what both clinics offer.
        previous = Service.objects.filter(pk=obj.pk).values_list("clinic_id", flat=True).first()
        super().save_model(request, obj, form, change)
        if previous not in (None, obj.clinic_id):
            publish(ClinicChanged(clinic_id=previous))

    def announce(self, obj) -> None:
        publish(ClinicChanged(clinic_id=obj.clinic_id))


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "chain", "clinic", "unit", "price_fen", "is_active")
    list_filter = ("chain", "clinic", "is_active")
    search_fields = ("name", "name_en", "code")
