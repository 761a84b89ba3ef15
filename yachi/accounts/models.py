import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from yachi.accounts.names import NAME_NORMALIZER, NAME_PURPOSE
from yachi.compliance.facade import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedQuerySet,
    blind_index,
)
from yachi.core.roles import STAFF_ROLES, Role

PHONE_NORMALIZER = "yachi.accounts.phones.normalize_phone"


class UserQuerySet(EncryptedQuerySet):
    def by_phone(self, phone: str):
        """Users with this mobile number, found through its blind index."""
        return self.filter(phone_index=blind_index("phone", phone))


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.by_phone(username).get()

    def create_user(self, phone, password=None, **fields):
        user = self.model(phone=phone, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, phone, password=None, **fields):
        fields.update(role=Role.ADMIN, is_superuser=True)
        return self.create_user(phone, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in: patients by SMS code, staff by password."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Encrypted at rest; found by its blind index (docs/adr/0007).
    phone = EncryptedCharField(_("mobile number"), max_length=11)
    phone_index = BlindIndexField(
        source="phone", purpose="phone", normalize=PHONE_NORMALIZER, unique=True
    )
    # Encrypted too; found only by the whole name, through its blind index (ADR 0018).
    name = EncryptedCharField(_("name"), max_length=64, blank=True)
    name_index = BlindIndexField(
        source="name", purpose=NAME_PURPOSE, normalize=NAME_NORMALIZER, blank=True
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PATIENT)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    # Bumped by "log out everywhere": every session signed with the old value dies.
    session_epoch = models.PositiveIntegerField(default=0)
    totp_secret = EncryptedCharField(max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last accepted time step, so that one code cannot be used twice.
    totp_last_step = models.BigIntegerField(default=0)
    # The mini-program user this account is bound to (WeChat subscribe messages).
    wechat_openid = models.CharField(max_length=64, null=True, blank=True, unique=True)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        # Never the name or the number: a __str__ is copied in clear into the admin's
        # change log and other places (ADR 0007). Pages show display_name.
        return f"{self.get_role_display()} {str(self.public_id)[:8]}"

    @property
    def display_name(self) -> str:
        return self.name or self.phone

    def _get_session_auth_hash(self, secret=None):
        return salted_hmac(
            "yachi.accounts.User.session",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def has_totp(self) -> bool:
        return self.totp_confirmed_at is not None

    @property
    def is_staff(self) -> bool:
        """Django admin (master data) is for chain administrators only."""
        return self.role == Role.ADMIN

    @property
    def is_clinic_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    # How the owner names a token when listing or revoking it; never the secret.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=32)
    # The device it was issued to, as its browser or app described itself (shortened).
    device = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.label} token of {self.user_id}"


class SmsCode(models.Model):
    """A one-time login code sent by SMS. Only a keyed digest of the code is stored."""

    phone = EncryptedCharField(max_length=11)
    phone_index = BlindIndexField(source="phone", purpose="phone", normalize=PHONE_NORMALIZER)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True, blank=True)
    sent = models.BooleanField(default=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["phone_index", "-created_at"], name="smscode_phone_recent")]

    def __str__(self) -> str:
        return f"code {self.pk} at {self.created_at:%Y-%m-%d %H:%M}"


class PasswordHistory(models.Model):
    """Earlier password hashes of a staff member, so that recent ones are not reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_recent")]

    def __str__(self) -> str:
        return f"password of {self.user_id} set {self.created_at:%Y-%m-%d}"


class LoginFailure(models.Model):
    """One failed login (wrong password, code or second factor), kept briefly.

    Lockout and per-address limits count these rows. The phone is stored only as a
    keyed digest, so the table reveals no numbers, and failures for numbers that have
    no account are counted the same way, so lockout cannot tell which numbers exist.
    """

    class Kind(models.TextChoices):
        PASSWORD = "password", _("Password")
        SMS_CODE = "sms_code", _("SMS code")
        TOTP = "totp", _("Authenticator code")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    phone_key = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["phone_key", "-created_at"], name="login_failure_phone"),
            models.Index(fields=["ip", "-created_at"], name="login_failure_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} failure at {self.created_at:%Y-%m-%d %H:%M}"
