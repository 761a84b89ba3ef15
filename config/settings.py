"""Django settings for Yachi.

Everything that differs between deployments is read from the environment (see
``config/env.py`` and ``docs/configuration.md``). The defaults run the whole platform
on one machine with nothing but Python: SQLite in WAL mode, a file cache, Huey on
SQLite and the in-memory channel layer, all under ``$YACHI_DATA_DIR``. Setting
``DATABASE_URL`` and ``REDIS_URL`` moves the same code onto PostgreSQL and Redis.
"""

import os
import re
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import envbool, envchoice, envfloat, envint, envjson, envlist, envnetworks, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("YACHI_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = envstr("YACHI_ENV", "development") == "production"
DEBUG = envbool("YACHI_DEBUG", False)


def _secret_key() -> str:
    """A secret key from the environment, or one kept in the data directory.

    Production must be given one; an embedded install creates its own on first start
    so that sessions survive restarts without a secret ever entering the repository.
    """
    key = envstr("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) is required in production")
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["*"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
# The reverse proxies in front of Yachi, the only peers whose X-Forwarded-For,
# X-Forwarded-Proto and X-Request-ID are believed (yachi.core.middleware). None by
# default: without a proxy every client could otherwise choose its own address.
YACHI_TRUSTED_PROXIES = envnetworks("YACHI_TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # Only for its bundled Swagger UI: with it installed, /api/v1/docs serves the UI from
    # our own static files instead of a CDN (no third-party script, works offline).
    "ninja",
    "channels",
    "huey.contrib.djhuey",
    "yachi.core",
    "yachi.compliance",
    "yachi.accounts",
    "yachi.clinics",
    "yachi.patients",
    "yachi.rostering",
    "yachi.booking",
    "yachi.messaging",
    "yachi.payments",
    "yachi.shop",
    "yachi.queueing",
    "yachi.clinical",
    "yachi.crm",
    "yachi.growth",
    "yachi.operations",
    "yachi.imaging",
    "yachi.devices",
    "yachi.insurance",
    "yachi.financing",
    "yachi.web",
    "yachi.demo",
]

MIDDLEWARE = [
    "yachi.core.middleware.RequestOriginMiddleware",
    # Next to the first, so that it times (nearly) everything and counts every answer.
    "yachi.core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that may replace a response (the API's JSON errors), so that
    # every answer carries the headers.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yachi.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yachi.core.middleware.LanguageMiddleware",
    "yachi.core.api_errors.JsonErrorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which would read a form body Django cannot parse.
    "yachi.web.middleware.PageInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "yachi.accounts.middleware.StaffSessionMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "yachi.web.middleware.DomainErrorPageMiddleware",
]
# What an /api/ request passes instead (yachi.core.handlers): no session, CSRF, messages,
# staff session, htmx, static files or error pages for a token-authenticated JSON API.
API_MIDDLEWARE = [
    "yachi.core.middleware.RequestOriginMiddleware",
    "yachi.core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yachi.core.security.SecurityHeadersMiddleware",
    "yachi.core.middleware.LanguageMiddleware",
    "yachi.core.api_errors.JsonErrorsMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yachi.web.context_processors.console",
                "yachi.web.context_processors.realtime",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------

# Threads that run requests in each `yachi serve` worker process (granian's blocking
# threads); the PostgreSQL pool below is sized to them.
YACHI_WEB_THREADS = envint("YACHI_WEB_THREADS", 8)
if YACHI_WEB_THREADS < 1:
    raise ImproperlyConfigured("YACHI_WEB_THREADS must be at least 1")
DATABASE_URL = envstr("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'yachi.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
DATABASE_VENDOR = "sqlite" if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "other"
if DATABASE_VENDOR == "sqlite":
    # SQLite as a real server database: WAL so that readers never wait for the writer,
    # IMMEDIATE transactions so that concurrent writers queue on the busy timeout
    # instead of failing with "database is locked" half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("SQLITE_BUSY_TIMEOUT_SECONDS", 30),
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A pool per process, by default one connection for each of the web server's threads
    # (`yachi serve` refuses a smaller one), so no request waits for a connection and
    # none opens (and authenticates) a new one. 0 turns pooling off.
    YACHI_DB_POOL_SIZE = envint("YACHI_DB_POOL_SIZE", YACHI_WEB_THREADS)
    if YACHI_DB_POOL_SIZE:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": YACHI_DB_POOL_SIZE,
            "timeout": envint("YACHI_DB_POOL_TIMEOUT_SECONDS", 10),
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, jobs, websockets ----------------------------------------------------------------

REDIS_URL = envstr("REDIS_URL")
# Every Redis key this deployment writes (cache, jobs, channels, flash-sale places, audit
# checkpoints) starts with this prefix, so that two deployments (or a test run and a demo)
# sharing one Redis never read each other's keys. By default, the database's name: the
# default deployment keeps the plain "yachi" it always had.
YACHI_REDIS_PREFIX = envstr("YACHI_REDIS_PREFIX") or (
    re.sub(r"[^A-Za-z0-9_.-]", "_", Path(str(DATABASES["default"]["NAME"])).stem) or "yachi"
)
if ":" in YACHI_REDIS_PREFIX or "{" in YACHI_REDIS_PREFIX:
    raise ImproperlyConfigured("YACHI_REDIS_PREFIX may not contain ':' or '{'")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": YACHI_REDIS_PREFIX,
        }
    }
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": YACHI_REDIS_PREFIX,
        "url": REDIS_URL,
        "immediate": envbool("YACHI_JOBS_IMMEDIATE", False),
    }
    # Sized for hundreds of sockets per socket-server process (yachi.core.channel_layer,
    # ADR 0046): a bounded pool whose callers wait for a connection instead of failing,
    # and room in each process's inbox for a wake-up per socket.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "yachi.core.channel_layer.PooledRedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": envint("YACHI_CHANNEL_REDIS_CONNECTIONS", 32),
                        "timeout": envint("YACHI_CHANNEL_REDIS_WAIT_SECONDS", 10),
                        "socket_connect_timeout": 5,
                        # redis-py 8 gives up on a reply after 5 s by default, and the
                        # layer's blocking pop waits 5 s on the server: a reply a moment
                        # late (a loaded host) killed the socket reading it.
                        "socket_timeout": 15,
                        "health_check_interval": 30,
                    }
                ],
                "prefix": f"{YACHI_REDIS_PREFIX}:asgi",
                "capacity": envint("YACHI_CHANNEL_CAPACITY", 2000),
            },
        }
    }
