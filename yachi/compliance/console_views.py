"""The audit trail in the console: managers search it and export what they found."""

import csv

from django.conf import settings
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from yachi.compliance.audit import audit_record
from yachi.compliance.blindindex import blind_index
from yachi.compliance.models import AuditAction
from yachi.compliance.objects import object_kind, object_labels
from yachi.compliance.selectors import actor_names, audit_anchoring, audit_entries
from yachi.core.errors import DomainError
from yachi.core.pages import staff_required

PAGE_SIZE = 50


@staff_required
def audit_page(request):
    entries = audit_entries(user=request.user, params=request.GET)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    names = actor_names(page)
    labels = object_labels(request.user, [(e.object_type, e.object_id) for e in page])
    objects = {
        e.pk: (object_kind(e.object_type), labels.get((e.object_type, e.object_id), ""))
        for e in page
    }
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "compliance/console/audit.html",
        {
            "page": page,
            "names": names,
            "objects": objects,
            "actions": AuditAction.choices,
            "params": request.GET,
            "query": query.urlencode(),
            # The whole trail's state, for whoever runs the installation.
            "anchoring": audit_anchoring() if request.user.is_staff else None,
            "checkpoint_minutes": settings.YACHI_AUDIT_CHECKPOINT_MINUTES,
            "section": "audit",
        },
    )


def _cell(value) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula; a user agent or a
    note could be made to start that way, so such cells are quoted."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


class _Echo:
    def write(self, value):
        return value


def _export_filters(params) -> dict:
    """What the export was filtered by; a searched mobile number only by its blind index,
    since the audit trail keeps no number in clear."""
    filters = {key: value for key, value in params.items() if key != "page"}
    if filters.get("phone"):
        try:
            filters["phone"] = blind_index("phone", filters["phone"])
        except DomainError:
            filters["phone"] = ""
    return filters


@staff_required
def audit_export(request):
    """The filtered trail as CSV; the export itself is recorded."""
    entries = audit_entries(user=request.user, params=request.GET)
    audit_record(
        action=AuditAction.AUDIT_EXPORTED,
        actor=request.user,
        details=_export_filters(request.GET),
    )
    writer = csv.writer(_Echo())
    header = [
        "seq",
        "when",
        "actor",
        "role",
        "clinic",
        "action",
        "object",
        "object_id",
        "outcome",
        "ip",
        "device",
        "request_id",
        "details",
    ]

    def rows():
        yield "\ufeff" + writer.writerow(header)  # BOM: Excel opens UTF-8 Chinese correctly
        for e in entries.iterator(chunk_size=2000):
            values = (
                e.seq,
                e.created_at.isoformat(),
                e.actor,
                e.actor_role,
                e.clinic,
                e.action,
                e.object_type,
                e.object_id,
                e.outcome,
                e.ip,
                e.device,
                e.request_id,
                e.details,
            )
            yield writer.writerow([_cell(value) for value in values])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="yachi-audit-{stamp}.csv"'
    return response
