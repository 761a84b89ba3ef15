"""Prometheus metrics: what every request costs, and what the contexts report at scrape time.

Two kinds, kept apart on purpose (ADR 0041):

- Counts and latencies of requests (and the counters contexts keep, such as bookings)
  are written by every process as it serves, into prometheus_client's multiprocess files
  under ``YACHI_METRICS_DIR``: ``yachi serve --workers N`` runs N processes and a job
  consumer, and a scrape, answered by any one of them, adds up all of their files.
- Gauges of the shared state (the job queue, places left in flash sales, failed
  notifications, the last backup's age) are read when Prometheus asks, by the functions
  their contexts register with ``register_gauge``. They read the database or Redis, so
  they are the same whichever instance answers: sum the counters over instances, not
  these.

``PROMETHEUS_MULTIPROC_DIR`` is set by the settings, before this module (and with it
prometheus_client) is first imported.
"""

import hmac
import logging
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from yachi.core.jobs_heartbeat import heartbeat_age, queue_depth

logger = logging.getLogger(__name__)

# API requests are short: most of them well under 50 ms on the server (docs/benchmarks.md).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter(
    "yachi_http_requests",
    "HTTP requests answered, by method, route pattern and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "yachi_http_request_duration_seconds",
    "Time from the request entering Django to its answer leaving it, by route pattern",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
ERRORS = Counter(
    "yachi_http_errors",
    "Answers with a 5xx status, and requests that raised, by route pattern",
    ["method", "route"],
)

UNMATCHED = "unmatched"
# A label value per method a client may invent would be a series per invention.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def counter(name: str, documentation: str, labels: tuple[str, ...] = ()) -> Counter:
    """A counter a context keeps (incremented where the thing happens), summed over processes."""
    return Counter(name, documentation, list(labels))


@dataclass(frozen=True)
class Gauge:
    name: str
    documentation: str
    labels: tuple[str, ...]
    # No labels: a number (NaN when unknown). Labels: {label values: number}.
    read: Callable[[], float | dict[tuple[str, ...], float]]


_gauges: dict[str, Gauge] = {}


def register_gauge(
    name: str,
    documentation: str,
    read: Callable[[], float | dict[tuple[str, ...], float]],
    *,
    labels: tuple[str, ...] = (),
) -> None:
    """A gauge read when Prometheus scrapes, by a context that knows the value.

    The backup context registers ``yachi_backup_age_seconds`` this way (it is declared
    here, NaN until then, so that an alert on it exists before backups do).
    """
    _gauges[name] = Gauge(name, documentation, labels, read)


def register_backup_age(read: Callable[[], float | None]) -> None:
    """Seconds since the last backup that succeeded (None when there has never been one)."""

    def age() -> float:
        value = read()
        return math.nan if value is None else float(value)

    register_gauge(BACKUP_AGE, BACKUP_AGE_HELP, age)


BACKUP_AGE = "yachi_backup_age_seconds"
BACKUP_AGE_HELP = "Seconds since the last successful backup (NaN: none known)"
register_gauge(BACKUP_AGE, BACKUP_AGE_HELP, lambda: math.nan)


class _ScrapeTimeGauges:
    """Reads every registered gauge; one that fails is left out, and logged, not the scrape."""

    def collect(self):
        for gauge in list(_gauges.values()):
            try:
                value = gauge.read()
            except Exception:
                logger.exception("metric %s could not be read", gauge.name)
                continue
            family = GaugeMetricFamily(gauge.name, gauge.documentation, labels=gauge.labels)
            if gauge.labels:
                for label_values, number in value.items():
                    family.add_metric(list(label_values), number)
            else:
                family.add_metric([], value)
            yield family


def exposition() -> bytes:
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(_ScrapeTimeGauges())
    return generate_latest(registry)


def clear_process_files(directory: Path) -> None:
    """Forget the files of processes that served before (``yachi serve`` starting).

    Files are named by process id (``counter_1234.db``); those of a process still alive
    (another command sharing the directory) are kept, or its counts would vanish.
    """
    for path in directory.glob("*.db"):
        _kind, _sep, pid = path.stem.rpartition("_")
        if pid.isdigit() and _alive(int(pid)):
            continue
        path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


# --- the request middleware ---------------------------------------------------------------


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNMATCHED
    return "/" + match.route


class RequestMetricsMiddleware:
    """Counts and times every request by its route pattern (``/api/v1/doctors/<id>``, never
    the raw path: ids would make a series per patient).

    Cheap on the hot path: two clock reads and a few increments of memory-mapped
    values; the labelled children are looked up once per route and kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._counts: dict[tuple[str, str, int], object] = {}
        self._latencies: dict[tuple[str, str], object] = {}

    def __call__(self, request):
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        except Exception:
            method = request.method if request.method in METHODS else "other"
            ERRORS.labels(method, _route(request)).inc()
            raise
        elapsed = time.perf_counter() - started
        method = request.method if request.method in METHODS else "other"
        route, status = _route(request), response.status_code
        key = (method, route, status)
        count = self._counts.get(key)
        if count is None:
            count = self._counts[key] = REQUESTS.labels(method, route, str(status))
        count.inc()
        latency = self._latencies.get(key[:2])
        if latency is None:
            latency = self._latencies[key[:2]] = LATENCY.labels(method, route)
        latency.observe(elapsed)
        if status >= 500:
            ERRORS.labels(method, route).inc()
        return response


# --- the endpoint ---------------------------------------------------------------------------


def metrics_view(request):
    """``GET /metrics`` with ``Authorization: Bearer $YACHI_METRICS_TOKEN``."""
    expected = settings.YACHI_METRICS_TOKEN
    if not expected:
        return JsonResponse(
            {
                "code": "metrics_disabled",
                "message": _("Metrics are turned off: set YACHI_METRICS_TOKEN to turn them on."),
            },
            status=403,
        )
    given = request.headers.get("Authorization", "")
    scheme, _space, token = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), expected.encode()):
        response = JsonResponse(
            {"code": "metrics_token_required", "message": _("A valid metrics token is required.")},
            status=401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)


# --- the kernel's own gauges: the job queue --------------------------------------------------


def _queue_depth() -> dict[tuple[str], float]:
    pending, scheduled = queue_depth()
    return {("pending",): float(pending), ("scheduled",): float(scheduled)}


def _queue_age() -> float:
    age = heartbeat_age()
    return math.nan if age is None else age


register_gauge(
    "yachi_job_queue_depth",
    "Jobs waiting in the queue: pending (to run now) and scheduled (for later)",
    _queue_depth,
    labels=("state",),
)
register_gauge(
    "yachi_job_queue_age_seconds",
    "Seconds since a worker last ran the minute heartbeat job: about 60 when the queue "
    "keeps up, growing when it falls behind or no consumer runs (NaN: never ran)",
    _queue_age,
)
