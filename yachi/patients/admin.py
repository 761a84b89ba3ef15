from django.contrib import admin

from yachi.accounts.admin_search import PhoneSearchMixin
from yachi.patients.models import FamilyAccount, Patient


class PatientInline(admin.TabularInline):
    model = Patient
    extra = 0
    fields = ("seat", "relationship", "name", "gender", "birth_date", "removed_at")
    readonly_fields = ("seat", "removed_at")


@admin.register(FamilyAccount)
class FamilyAccountAdmin(PhoneSearchMixin, admin.ModelAdmin):
    list_display = ("owner", "created_at")
    search_fields = ("owner__name", "members__name")
    phone_index_lookup = "owner__phone_index"
    readonly_fields = ("owner",)
    inlines = [PatientInline]

    def has_add_permission(self, request):
        return False
