"""The WeChat mini-program server API, over HTTPS with httpx (WeChat has no SDK).

* The access token (``/cgi-bin/token``) is kept in Django's cache, which every process
  shares (Redis, or the file cache on one machine), until five minutes before it
  expires. Two processes may fetch one at the same moment; WeChat keeps the previous
  token valid for five minutes after a new one is issued, so neither is harmed. When
  WeChat calls a token invalid or expired anyway (40001, 42001), it is fetched again
  once and the call repeated: a call refused for its token did nothing.
* Subscribe messages (``/cgi-bin/message/subscribe/send``) answer with a
  ``SendResult`` like the SMS providers.
* ``code2session`` turns the code from ``wx.login()`` into the user's openid.
"""

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx
from django.core.cache import cache as default_cache
from django.utils.translation import gettext_lazy as _

from yachi.core.errors import DomainError
from yachi.messaging.providers.base import (
    SendResult,
    accepted,
    refused,
    template_not_configured,
    uncertain,
)
from yachi.messaging.providers.failures import transport_failure
from yachi.messaging.providers.templates import WeChatTemplate, subscribe_data

logger = logging.getLogger("yachi.wechat")

STALE_TOKEN = frozenset({40001, 40014, 42001})  # invalid, not the latest, expired
SAFE_TO_RETRY = frozenset({-1, 45009})  # system busy, frequency or quota limit
INVALID_CODE = frozenset({40029, 40163})  # unknown code, code already used
_TOKEN_MARGIN_SECONDS = 300


class WeChatCodeInvalid(DomainError):
    code = "wechat_code_invalid"
    status = 400
    default_message = _("This WeChat login has expired. Please try again.")


class WeChatUnavailable(DomainError):
    code = "wechat_unavailable"
    status = 503
    default_message = _("WeChat cannot be reached right now. Please try again later.")


@dataclass(frozen=True)
class WeChatSession:
    openid: str
    unionid: str = ""
    session_key: str = field(default="", repr=False)


class _Failed(Exception):
    """A call that gave no answer to act on; carries the result to give back."""

    def __init__(self, result: SendResult):
        super().__init__(result.error_code)
        self.result = result


