from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "yachi.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from yachi.accounts.privacy import PERSONAL_DATA
        from yachi.accounts.selectors import staff_labels, user_id_by_phone, user_names
        from yachi.compliance.facade import (
            register_actor_lookup,
            register_object_labels,
            register_personal_data,
        )

        register_personal_data(PERSONAL_DATA)
        register_actor_lookup(names=user_names, by_phone=user_id_by_phone)
        register_object_labels("user", staff_labels)
