"""The follow-up calls (回访) in the API, for the clinic's staff: the clinic's list (to
call, or done), one call with its script and the patient's number, and the outcome."""

from typing import Literal
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from yachi.accounts import facade as accounts
from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput, NotFound, PermissionDenied
from yachi.core.models import as_public_id
from yachi.core.schemas import InputSchema, IsoDate, Line, LocalDatetime, Text, errors
from yachi.crm.access import staff_clinic
from yachi.crm.playbook import selectors, services
from yachi.crm.playbook.choices import TaskStatus
from yachi.crm.playbook.models import FollowUpTask
from yachi.crm.segments.services import masked_phone
from yachi.patients import facade as patients

router = Router(tags=["follow-up calls"])

PAGE_MAX = 100


class FollowUpQuery(Schema):
    clinic_id: Line = Field(max_length=64, description="the clinic's id")
    status: Literal["open", "done"] = Field("open", description="to call, or called")
    due_from: IsoDate | None = Field(None, description="due on or after this day")
    due_to: IsoDate | None = Field(None, description="due on or before this day")
    limit: int = Field(50, ge=1, le=PAGE_MAX)
    offset: int = Field(0, ge=0, le=1_000_000)


class FollowUpPatientOut(Schema):
    id: UUID | None
    name: str
    phone: str = Field(description="masked in lists; whole on one call's page")


class FollowUpRuleOut(Schema):
    id: UUID
    name: str


class FollowUpOut(Schema):
    id: UUID
    clinic_id: UUID
    patient: FollowUpPatientOut
    rule: FollowUpRuleOut
    treatment: str
    visit_on: str
    due_on: str
    status: str = Field(description="`open` (to call) or `done`")
    outcome: str = Field(description="`well`, `discomfort`, `review`, `unreachable`; or ''")
    outcome_display: str
    done_at: LocalDatetime | None
    done_by: str


class FollowUpDetailOut(FollowUpOut):
    script: str
    note: str


class FollowUpPageOut(Schema):
    count: int = Field(description="how many match, in all pages")
    offset: int
    next_offset: int | None = Field(description="the next page's offset; null: the last page")
    items: list[FollowUpOut]


class OutcomeIn(InputSchema):
    outcome: Line = Field(max_length=16, description="how the call went")
    note: Text = Field("", max_length=1000)


def _staff(request):
    if not request.user.is_clinic_staff:
        raise PermissionDenied(_("Follow-up calls are for the clinic's staff."), code="staff_only")


def _task(request, task_id: str) -> FollowUpTask:
    """The call, at a clinic where the caller works: any other is "not found", as is one
    that does not exist."""
    _staff(request)
    public_id = as_public_id(task_id)
    task = (
        FollowUpTask.objects.select_related("rule", "clinic").filter(public_id=public_id).first()
        if public_id
        else None
    )
    mine = clinics.staff_clinic_ids(request.user)
    if task is None or (mine is not None and task.clinic_id not in mine):
        raise NotFound(_("Not found."), code="not_found")
    clinics.require(request.user, task.clinic, clinics.Duty.SEE)
    return task


def _out(task: FollowUpTask, person, done_by: dict, *, detail: bool = False) -> dict:
    phone = getattr(person, "phone", "") or ""
    answer = {
        "id": task.public_id,
        "clinic_id": task.clinic.public_id,
        "patient": {
            "id": person.public_id if person else None,
            "name": getattr(person, "name", ""),
            "phone": phone if detail else masked_phone(phone),
        },
        "rule": {"id": task.rule.public_id, "name": task.rule.name},
        "treatment": task.service_name,
        "visit_on": task.visit_on.isoformat(),
        "due_on": task.due_on.isoformat(),
        "status": task.status,
        "outcome": task.outcome,
        "outcome_display": task.get_outcome_display() if task.outcome else "",
        "done_at": task.done_at,
        "done_by": done_by.get(task.done_by_id, "") if task.done_by_id else "",
    }
    if detail:
        answer |= {"script": task.rule.script, "note": task.note}
    return answer


def _people(tasks) -> dict:
    return patients.people_facts(patient_ids={t.patient_id for t in tasks}, contact=True)


def _names(tasks) -> dict:
    return accounts.user_names(t.done_by_id for t in tasks if t.done_by_id)


@router.get(
    "/clinic/follow-up-tasks", response={200: FollowUpPageOut, **errors(401, 403, 404, 422)}
)
def follow_up_tasks(request, query: Query[FollowUpQuery]):
    """The clinic's follow-up calls (staff of the clinic): those to call (`status=open`,
    by the day they are due) or those called (`done`, the latest first), due between
    `due_from` and `due_to` when given; `limit` at a time from `offset`. Phone numbers
    are masked here; one call's page gives the whole number."""
    _staff(request)
    clinic = staff_clinic(actor=request.user, clinic_id=query.clinic_id, duty=clinics.Duty.SEE)
    if query.due_from and query.due_to and query.due_from > query.due_to:
        raise InvalidInput(_("The first day comes after the last."), code="date_range")
    status = TaskStatus.DONE if query.status == "done" else TaskStatus.OPEN
    tasks, count = selectors.clinic_tasks_page(
        clinic=clinic,
        status=status,
        due_from=query.due_from,
        due_to=query.due_to,
        limit=query.limit,
        offset=query.offset,
    )
    for task in tasks:
        task.clinic = clinic
    people, names = _people(tasks), _names(tasks)
    after = query.offset + len(tasks)
    return {
        "count": count,
        "offset": query.offset,
        "next_offset": after if after < count else None,
        "items": [_out(t, people.get(t.patient_id), names) for t in tasks],
    }


def _detail(request, task: FollowUpTask) -> dict:
    person = _people([task]).get(task.patient_id)
    return _out(task, person, _names([task]), detail=True)


@router.get(
    "/clinic/follow-up-tasks/{task_id}", response={200: FollowUpDetailOut, **errors(401, 403, 404)}
)
def follow_up_task(request, task_id: str):
    """One follow-up call with its script, the patient's whole number (the read is
    audited) and, once called, the outcome and note."""
    task = _task(request, task_id)
    answer = _detail(request, task)
    audit_record(
        action=AuditAction.PATIENT_PAGE_READ,
        actor=request.user,
        object_type="patients.patient",
        object_id=answer["patient"]["id"] or "",
        clinic=task.clinic,
        details={"page": "api.crm.follow_up", "task": str(task.public_id)},
    )
    return answer


@router.post(
    "/clinic/follow-up-tasks/{task_id}/outcome",
    response={200: FollowUpDetailOut, **errors(400, 401, 403, 404, 409, 413, 422)},
)
def follow_up_outcome(request, task_id: str, payload: OutcomeIn):
    """Record how the call went (`outcome`: one of `well`, `discomfort`, `review`,
    `unreachable`) with an optional note (encrypted at rest); once per call: 409
    `already_recorded` after that."""
    task = _task(request, task_id)
    services.follow_up_record(
        actor=request.user, task=task, outcome=payload.outcome, note=payload.note
    )
    return _detail(request, task)
