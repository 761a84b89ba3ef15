"""A fake WeChat mini-program server API: access tokens, subscribe messages and
``jscode2session``, with WeChat's ``{"errcode", "errmsg"}`` answers (HTTP 200)."""

import itertools
import re
import secrets
import threading
from dataclasses import dataclass

from tests.fakes.server import FakeServer, Request, Response

# Longest value WeChat accepts per keyword type (subscribe message documentation).
LENGTH_LIMITS = {
    "thing": 20,
    "number": 32,
    "letter": 32,
    "symbol": 5,
    "character_string": 32,
    "phone_number": 17,
    "car_number": 8,
    "name": 20,
    "phrase": 5,
    "short_thing": 5,
}
_KEYWORD = re.compile(r"^([a-z_]+?)\d+$")
_STATES = {"developer", "trial", "formal"}
_LANGUAGES = {"zh_CN", "en_US", "zh_HK", "zh_TW"}


@dataclass(frozen=True)
class SentMessage:
    openid: str
    template_id: str
    values: dict[str, str]
    page: str
    lang: str
    miniprogram_state: str
    msgid: int


class FakeWeChat(FakeServer):
    """``fail_next`` kinds for subscribe sends: "busy" (-1), "frequency" (45009) and
    "stale_token" (40001, as when another server fetched a new token)."""

    def __init__(self, *, appid: str, secret: str, templates: dict[str, set[str]]):
        super().__init__()
        self.appid, self.secret = appid, secret
        self.templates = {template_id: set(keywords) for template_id, keywords in templates.items()}
        self.token_requests = 0
        self.sent: list[SentMessage] = []
        self._tokens: dict[str, bool] = {}  # token → still valid
        self._subscriptions: dict[tuple[str, str], int] = {}
        self._codes: dict[str, dict] = {}
        self._msgids = itertools.count(2_000_000_001)
        self._record = threading.Lock()

    # --- what the test arranges ------------------------------------------------------

    def subscribe(self, openid: str, template_id: str, times: int = 1) -> None:
        """The user accepted ``times`` messages of this template (one per acceptance)."""
        with self._record:
            key = (openid, template_id)
            self._subscriptions[key] = self._subscriptions.get(key, 0) + times

    def login_code(self, code: str, *, openid: str, unionid: str = "") -> None:
        with self._record:
            self._codes[code] = {"openid": openid, "unionid": unionid, "used": False}

    def expire_tokens(self) -> None:
        with self._record:
            self._tokens = dict.fromkeys(self._tokens, False)

    # --- HTTP --------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        if request.method == "GET" and request.path == "/cgi-bin/token":
            return self._token(request.query)
        if request.method == "POST" and request.path == "/cgi-bin/message/subscribe/send":
            return self._subscribe_send(request)
        if request.method == "GET" and request.path == "/sns/jscode2session":
            return self._code2session(request.query)
        return Response(status=404, body=b"", content_type="text/html")

    def _token(self, query: dict[str, str]) -> Response:
        with self._record:
            self.token_requests += 1
        if query.get("grant_type") != "client_credential":
            return _error(40002, "invalid grant_type")
        refusal = self._check_app(query)
        if refusal:
            return refusal
        token = secrets.token_urlsafe(48)
        with self._record:
            self._tokens[token] = True
        return Response.json({"access_token": token, "expires_in": 7200})

    def _subscribe_send(self, request: Request) -> Response:
        token = request.query.get("access_token", "")
        with self._record:
            valid = self._tokens.get(token)
        if valid is None:
            return _error(40001, "invalid credential, access_token is invalid or not latest")
        if not valid:
            return _error(42001, "access_token expired")
        failure = self.scripted_failure()
        if failure == "busy":
            return _error(-1, "system error")
        if failure == "frequency":
            return _error(45009, "reach max api daily quota limit")
        if failure == "stale_token":
            return _error(40001, "invalid credential, access_token is invalid or not latest")
        try:
            body = request.json()
        except ValueError:
            return _error(47001, "data format error")
        refusal = self._check_message(body)
        if refusal:
            return refusal
        key = (body["touser"], body["template_id"])
        with self._record:
            if self._subscriptions.get(key, 0) < 1:
                return _error(43101, "user refuse to accept the msg")
            self._subscriptions[key] -= 1
            msgid = next(self._msgids)
            self.sent.append(
                SentMessage(
                    openid=body["touser"],
                    template_id=body["template_id"],
                    values={keyword: item["value"] for keyword, item in body["data"].items()},
                    page=body.get("page", ""),
                    lang=body.get("lang", "zh_CN"),
                    miniprogram_state=body.get("miniprogram_state", "formal"),
                    msgid=msgid,
                )
            )
        response = Response.json({"errcode": 0, "errmsg": "ok", "msgid": msgid})
        response.delay = self.scripted_delay()
        return response

    def _check_message(self, body) -> Response | None:
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("touser"), str)
            or not body["touser"]
        ):
            return _error(40003, "invalid openid")
        keywords = self.templates.get(body.get("template_id"))
        if keywords is None:
            return _error(40037, "invalid template id")
        data = body.get("data")
        if not isinstance(data, dict) or set(data) != keywords:
            return _error(47003, "argument invalid! data is not match the template")
        for keyword, item in data.items():
            value = item.get("value") if isinstance(item, dict) else None
            limit = LENGTH_LIMITS.get(_KEYWORD.match(keyword).group(1))
            if not isinstance(value, str) or not value or (limit and len(value) > limit):
                return _error(47003, f"argument invalid! data.{keyword}.value invalid")
        if body.get("miniprogram_state", "formal") not in _STATES:
            return _error(47003, "argument invalid! miniprogram_state invalid")
        if body.get("lang", "zh_CN") not in _LANGUAGES:
            return _error(47003, "argument invalid! lang invalid")
        if not isinstance(body.get("page", ""), str):
            return _error(41030, "invalid page")
        return None

    def _code2session(self, query: dict[str, str]) -> Response:
        refusal = self._check_app(query)
        if refusal:
            return refusal
        if query.get("grant_type") != "authorization_code":
            return _error(40002, "invalid grant_type")
        with self._record:
            login = self._codes.get(query.get("js_code", ""))
            if login is None:
                return _error(40029, "invalid code")
            if login["used"]:
                return _error(40163, "code been used")
            login["used"] = True
        answer = {"openid": login["openid"], "session_key": secrets.token_urlsafe(16)}
        if login["unionid"]:
            answer["unionid"] = login["unionid"]
        # WeChat labels this answer text/plain although it is JSON.
        return Response.json(answer, content_type="text/plain")

    def _check_app(self, query: dict[str, str]) -> Response | None:
        if query.get("appid") != self.appid:
            return _error(40013, "invalid appid")
        if query.get("secret") != self.secret:
            return _error(40125, "invalid appsecret")
        return None


def _error(errcode: int, errmsg: str) -> Response:
    return Response.json({"errcode": errcode, "errmsg": f"{errmsg} rid: {secrets.token_hex(6)}"})