else:
    # A file cache is shared by every process on the machine (web server, job consumer,
    # management commands), so an invalidation in one is seen by all.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "yachi",
        "filename": str(DATA_DIR / "jobs.sqlite3"),
        "immediate": envbool("YACHI_JOBS_IMMEDIATE", False),
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Sockets follow durable logs (ADR 0042); the layer's wake-ups are only a doorbell, so each
# socket also reads its log this often. Without Redis, the job consumer's events reach the
# web process's sockets only this way.
YACHI_REALTIME_POLL_SECONDS = envfloat("YACHI_REALTIME_POLL_SECONDS", 15.0 if REDIS_URL else 2.0)
if YACHI_REALTIME_POLL_SECONDS <= 0:
    raise ImproperlyConfigured("YACHI_REALTIME_POLL_SECONDS must be positive")
# Where pages open their sockets (e.g. wss://live.example.cn); empty: the page's own origin.
YACHI_REALTIME_URL = envstr("YACHI_REALTIME_URL", "").rstrip("/")
# The largest message a client may send over a socket, in characters.
YACHI_REALTIME_MAX_MESSAGE = envint("YACHI_REALTIME_MAX_MESSAGE", 16384)

# --- authentication ----------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
AUTHENTICATION_BACKENDS = ["yachi.accounts.backends.PhoneBackend"]
# The number is encrypted; its unique blind index stands in for it (yachi/accounts/backends.py).
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "yachi.accounts.passwords.ProfileValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "yachi.accounts.passwords.HistoryValidator"},
]
# Staff passwords: "mlps" (complexity, 90-day change) or "asvs" (length, no rotation).
YACHI_PASSWORD_PROFILE = envstr("YACHI_PASSWORD_PROFILE", "mlps")
if YACHI_PASSWORD_PROFILE not in ("mlps", "asvs"):
    raise ImproperlyConfigured("YACHI_PASSWORD_PROFILE must be mlps or asvs")
YACHI_LOCKOUT_FAILURES = envint("YACHI_LOCKOUT_FAILURES", 5)
YACHI_LOCKOUT_MINUTES = envint("YACHI_LOCKOUT_MINUTES", 15)
YACHI_STAFF_IDLE_MINUTES = envint("YACHI_STAFF_IDLE_MINUTES", 30)
YACHI_TOTP_REQUIRED_ROLES = envlist(
    "YACHI_TOTP_REQUIRED_ROLES", ["manager", "regional_manager", "chain_operations", "admin"]
)
YACHI_STAFF_TOKEN_TTL_HOURS = envint("YACHI_STAFF_TOKEN_TTL_HOURS", 12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION

# --- language and time --------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- static files ---------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # ECharts from node_modules (package.json), under static/vendor/.
    "yachi.web.finders.BrowserPackagesFinder",
]
STORAGES = {
    "default": {
        "BACKEND": envstr("YACHI_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    # Facial data stays on this machine whatever the default storage is (PIPL); any
    # other backend is refused at start-up (yachi/patients/apps.py).
    "faces": {
        "BACKEND": envstr(
            "YACHI_FACE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": {"location": str(DATA_DIR / "faces"), "base_url": None},
    },
    # X-rays likewise stay on this machine, encrypted (yachi/imaging/apps.py, ADR 0060).
    "imaging": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "imaging"), "base_url": None},
    },
}
MEDIA_ROOT = DATA_DIR / "media"

# --- the DICOM node (yachi dicom-node, ADR 0060) ---------------------------------------------
# One node per clinic: every study it receives belongs to YACHI_DICOM_CLINIC (a clinic's id).
YACHI_DICOM_CLINIC = envstr("YACHI_DICOM_CLINIC", "")
YACHI_DICOM_AE_TITLE = envstr("YACHI_DICOM_AE_TITLE", "YACHI")
YACHI_DICOM_PORT = envint("YACHI_DICOM_PORT", 11112)
YACHI_DICOM_MAX_BYTES = envint("YACHI_DICOM_MAX_BYTES", 256 * 1024 * 1024)
# Intraoral scans (ADR 0062): the largest export taken and its most triangles; what the
# viewers get is decimated to YACHI_SCAN_PHONE_TRIANGLES.
YACHI_SCAN_MAX_BYTES = envint("YACHI_SCAN_MAX_BYTES", 150 * 1024 * 1024)
YACHI_SCAN_MAX_TRIANGLES = envint("YACHI_SCAN_MAX_TRIANGLES", 3_000_000)
YACHI_SCAN_PHONE_TRIANGLES = envint("YACHI_SCAN_PHONE_TRIANGLES", 50_000)
# The caries model (ADR 0061): an ONNX file on this machine's disk; empty for the one the
# project ships (a demonstration model trained on synthetic pictures). Never an address.
YACHI_CARIES_MODEL = envstr("YACHI_CARIES_MODEL", "")
if "://" in YACHI_CARIES_MODEL:
    raise ImproperlyConfigured("YACHI_CARIES_MODEL must be a path on this machine, not an address")
