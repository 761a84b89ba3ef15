"""Start-up checks (Django's system checks, run by every command, ``yachi serve``
included): compliance's settings, and nothing that asks the database to search or sort
ciphertext.

Encrypted fields refuse lookups at query time (``fields.py``), but a search box or a
sortable column fails only when someone uses it, and ordering by an encrypted column
does not fail at all: it silently sorts random bytes. So at start every model with an
encrypted field must use ``EncryptedQuerySet`` (which refuses such an ordering), and
every registered admin must search through blind indexes (``phone_index__matches``)
and name no encrypted field in its ordering, filters or sortable columns.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core import checks

from yachi.compliance.fields import EncryptedFieldMixin, EncryptedQuerySet, refers_to_encrypted


@checks.register(checks.Tags.security)
def checkpoints_kept_apart(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """In production, checkpoints beside the database protect it from nobody who holds
    the machine: whoever can rewrite the database can rewrite them too."""
    if not settings.PRODUCTION:
        return []
    data_dir = Path(settings.DATA_DIR).resolve()
    if not settings.YACHI_AUDIT_CHECKPOINT_FILE.resolve().is_relative_to(data_dir):
        return []
    return [
        checks.Warning(
            f"the audit checkpoints are written inside the data directory ({data_dir}), "
            "beside the database they anchor",
            hint="Point YACHI_AUDIT_CHECKPOINT_FILE at another disk or host, or ship the "
            "file or the yachi.audit.checkpoints log off the machine (ADR 0017).",
            id="compliance.W001",
        )
    ]


@checks.register(checks.Tags.models)
def check_encrypted_models(app_configs=None, **kwargs) -> list[checks.Error]:
    return [error for model in apps.get_models() for error in queryset_errors(model)]


def queryset_errors(model) -> list[checks.Error]:
    encrypted = any(isinstance(f, EncryptedFieldMixin) for f in model._meta.concrete_fields)
    if not encrypted or isinstance(model._default_manager.get_queryset(), EncryptedQuerySet):
        return []
    return [
        checks.Error(
            f"{model._meta.label} has encrypted fields, but its default manager's queryset "
            "would let code order by them.",
            hint="objects = EncryptedQuerySet.as_manager() (or a manager built from a "
            "subclass of it).",
            obj=model,
            id="compliance.E006",
        )
    ]


@checks.register(checks.Tags.admin)
def check_admin_pages(app_configs=None, *, registry=None, **kwargs) -> list[checks.Error]:
    errors = []
    registry = admin.site._registry if registry is None else registry
    for model, model_admin in registry.items():
        for path in model_admin.search_fields or ():
            if refers_to_encrypted(model, str(path)):
                errors.append(
                    checks.Error(
                        f"search_fields names the encrypted field {path!r}: the database "
                        "cannot look inside ciphertext.",
                        hint="Search its blind index instead: '<index field>__matches'.",
                        obj=model_admin.__class__,
                        id="compliance.E004",
                    )
                )
        # A list column that is a model field can be sorted by editing the URL
        # (?o=1), whatever sortable_by says: encrypted ones are shown by a method.
        named = {
            "ordering": model_admin.ordering or (),
            "list_filter": [item for item in model_admin.list_filter if isinstance(item, str)],
            "list_display": [item for item in model_admin.list_display if isinstance(item, str)],
        }
        for option, paths in named.items():
            for path in paths:
                if refers_to_encrypted(model, str(path)):
                    errors.append(
                        checks.Error(
                            f"{option} names the encrypted field {path!r}: the database "
                            "would sort or filter ciphertext.",
                            hint="Leave it out; show an encrypted column through a method "
                            "(@admin.display without ordering).",
                            obj=model_admin.__class__,
                            id="compliance.E005",
                        )
                    )
    return errors