class WeChatMiniProgram:
    def __init__(
        self,
        *,
        appid: str,
        secret: str,
        api_base: str = "https://api.weixin.qq.com",
        templates: Mapping[str, WeChatTemplate] | None = None,
        miniprogram_state: str = "formal",
        timeout_seconds: float = 10.0,
        cache=None,
    ):
        self.appid = appid
        self._secret = secret
        self.api_base = api_base.rstrip("/")
        self.templates = dict(templates or {})
        self.miniprogram_state = miniprogram_state
        self._timeout = httpx.Timeout(timeout_seconds)
        self._cache = cache if cache is not None else default_cache

    def __repr__(self) -> str:
        return f"WeChatMiniProgram(appid={self.appid!r}, api_base={self.api_base!r})"

    # --- access token -----------------------------------------------------------

    @property
    def _token_key(self) -> str:
        return f"messaging:wechat:access_token:{self.appid}"

    def _access_token(self) -> str:
        token = self._cache.get(self._token_key)
        if token:
            return token
        try:
            answer = self._call(
                "GET", "/cgi-bin/token", params=self._app(grant_type="client_credential")
            )
        except _Failed as failed:
            # No message left with this call, whatever became of it.
            message = failed.result.error_message
            raise _Failed(refused("token_unavailable", message, retryable=True)) from None
        token, expires_in = answer.get("access_token"), answer.get("expires_in")
        if not token or not isinstance(expires_in, int):
            errcode = answer.get("errcode")
            logger.warning("WeChat gave no access token: %s %s", errcode, answer.get("errmsg"))
            raise _Failed(
                refused(
                    f"token_{errcode}",
                    str(answer.get("errmsg", "")),
                    retryable=errcode in SAFE_TO_RETRY,
                )
            )
        lifetime = (
            expires_in - _TOKEN_MARGIN_SECONDS
            if expires_in > 2 * _TOKEN_MARGIN_SECONDS
            else expires_in // 2
        )
        self._cache.set(self._token_key, token, timeout=max(1, lifetime))
        return token

    def _forget(self, token: str) -> None:
        # Another process may already have put a fresh token in its place.
        if self._cache.get(self._token_key) == token:
            self._cache.delete(self._token_key)

    # --- subscribe messages -----------------------------------------------------

    def subscribe_message_send(
        self,
        *,
        openid: str,
        template_id: str,
        data: Mapping[str, str],
        page: str = "",
        lang: str = "zh_CN",
        miniprogram_state: str | None = None,
    ) -> SendResult:
        """Send one subscribe message. ``data`` maps the template's keywords to plain
        values (``{"thing1": "洗牙"}``); each is fitted to its keyword's length limit."""
        body = {
            "touser": openid,
            "template_id": template_id,
            "data": subscribe_data(data),
            "miniprogram_state": miniprogram_state or self.miniprogram_state,
            "lang": lang,
        }
        if page:
            body["page"] = page
        try:
            token = self._access_token()
            answer = self._send(token, body)
            if answer.get("errcode") in STALE_TOKEN:
                self._forget(token)
                answer = self._send(self._access_token(), body)
        except _Failed as failed:
            return failed.result
        return result_from_answer(answer)

    def send_template(
        self, *, template: str, openid: str, params: Mapping[str, str], page: str = ""
    ) -> SendResult:
        """Send one of our templates ("appointment_reminder") as configured in
        ``YACHI_WECHAT_TEMPLATES``: its fields say which param fills which keyword."""
        configured = self.templates.get(template)
        if configured is None:
            return template_not_configured("wechat", template)
        missing = sorted(set(configured.fields.values()) - set(params))
        if missing:
            return refused("template_params_missing", f"{template} needs {missing}")
        data = {keyword: params[param] for keyword, param in configured.fields.items()}
        return self.subscribe_message_send(
            openid=openid, template_id=configured.id, data=data, page=page
        )

    def _send(self, token: str, body: dict) -> dict:
        return self._call(
            "POST",
            "/cgi-bin/message/subscribe/send",
            params={"access_token": token},
            content=json.dumps(body, ensure_ascii=False).encode(),
        )

    # --- login --------------------------------------------------------------------

    def code2session(self, *, code: str) -> WeChatSession:
        """The user behind a ``wx.login()`` code. A code works once, for five minutes."""
        try:
            answer = self._call(
                "GET",
                "/sns/jscode2session",
                params=self._app(js_code=code, grant_type="authorization_code"),
            )
        except _Failed as failed:
            logger.warning("code2session failed: %s", failed.result.error_message)
            raise WeChatUnavailable() from failed
        errcode = answer.get("errcode") or 0
        if errcode in INVALID_CODE:
            raise WeChatCodeInvalid()
        if errcode or not answer.get("openid"):
            logger.warning("code2session refused: %s %s", errcode, answer.get("errmsg"))
            raise WeChatUnavailable()
        return WeChatSession(
            openid=answer["openid"],
            unionid=answer.get("unionid", ""),
            session_key=answer.get("session_key", ""),
        )

    # --- HTTP ---------------------------------------------------------------------

    def _app(self, **params: str) -> dict[str, str]:
        return {"appid": self.appid, "secret": self._secret, **params}

    def _call(self, method: str, path: str, **kwargs) -> dict:
        """WeChat's JSON answer; raises ``_Failed`` when there is none to read."""
        headers = {"Content-Type": "application/json"} if method == "POST" else {}
        try:
            with httpx.Client(timeout=self._timeout) as client:
                response = client.request(method, self.api_base + path, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            raise _Failed(transport_failure(exc)) from exc
        if response.status_code != 200:
            status = response.status_code
            if status in (429, 503):
                raise _Failed(refused(f"http_{status}", response.text[:200], retryable=True))
            if status >= 500:
                raise _Failed(uncertain(f"HTTP {status}: {response.text[:200]}"))
            raise _Failed(refused(f"http_{status}", response.text[:200]))
        try:
            # jscode2session answers JSON labelled text/plain: read the body, not the label.
            answer = json.loads(response.content)
        except ValueError:
            raise _Failed(uncertain(f"unreadable answer: {response.text[:200]}")) from None
        if not isinstance(answer, dict):
            raise _Failed(uncertain(f"unexpected answer: {response.text[:200]}"))
        return answer


def result_from_answer(answer: Mapping) -> SendResult:
    errcode = answer.get("errcode") or 0
    if errcode == 0:
        return accepted(str(answer.get("msgid", "")))
    message = str(answer.get("errmsg", ""))
    # A token still refused after a fresh one was fetched: nothing was sent.
    retryable = errcode in SAFE_TO_RETRY or errcode in STALE_TOKEN
    return refused(str(errcode), message, retryable=retryable)