# Scale-out (ADR 0063): a PACS's DICOMweb root keeps new X-rays instead of the local disk,
# e.g. Orthanc's http://user:password@pacs.clinic.lan:8042/dicom-web (also *_FILE).
YACHI_PACS_URL = envstr("YACHI_PACS_URL", "") or ""
YACHI_PACS_TIMEOUT = envfloat("YACHI_PACS_TIMEOUT", 30.0)
# A patient's data download carries their X-ray files up to this many bytes (PIPL export).
YACHI_EXPORT_XRAY_MAX_BYTES = envint("YACHI_EXPORT_XRAY_MAX_BYTES", 256 * 1024 * 1024)

# --- security headers -----------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = envbool("YACHI_SSL_REDIRECT", False)
# Believed only from YACHI_TRUSTED_PROXIES: the header is dropped from any other peer.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
# Sent on HTTPS responses only; a year in production, so browsers never try plain HTTP.
SECURE_HSTS_SECONDS = envint("YACHI_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)

# Our own files only, no inline script anywhere (templates use data-* attributes and
# web/app.js); inline style attributes are allowed on the console calendar alone
# (see booking.console_views.calendar_page). The shape is Django 6's SECURE_CSP.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    # The page's own origin covers its sockets (ws: and wss: included); a socket server
    # elsewhere must be named.
    "connect-src": ["'self'", *([YACHI_REALTIME_URL] if YACHI_REALTIME_URL else [])],
}
# Powerful browser features, off unless a screen needs them. Geolocation stays possible
# for our own pages (emergency help will send the patient's position); camera and
# microphone open up with video consultations.
YACHI_PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": ["self"],
    "payment": [],
    "usb": [],
}

# --- metrics (yachi/core/metrics.py; ADR 0041) ------------------------------------------------

# Each process of an instance (web workers, job consumer) writes its counters into files
# here; a scrape adds them up. prometheus_client reads the variable when it is imported,
# which is after the settings. `yachi serve` empties the directory before it starts.
YACHI_METRICS_DIR = Path(envstr("YACHI_METRICS_DIR") or DATA_DIR / "metrics").resolve()
YACHI_METRICS_DIR.mkdir(parents=True, exist_ok=True)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(YACHI_METRICS_DIR)
# The bearer token Prometheus sends to /metrics; without one, /metrics answers 403.
YACHI_METRICS_TOKEN = envstr("YACHI_METRICS_TOKEN", "")

# --- logging -----------------------------------------------------------------------------------

# JSON lines for a log aggregator (time, level, logger, message, request id; ADR 0041), or
# the plain lines a person reads in a terminal.
YACHI_LOG_FORMAT = envchoice(
    "YACHI_LOG_FORMAT", "json" if PRODUCTION else "plain", ("json", "plain")
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "yachi.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "yachi.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": YACHI_LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # httpx logs each URL it calls, and WeChat's URLs carry the app secret or the
        # access token in their query string.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        # Checkpoints of the audit trail are evidence, whatever LOG_LEVEL says (ADR 0017).
        "yachi.audit.checkpoints": {"level": "INFO"},
    },
}

# --- Yachi ---------------------------------------------------------------------------------

# The 7-day saturation grid: a doctor's day is yellow from this share of bookable
# time taken, red from the second one (or when no slot is left for the service).
YACHI_SATURATION_YELLOW = envfloat("YACHI_SATURATION_YELLOW", 0.50)
YACHI_SATURATION_RED = envfloat("YACHI_SATURATION_RED", 0.85)
if not 0 < YACHI_SATURATION_YELLOW < YACHI_SATURATION_RED <= 1:
    raise ImproperlyConfigured("need 0 < YACHI_SATURATION_YELLOW < YACHI_SATURATION_RED <= 1")
YACHI_AVAILABILITY_CACHE_SECONDS = envint("YACHI_AVAILABILITY_CACHE_SECONDS", 300)

# Points: how many make one yuan when spent, and how many one paid yuan earns.
YACHI_POINTS_PER_YUAN = envint("YACHI_POINTS_PER_YUAN", 100)
YACHI_POINTS_EARNED_PER_YUAN = envint("YACHI_POINTS_EARNED_PER_YUAN", 1)
if YACHI_POINTS_PER_YUAN < 1 or YACHI_POINTS_EARNED_PER_YUAN < 0:
    raise ImproperlyConfigured(
        "YACHI_POINTS_PER_YUAN must be >= 1, YACHI_POINTS_EARNED_PER_YUAN >= 0"
    )

# Points expire at the end of the year this many years after the one they were earned
# in (1: earned in 2026, expire on 2027-12-31).
YACHI_POINTS_VALID_YEARS = envint("YACHI_POINTS_VALID_YEARS", 1)
if YACHI_POINTS_VALID_YEARS < 0:
    raise ImproperlyConfigured("YACHI_POINTS_VALID_YEARS cannot be negative")
