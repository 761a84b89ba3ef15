from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import SetPasswordMixin
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from yachi.accounts import staff_auth, tokencache
from yachi.accounts.models import ApiToken, User
from yachi.accounts.phones import normalize_phone
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import DomainError


class UserCreationForm(SetPasswordMixin, forms.ModelForm):
    password1, password2 = SetPasswordMixin.create_password_fields()

    class Meta:
        model = User
        fields = ("phone", "name", "role")

    def clean_phone(self):
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from exc

    def clean(self):
        self.validate_passwords()
        return super().clean()

    def save(self, commit=True):
        user = super().save(commit=False)
        user = self.set_password_and_save(user, commit=commit)
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Numbers and names are encrypted: a search finds a whole number or a whole name
    (through their blind indexes), and those columns cannot be sorted."""

    add_form = UserCreationForm
    list_display = ("mobile_number", "full_name", "role", "is_active", "date_joined", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("phone_index__matches", "name_index__matches")
    ordering = ("role", "-date_joined")
    readonly_fields = ("date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("phone", "password")}),
        (_("Profile"), {"fields": ("name", "role", "is_active", "is_superuser")}),
        (_("History"), {"fields": ("date_joined", "last_login")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("phone", "name", "role", "password1", "password2")},
        ),
    )
    filter_horizontal = ()
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset two-step login"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        """For a member who lost the phone with their authenticator app: the factor is
        switched off (audited) and their sessions end; a role that requires one sets up
        a new app at the next login."""
        members = list(queryset.filter(totp_confirmed_at__isnull=False))
        for member in members:
            staff_auth.totp_reset(actor=request.user, user=member)
        self.message_user(
            request,
            ngettext(
                "Two-step login was reset for %(count)d account.",
                "Two-step login was reset for %(count)d accounts.",
                len(members),
            )
            % {"count": len(members)},
        )

    # Methods, not fields: a column of ciphertext cannot be sorted, even from the URL.
    @admin.display(description=_("mobile number"))
    def mobile_number(self, user):
        return user.phone

    @admin.display(description=_("name"))
    def full_name(self, user):
        return user.name

    def user_change_password(self, request, id, form_url=""):
        """Django's own page; the new password is recorded and audited with it."""
        user = self.get_object(request, unquote(id))
        previous = user.password if user else ""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            changed = request.method == "POST" and response.status_code == 302
            if changed and user is not None:
                user.refresh_from_db(fields=["password"])
                if user.password != previous:
                    staff_auth.password_set_by_administrator(
                        actor=request.user, user=user, previous_hash=previous
                    )
        return response

    def save_model(self, request, obj, form, change):
        before = {}
        if change:
            before = (
                User.objects.filter(pk=obj.pk).values("role", "is_active", "is_superuser").first()
            )
        super().save_model(request, obj, form, change)
        if change:
            if before and before["role"] != obj.role:
                # Tokens state their user's role (ADR 0034): a new role needs a new login.
                ApiToken.objects.filter(user_id=obj.pk, revoked_at__isnull=True).update(
                    revoked_at=timezone.now()
                )
            # A deactivation or a new role holds for the user's tokens at once.
            tokencache.forget_user(obj.pk)
        after = {"role": obj.role, "is_active": obj.is_active, "is_superuser": obj.is_superuser}
        if before != after:
            audit_record(
                action=AuditAction.PERMISSION_CHANGED,
                actor=request.user,
                object_type="user",
                object_id=obj.public_id,
                details={"before": before, "after": after},
            )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are listed for revocation; they are issued with `yachi token` or by logging in."""

    list_display = ("user", "label", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("label",)
    search_fields = ("user__phone_index__matches", "user__name_index__matches")
    readonly_fields = ("user", "digest", "label", "created_at", "expires_at", "last_used_at")
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    actions = ["revoke"]

    # A token revoked here is refused at once by every process.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        tokencache.forget([obj.digest])

    # Revoked, never deleted: a process that starts later learns of a revocation from
    # the row (ADR 0034); the purge deletes rows long after they expire.
    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke"), permissions=["change"])
    def revoke(self, request, queryset):
        digests = list(queryset.filter(revoked_at__isnull=True).values_list("digest", flat=True))
        ApiToken.objects.filter(digest__in=digests).update(revoked_at=timezone.now())
        tokencache.forget(digests)
