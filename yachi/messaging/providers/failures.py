"""Telling "never sent" from "sent, answer lost" when a request fails without an answer.

Only a failure while connecting proves that the provider saw nothing; a read timeout
or a dropped connection after the request went out may hide a message that is being
delivered. Anything not recognised as the first kind counts as the second.

The SDKs wrap the HTTP library's exception in their own (the Alibaba Cloud SDK keeps
only its text, raised while handling the original), so the whole chain is searched.
"""

import httpx
import requests
import urllib3.exceptions

from yachi.messaging.providers.base import SendResult, uncertain, unreachable


def transport_failure(exc: BaseException) -> SendResult:
    if never_sent(exc):
        return unreachable(f"could not connect: {_describe(exc)}")
    return uncertain(f"sent, no answer: {_describe(exc)}")


def never_sent(exc: BaseException) -> bool:
    return any(_is_connect_failure(link) for link in _chain(exc))


def _is_connect_failure(exc: BaseException) -> bool:
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError) and exc.args:
        reason = getattr(exc.args[0], "reason", None)
        # NewConnectionError (refused, no route, unknown host) is a ConnectTimeoutError.
        return isinstance(reason, urllib3.exceptions.ConnectTimeoutError)
    return False


def _chain(exc: BaseException):
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        link = pending.pop()
        if id(link) in seen:
            continue
        seen.add(id(link))
        yield link
        for nested in (
            link.__cause__,
            link.__context__,
            getattr(link, "inner_exception", None),
            *(arg for arg in link.args if isinstance(arg, BaseException)),
        ):
            if isinstance(nested, BaseException):
                pending.append(nested)


def _describe(exc: BaseException) -> str:
    """The kinds of error only: their texts quote the URL, with the number and the
    template's values (a login code) in its query string, and this ends up in logs."""
    names = dict.fromkeys(type(link).__name__ for link in _chain(exc))
    return " / ".join(names)