# Points an activity earns: a survey answered (once per survey), a share (once a day).
YACHI_POINTS_FOR_SURVEY = envint("YACHI_POINTS_FOR_SURVEY", 50)
YACHI_POINTS_FOR_SHARE = envint("YACHI_POINTS_FOR_SHARE", 10)

# Referrals (老带新): how long an invite code and its links last; the patient's invite page
# then shows a new code.
YACHI_INVITE_LINK_DAYS = envint("YACHI_INVITE_LINK_DAYS", 30)
if YACHI_INVITE_LINK_DAYS < 1:
    raise ImproperlyConfigured("YACHI_INVITE_LINK_DAYS must be at least 1")
# Anti-fraud (风控): a reward whose risk score (0–100) reaches this is held for review.
YACHI_FRAUD_HOLD_SCORE = envint("YACHI_FRAUD_HOLD_SCORE", 50)
if not 1 <= YACHI_FRAUD_HOLD_SCORE <= 100:
    raise ImproperlyConfigured("YACHI_FRAUD_HOLD_SCORE must be between 1 and 100")

YACHI_SMS_CODE_TTL_SECONDS = envint("YACHI_SMS_CODE_TTL_SECONDS", 300)
YACHI_SMS_RESEND_SECONDS = envint("YACHI_SMS_RESEND_SECONDS", 60)
YACHI_SMS_DAILY_LIMIT = envint("YACHI_SMS_DAILY_LIMIT", 10)
YACHI_SMS_CODE_ATTEMPTS = envint("YACHI_SMS_CODE_ATTEMPTS", 5)
# Per network address, within an hour: beyond this many codes requested, or failed
# logins, each next attempt waits 2, 4, 8 … seconds after the last, at most the cap
# (yachi/accounts/throttle.py). Slowed, not refused: people behind one NAT still log in.
YACHI_SMS_IP_HOURLY_LIMIT = envint("YACHI_SMS_IP_HOURLY_LIMIT", 20)
YACHI_LOGIN_IP_HOURLY_FAILURES = envint("YACHI_LOGIN_IP_HOURLY_FAILURES", 30)
YACHI_IP_BACKOFF_MAX_SECONDS = envint("YACHI_IP_BACKOFF_MAX_SECONDS", 300)
if YACHI_IP_BACKOFF_MAX_SECONDS < 1:
    raise ImproperlyConfigured("YACHI_IP_BACKOFF_MAX_SECONDS must be at least 1")

# --- messaging providers (yachi/messaging/providers; ADR 0008) ------------------------------

if "YACHI_SMS_BACKEND" in os.environ:
    raise ImproperlyConfigured(
        "YACHI_SMS_BACKEND was replaced by YACHI_SMS_PROVIDER (console, memory, aliyun, tencent)"
    )
YACHI_SMS_PROVIDER = envchoice(
    "YACHI_SMS_PROVIDER", "console", ("console", "memory", "aliyun", "tencent")
)
# Shows the code on the login page: only for the demo with the console provider.
YACHI_SMS_ECHO = envbool("YACHI_SMS_ECHO", False)
if YACHI_SMS_ECHO and (PRODUCTION or YACHI_SMS_PROVIDER != "console"):
    raise ImproperlyConfigured("YACHI_SMS_ECHO is only allowed with the console SMS provider")
YACHI_SMS_TIMEOUT_SECONDS = envfloat("YACHI_SMS_TIMEOUT_SECONDS", 10.0)
# The other real provider, which carries a message once when the first one fails.
YACHI_SMS_FALLBACK_PROVIDER = envchoice(
    "YACHI_SMS_FALLBACK_PROVIDER", "", ("", "aliyun", "tencent")
)

YACHI_ALIYUN_ACCESS_KEY_ID = envstr("YACHI_ALIYUN_ACCESS_KEY_ID", "")
YACHI_ALIYUN_ACCESS_KEY_SECRET = envstr("YACHI_ALIYUN_ACCESS_KEY_SECRET", "")
YACHI_ALIYUN_SMS_SIGN_NAME = envstr("YACHI_ALIYUN_SMS_SIGN_NAME", "")
YACHI_ALIYUN_SMS_TEMPLATES = envjson("YACHI_ALIYUN_SMS_TEMPLATES", {})
YACHI_ALIYUN_SMS_ENDPOINT = envstr("YACHI_ALIYUN_SMS_ENDPOINT", "dysmsapi.aliyuncs.com")
YACHI_ALIYUN_SMS_PROTOCOL = envchoice("YACHI_ALIYUN_SMS_PROTOCOL", "https", ("https", "http"))

YACHI_TENCENT_SECRET_ID = envstr("YACHI_TENCENT_SECRET_ID", "")
YACHI_TENCENT_SECRET_KEY = envstr("YACHI_TENCENT_SECRET_KEY", "")
YACHI_TENCENT_SMS_APP_ID = envstr("YACHI_TENCENT_SMS_APP_ID", "")
YACHI_TENCENT_SMS_SIGN_NAME = envstr("YACHI_TENCENT_SMS_SIGN_NAME", "")
YACHI_TENCENT_SMS_TEMPLATES = envjson("YACHI_TENCENT_SMS_TEMPLATES", {})
YACHI_TENCENT_SMS_REGION = envstr("YACHI_TENCENT_SMS_REGION", "ap-guangzhou")
YACHI_TENCENT_SMS_ENDPOINT = envstr("YACHI_TENCENT_SMS_ENDPOINT", "sms.tencentcloudapi.com")
YACHI_TENCENT_SMS_SCHEME = envchoice("YACHI_TENCENT_SMS_SCHEME", "https", ("https", "http"))

