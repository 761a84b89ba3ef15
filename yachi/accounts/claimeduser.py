from django.utils.functional import SimpleLazyObject, empty

from yachi.core.roles import Role


class ClaimedUser(SimpleLazyObject):
    """The user a trusted token names: its id and role come from the token's claims, and
    reading anything else loads the user as an unknown token would (its record in Redis,
    else the database), once per request. A sold-out refusal reads no more than this."""

    def __init__(self, claims, load):
        super().__init__(load)
        self.__dict__["_claims"] = claims

    @property
    def pk(self):
        return self.__dict__["_claims"].user_id

    id = pk

    @property
    def role(self):
        if self._wrapped is not empty:
            return self._wrapped.role
        return self.__dict__["_claims"].role

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    # A token is believed only for an active account (revocations.Listener).
    is_authenticated = True
    is_anonymous = False
    is_active = True

    def __bool__(self) -> bool:
        return True
