from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yachi.patients.models import FamilyAccount, Patient


class PatientInline(admin.TabularInline):
    model = Patient
    extra = 0
    fields = ("seat", "relationship", "name", "gender", "birth_date", "removed_at")
    readonly_fields = ("seat", "removed_at")


@admin.register(FamilyAccount)
class FamilyAccountAdmin(admin.ModelAdmin):
    list_display = ("holder_name", "acquisition", "created_at")
    list_filter = ("acquisition",)
    # Names and numbers are encrypted: a search finds a whole one through its index.
    search_fields = (
        "owner__phone_index__matches",
        "owner__name_index__matches",
        "members__name_index__matches",
    )
    readonly_fields = ("owner",)
    inlines = [PatientInline]
    list_select_related = ("owner",)

    @admin.display(description=_("account holder"))
    def holder_name(self, account):
        return account.owner.display_name

    def has_add_permission(self, request):
        return False