YACHI_WECHAT_APPID = envstr("YACHI_WECHAT_APPID", "")
YACHI_WECHAT_SECRET = envstr("YACHI_WECHAT_SECRET", "")
YACHI_WECHAT_API_BASE = envstr("YACHI_WECHAT_API_BASE", "https://api.weixin.qq.com")
YACHI_WECHAT_TEMPLATES = envjson("YACHI_WECHAT_TEMPLATES", {})
YACHI_WECHAT_MINIPROGRAM_STATE = envchoice(
    "YACHI_WECHAT_MINIPROGRAM_STATE", "formal", ("formal", "trial", "developer")
)
YACHI_WECHAT_TIMEOUT_SECONDS = envfloat("YACHI_WECHAT_TIMEOUT_SECONDS", 10.0)

# Plain HTTP is for the local fake servers of the test suite; credentials and message
# contents never cross a network unencrypted.
if PRODUCTION and (
    YACHI_ALIYUN_SMS_PROTOCOL != "https"
    or YACHI_TENCENT_SMS_SCHEME != "https"
    or not YACHI_WECHAT_API_BASE.startswith("https://")
):
    raise ImproperlyConfigured(
        "production talks to SMS and WeChat over HTTPS only: check YACHI_ALIYUN_SMS_PROTOCOL, "
        "YACHI_TENCENT_SMS_SCHEME and YACHI_WECHAT_API_BASE"
    )

# Online payments (ADR 0011). Keys are PEM text, or files through *_FILE.
YACHI_PAYMENT_TIMEOUT_SECONDS = envfloat("YACHI_PAYMENT_TIMEOUT_SECONDS", 10.0)
# The medical-insurance platform (医保, ADR 0064) and the insurers' claims API (ADR 0065):
# unset, the desk says the clinic is not set up. The demo points them at the local fakes.
YACHI_MEDICAL_INSURANCE_API_BASE = envstr("YACHI_MEDICAL_INSURANCE_API_BASE", "")
YACHI_MEDICAL_INSURANCE_APP_ID = envstr("YACHI_MEDICAL_INSURANCE_APP_ID", "")
YACHI_MEDICAL_INSURANCE_SECRET = envstr("YACHI_MEDICAL_INSURANCE_SECRET", "")
YACHI_MEDICAL_INSURANCE_TIMEOUT_SECONDS = envfloat("YACHI_MEDICAL_INSURANCE_TIMEOUT_SECONDS", 10.0)
YACHI_CLAIMS_API_BASE = envstr("YACHI_CLAIMS_API_BASE", "")
YACHI_CLAIMS_APP_ID = envstr("YACHI_CLAIMS_APP_ID", "")
YACHI_CLAIMS_SECRET = envstr("YACHI_CLAIMS_SECRET", "")
YACHI_WECHATPAY_MCHID = envstr("YACHI_WECHATPAY_MCHID", "")
YACHI_WECHATPAY_APPID = envstr("YACHI_WECHATPAY_APPID", "")
YACHI_WECHATPAY_PRIVATE_KEY = envstr("YACHI_WECHATPAY_PRIVATE_KEY", "")
YACHI_WECHATPAY_CERT_SERIAL_NO = envstr("YACHI_WECHATPAY_CERT_SERIAL_NO", "")
YACHI_WECHATPAY_APIV3_KEY = envstr("YACHI_WECHATPAY_APIV3_KEY", "")
YACHI_WECHATPAY_PLATFORM_PUBLIC_KEY = envstr("YACHI_WECHATPAY_PLATFORM_PUBLIC_KEY", "")
YACHI_WECHATPAY_PLATFORM_PUBLIC_KEY_ID = envstr("YACHI_WECHATPAY_PLATFORM_PUBLIC_KEY_ID", "")
YACHI_WECHATPAY_API_BASE = envstr("YACHI_WECHATPAY_API_BASE", "https://api.mch.weixin.qq.com")
YACHI_WECHATPAY_REFUND_NOTIFY_URL = envstr("YACHI_WECHATPAY_REFUND_NOTIFY_URL", "")
YACHI_ALIPAY_APPID = envstr("YACHI_ALIPAY_APPID", "")
YACHI_ALIPAY_PRIVATE_KEY = envstr("YACHI_ALIPAY_PRIVATE_KEY", "")
YACHI_ALIPAY_PUBLIC_KEY = envstr("YACHI_ALIPAY_PUBLIC_KEY", "")
YACHI_ALIPAY_GATEWAY = envstr("YACHI_ALIPAY_GATEWAY", "https://openapi.alipay.com/gateway.do")
if PRODUCTION and not (
    YACHI_WECHATPAY_API_BASE.startswith("https://") and YACHI_ALIPAY_GATEWAY.startswith("https://")
):
    raise ImproperlyConfigured(
        "production talks to payment providers over HTTPS only: check "
        "YACHI_WECHATPAY_API_BASE and YACHI_ALIPAY_GATEWAY"
    )

