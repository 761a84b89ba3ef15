from ninja.security import HttpBearer

from yachi.accounts.services import token_user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` for the mini-program and scripted clients."""

    def authenticate(self, request, token: str):
        user = token_user(token)
        if user is not None:
            request.user = user
            request.auth_token = token
        return user


token_auth = TokenAuth()
