from yachi.accounts.phones import normalize_phone
from yachi.compliance.facade import blind_index
from yachi.core.errors import DomainError


class PhoneSearchMixin:
    """Admin search by mobile number, through its blind index.

    Numbers are encrypted, so ``icontains`` cannot look inside them; a search term that
    is a whole mobile number finds its owner exactly, and other terms search the
    ordinary ``search_fields``.
    """

    phone_index_lookup = "phone_index"

    def get_search_results(self, request, queryset, search_term):
        original = queryset
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            phone = normalize_phone(search_term)
        except DomainError:
            return queryset, may_have_duplicates
        by_phone = original.filter(**{self.phone_index_lookup: blind_index("phone", phone)})
        return queryset | by_phone, may_have_duplicates