YACHI_TOKEN_TTL_DAYS = envint("YACHI_TOKEN_TTL_DAYS", 30)
# How long a process remembers a token it has checked (yachi.accounts.tokencache).
YACHI_TOKEN_CACHE_SECONDS = envint("YACHI_TOKEN_CACHE_SECONDS", 30)
# With Redis, each process listens for revocations and then trusts what it remembers, and
# tokens' own claims, without a round trip (ADR 0034); off, every use is checked.
YACHI_TOKEN_LISTEN = envbool("YACHI_TOKEN_LISTEN", True)
# Web server processes for `yachi serve` (one per core is a good start on a server).
YACHI_WEB_WORKERS = envint("YACHI_WEB_WORKERS", 1)
# Where patients reach the app: links in SMS and WeChat messages start with this.
# `yachi serve` / `yachi demo` set it from --host/--port when it is not given.
YACHI_PUBLIC_URL = envstr("YACHI_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# YACHI_REALTIME_URL unset: `yachi serve` alone announces its socket port here (set by
# it, for the processes it starts), and pages open ws://<the host they came from>:<that
# port>; behind a proxy that routes /ws/ (deploy/haproxy.cfg), their own origin (ADR 0046).
YACHI_REALTIME_PORT = envint("YACHI_REALTIME_PORT", 0)
# Socket-server processes `yachi serve` starts beside the web workers (`--socket-workers`):
# one on the in-memory channel layer whatever is asked, any number with Redis.
YACHI_SOCKET_WORKERS = envint("YACHI_SOCKET_WORKERS", 1)
# How long a freed time is held for the waitlisted person it is offered to.
YACHI_WAITLIST_HOLD_MINUTES = envint("YACHI_WAITLIST_HOLD_MINUTES", 15)
# Emergencies: doctors on duty within this many hours are asked; nobody answering
# within the escalation time passes the case to the next three.
YACHI_EMERGENCY_HORIZON_HOURS = envint("YACHI_EMERGENCY_HORIZON_HOURS", 3)
YACHI_EMERGENCY_ESCALATE_MINUTES = envint("YACHI_EMERGENCY_ESCALATE_MINUTES", 10)
YACHI_EMERGENCY_SPEED_KMH = envint("YACHI_EMERGENCY_SPEED_KMH", 25)  # across town by taxi

# Roster proposals (ADR 0056): the hard limits of a doctor's hours, the contract beyond
# which hours are overtime, and the minutes kept free per clinic half-day for emergencies.
YACHI_ROSTER_MAX_HOURS_PER_DAY = envint("YACHI_ROSTER_MAX_HOURS_PER_DAY", 9)
YACHI_ROSTER_MAX_HOURS_PER_WEEK = envint("YACHI_ROSTER_MAX_HOURS_PER_WEEK", 48)
YACHI_ROSTER_CONTRACT_HOURS_PER_WEEK = envint("YACHI_ROSTER_CONTRACT_HOURS_PER_WEEK", 40)
YACHI_ROSTER_EMERGENCY_BUFFER_MINUTES = envint("YACHI_ROSTER_EMERGENCY_BUFFER_MINUTES", 30)
# The optimizer stops at whichever comes first; the same seed gives the same front.
YACHI_ROSTER_TIME_LIMIT_SECONDS = envint("YACHI_ROSTER_TIME_LIMIT_SECONDS", 10)
YACHI_ROSTER_GENERATIONS = envint("YACHI_ROSTER_GENERATIONS", 200)
YACHI_ROSTER_SEED = envint("YACHI_ROSTER_SEED", 0)
# Queue calling (ADR 0043): a patient checks in from this many minutes before the start,
# within this many metres of the clinic (or with the code of its poster); one who comes
# later than the grace period waits behind those on time; one walk-in is called after
# this many appointments; a ticket called this many times without showing is a no-show.
YACHI_QUEUE_CHECK_IN_EARLY_MINUTES = envint("YACHI_QUEUE_CHECK_IN_EARLY_MINUTES", 60)
YACHI_QUEUE_CHECK_IN_DISTANCE_METRES = envint("YACHI_QUEUE_CHECK_IN_DISTANCE_METRES", 300)
YACHI_QUEUE_LATE_GRACE_MINUTES = envint("YACHI_QUEUE_LATE_GRACE_MINUTES", 10)
YACHI_QUEUE_WALK_IN_RATIO = envint("YACHI_QUEUE_WALK_IN_RATIO", 3)
YACHI_QUEUE_NEAR_PLACES = envint("YACHI_QUEUE_NEAR_PLACES", 2)
# Quiet hours (clinic time): only emergencies and same-day changes reach a phone; reminders
# move before them, the rest waits for their end (docs/configuration.md). Equal: none.
YACHI_QUIET_HOURS = (envint("YACHI_QUIET_HOURS_START", 21), envint("YACHI_QUIET_HOURS_END", 8))
# A clinic's chat message the patient has not read for this long brings an SMS or WeChat nudge.
YACHI_CHAT_NUDGE_MINUTES = envint("YACHI_CHAT_NUDGE_MINUTES", 10)
# MLPS 2.0 asks for at least six months of audit records; shorter is refused.
YACHI_AUDIT_RETENTION_DAYS = envint("YACHI_AUDIT_RETENTION_DAYS", 365)
if YACHI_AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("YACHI_AUDIT_RETENTION_DAYS must be at least 180")
# The end of the audit chain is written down outside the database (ADR 0017): signed
# checkpoints appended to a file, which in production belongs on another disk or host or
# is shipped with the logs; also logged on "yachi.audit.checkpoints" and, optionally,
# pushed to a Redis of their own (persistent, no eviction: not the cache's).
YACHI_AUDIT_CHECKPOINT_FILE = Path(
    envstr("YACHI_AUDIT_CHECKPOINT_FILE") or DATA_DIR / "audit-checkpoints.jsonl"
)
YACHI_AUDIT_CHECKPOINT_MINUTES = envint("YACHI_AUDIT_CHECKPOINT_MINUTES", 5)
if not 1 <= YACHI_AUDIT_CHECKPOINT_MINUTES <= 60:
    raise ImproperlyConfigured("YACHI_AUDIT_CHECKPOINT_MINUTES must be between 1 and 60")
YACHI_AUDIT_CHECKPOINT_REDIS_URL = envstr("YACHI_AUDIT_CHECKPOINT_REDIS_URL", "")
# The version of the privacy notice and consent texts patients accept (PIPL); raising
# it asks everyone to accept again at their next visit to the app.
YACHI_CONSENT_VERSION = envstr("YACHI_CONSENT_VERSION", "2026-11")

# Payments: how long an order waits for payment before it closes and gives its stock
# back; how long a paid intent may fail to settle before the payer is refunded.
YACHI_PAYMENT_WINDOW_MINUTES = envint("YACHI_PAYMENT_WINDOW_MINUTES", 15)
YACHI_PAYMENT_SETTLE_GRACE_MINUTES = envint("YACHI_PAYMENT_SETTLE_GRACE_MINUTES", 10)
# A treatment bill stays payable in the app this long.
YACHI_BILL_DUE_DAYS = envint("YACHI_BILL_DUE_DAYS", 30)
# A refund from the till of more than this (in fen) waits for a manager of the clinic to
# approve it; 0 sends every refund for approval.
YACHI_REFUND_APPROVAL_ABOVE_FEN = envint("YACHI_REFUND_APPROVAL_ABOVE_FEN", 100_000)
if YACHI_REFUND_APPROVAL_ABOVE_FEN < 0:
    raise ImproperlyConfigured("YACHI_REFUND_APPROVAL_ABOVE_FEN cannot be negative")

# Instalments through a financing partner, invoices through an invoicing provider (ADRs
# 0066, 0067). Empty base URLs: the feature answers "not available" instead of calling out.
YACHI_INSTALMENT_MIN_FEN = envint("YACHI_INSTALMENT_MIN_FEN", 300_000)
if YACHI_INSTALMENT_MIN_FEN < 1:
    raise ImproperlyConfigured("YACHI_INSTALMENT_MIN_FEN must be at least 1")
YACHI_FINANCING_PARTNER_URL = envstr("YACHI_FINANCING_PARTNER_URL", "").rstrip("/")
YACHI_FINANCING_PARTNER_APP_ID = envstr("YACHI_FINANCING_PARTNER_APP_ID", "")
# We sign requests with our secret; the partner signs its callbacks with its own.
YACHI_FINANCING_PARTNER_SECRET = envstr("YACHI_FINANCING_PARTNER_SECRET", "")
YACHI_FINANCING_PARTNER_CALLBACK_SECRET = envstr("YACHI_FINANCING_PARTNER_CALLBACK_SECRET", "")
YACHI_INVOICE_PROVIDER_URL = envstr("YACHI_INVOICE_PROVIDER_URL", "").rstrip("/")
YACHI_INVOICE_PROVIDER_APP_ID = envstr("YACHI_INVOICE_PROVIDER_APP_ID", "")
YACHI_INVOICE_PROVIDER_SECRET = envstr("YACHI_INVOICE_PROVIDER_SECRET", "")
# The seller on every invoice: the clinic group's taxpayer number.
YACHI_INVOICE_SELLER_TAX_NUMBER = envstr("YACHI_INVOICE_SELLER_TAX_NUMBER", "")
# A stand-in online provider for development and the demo (never in production).
YACHI_PAYMENT_SIMULATOR = envbool("YACHI_PAYMENT_SIMULATOR", not PRODUCTION)
if YACHI_PAYMENT_SIMULATOR and PRODUCTION:
    raise ImproperlyConfigured("YACHI_PAYMENT_SIMULATOR cannot be used in production")
YACHI_UPLOAD_MAX_BYTES = envint("YACHI_UPLOAD_MAX_BYTES", 8 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = YACHI_UPLOAD_MAX_BYTES + 1024 * 1024

# Case contests (病例征集; ADR 0049): the version of the separate consent an entry is
# made under (a new text, a new version), and the largest short video an entry takes.
YACHI_CASE_CONSENT_VERSION = envstr("YACHI_CASE_CONSENT_VERSION", "2026-12")
# A request's body is limited by YACHI_UPLOAD_MAX_BYTES (+1 MiB) in any case.
YACHI_CASE_VIDEO_MAX_BYTES = envint("YACHI_CASE_VIDEO_MAX_BYTES", 8 * 1024 * 1024)
# Channel attribution (ADR 0049): how long before a sign-up, booking, visit or payment a
# tracked link's touch still counts for it.
YACHI_ATTRIBUTION_WINDOW_DAYS = envint("YACHI_ATTRIBUTION_WINDOW_DAYS", 30)

# CRM (ADR 0052): who sees whole mobile numbers in a segment's export (roles at the
# segment's clinic, or "admin"); everyone else gets 138****1234. The playbook's daily run
# (clinic time) and its holdout share when a rule is made.
YACHI_CRM_FULL_PHONE_ROLES = envlist("YACHI_CRM_FULL_PHONE_ROLES", ["chain_operations", "admin"])
YACHI_PLAYBOOK_HOUR = envint("YACHI_PLAYBOOK_HOUR", 10)
if not 0 <= YACHI_PLAYBOOK_HOUR <= 23:
    raise ImproperlyConfigured("YACHI_PLAYBOOK_HOUR must be an hour of the day (0-23)")

# Flash sales (秒杀; ADR 0013): stock is taken by a Redis script when Redis is configured,
# by a conditional database update otherwise; the database stays the record of truth.
YACHI_FLASH_SALE_REDIS = envbool("YACHI_FLASH_SALE_REDIS", bool(REDIS_URL))
if YACHI_FLASH_SALE_REDIS and not REDIS_URL:
    raise ImproperlyConfigured("YACHI_FLASH_SALE_REDIS needs REDIS_URL")
# At most this many reservations of one process write to the database at once: the
# winners of a rush queue on the sale's row anyway, and must not exhaust connections.
YACHI_FLASH_DB_WRITERS = envint("YACHI_FLASH_DB_WRITERS", 8)
# How long a process remembers a sale's row for the reserve's first checks (the database
# and Redis still decide every place taken; yachi.shop.flash.sale_cache).
YACHI_FLASH_SALE_CACHE_SECONDS = envint("YACHI_FLASH_SALE_CACHE_SECONDS", 2)
# How long a process believes the Redis script's "sold out" for a sale, refusing a
# request without a key at once (a place given back elsewhere is sold this much later;
# yachi.shop.flash.store.known_sold_out). 0: always ask the script.
YACHI_FLASH_SOLD_OUT_SECONDS = envint("YACHI_FLASH_SOLD_OUT_SECONDS", 1)
# A place Redis gave out whose order is still missing after this long was lost on the
# way (a crash between the two steps) and is repaired: the order made or the place freed.
YACHI_FLASH_REPAIR_AFTER_SECONDS = envint("YACHI_FLASH_REPAIR_AFTER_SECONDS", 60)

# Backups (ADR 0039): `yachi backup` and the nightly job write encrypted archives here (in
# production another disk or a mounted share: not beside the data they protect), and
# retention keeps the newest of each of the last N days, weeks and months.
YACHI_BACKUP_DIR = Path(envstr("YACHI_BACKUP_DIR") or DATA_DIR / "backups")
YACHI_BACKUP_NIGHTLY = envbool("YACHI_BACKUP_NIGHTLY", True)
_backup_time = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", envstr("YACHI_BACKUP_TIME", "02:30"))
if not _backup_time:
    raise ImproperlyConfigured("YACHI_BACKUP_TIME must be HH:MM (clinic time), e.g. 02:30")
YACHI_BACKUP_TIME = (int(_backup_time.group(1)), int(_backup_time.group(2)))
YACHI_BACKUP_KEEP_DAILY = envint("YACHI_BACKUP_KEEP_DAILY", 7)
YACHI_BACKUP_KEEP_WEEKLY = envint("YACHI_BACKUP_KEEP_WEEKLY", 4)
YACHI_BACKUP_KEEP_MONTHLY = envint("YACHI_BACKUP_KEEP_MONTHLY", 12)
if min(YACHI_BACKUP_KEEP_DAILY, YACHI_BACKUP_KEEP_WEEKLY, YACHI_BACKUP_KEEP_MONTHLY) < 0 or not (
    YACHI_BACKUP_KEEP_DAILY or YACHI_BACKUP_KEEP_WEEKLY or YACHI_BACKUP_KEEP_MONTHLY
):
    raise ImproperlyConfigured("YACHI_BACKUP_KEEP_* cannot be negative, nor all 0")
# Where pg_dump and pg_restore are, when not on PATH (their major version must not be
# older than the server's).
YACHI_PG_BIN_DIR = envstr("YACHI_PG_BIN_DIR", "")


def _ice_servers() -> list[dict]:
    """``YACHI_ICE_SERVERS``: the STUN and TURN servers both browsers of a video
    consultation use, as ``RTCPeerConnection`` takes them: a JSON list such as
    ``[{"urls": "stun:stun.example.cn:3478"}, {"urls": ["turn:turn.example.cn:3478"],
    "username": "yachi", "credential": "…"}]``. None by default: browsers on one network
    (or one machine) connect without them."""
    import json

    raw = envstr("YACHI_ICE_SERVERS")
    if raw is None or not raw.strip():
        return []
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"YACHI_ICE_SERVERS is not valid JSON: {exc}") from exc
    if not isinstance(value, list):
        raise ImproperlyConfigured("YACHI_ICE_SERVERS must be a JSON list ([{...}])")
    for server in value:
        urls = server.get("urls") if isinstance(server, dict) else None
        urls = [urls] if isinstance(urls, str) else urls
        if (
            not urls
            or not isinstance(urls, list)
            or not all(isinstance(u, str) and re.match(r"^(stuns?|turns?):", u) for u in urls)
            or not set(server) <= {"urls", "username", "credential"}
            or not all(isinstance(server.get(k, ""), str) for k in ("username", "credential"))
        ):
            raise ImproperlyConfigured(
                'YACHI_ICE_SERVERS: each server is {"urls": "stun:…" or "turn:…" '
                '(or a list of them), "username"?, "credential"?}'
            )
    return value


# Video consultations (ADR 0045): the STUN/TURN servers, and when a room opens before
# the appointment's start and closes after its end.
YACHI_ICE_SERVERS = _ice_servers()
YACHI_VIDEO_OPENS_MINUTES = envint("YACHI_VIDEO_OPENS_MINUTES", 10)
YACHI_VIDEO_CLOSES_MINUTES = envint("YACHI_VIDEO_CLOSES_MINUTES", 0)
