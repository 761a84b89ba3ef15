from django.contrib import admin

from yachi.patients.models import FamilyAccount, Patient


class PatientInline(admin.TabularInline):
    model = Patient
    extra = 0
    fields = ("seat", "relationship", "name", "gender", "birth_date", "removed_at")
    readonly_fields = ("seat", "removed_at")


@admin.register(FamilyAccount)
class FamilyAccountAdmin(admin.ModelAdmin):
    list_display = ("owner", "created_at")
    # Numbers are encrypted: a search finds a whole one through its index.
    search_fields = ("owner__phone_index__matches", "owner__name", "members__name")
    readonly_fields = ("owner",)
    inlines = [PatientInline]

    def has_add_permission(self, request):
        return False
