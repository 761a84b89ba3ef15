from django.contrib import admin

from yachi.growth.models import Coupon, CouponTemplate, PointsEntry


@admin.register(CouponTemplate)
class CouponTemplateAdmin(admin.ModelAdmin):
    """Read-only: templates are edited in the console, where the rules are checked."""

    list_display = ("name", "kind", "applies_to", "issued_count", "total_quantity", "active")
    list_filter = ("kind", "applies_to", "active")
    search_fields = ("name", "name_en")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = ("code", "template", "status", "expires_at", "created_at")
    list_filter = ("status", "template")
    search_fields = ("code",)
    list_select_related = ("template",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PointsEntry)
class PointsEntryAdmin(admin.ModelAdmin):
    """The ledger is append-only: nothing here can change it."""

    list_display = ("created_at", "user", "delta", "reason", "balance_after", "reference")
    list_filter = ("reason",)
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
