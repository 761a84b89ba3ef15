"""Another server process on the test's databases (PostgreSQL + Redis, or the SQLite
file and the file cache): it authenticates the tokens the test sends it and answers whose
they are and whether it believed the token without asking Redis or the database."""

import os


def serve(connection, environment: dict) -> None:
    os.environ.pop("PYTEST_XDIST_WORKER", None)
    os.environ.update(environment)
    import django
    from django.utils.functional import empty

    django.setup()

    from yachi.accounts import tokencache
    from yachi.accounts.claimeduser import ClaimedUser
    from yachi.accounts.services import token_user

    store = tokencache._store()
    # Without Redis nothing listens: every use reads the token's version in the file cache.
    connection.send(store.listener().wait_live(20) if store.records else True)
    while True:
        raw = connection.recv()
        if raw is None:
            return
        user = token_user(raw)
        # Believed: a user named by the token's claims, not loaded (no round trip).
        believed = type(user) is ClaimedUser and user._wrapped is empty
        connection.send((user.pk if user else None, believed))
