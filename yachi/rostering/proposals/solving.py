"""The optimizer's front, turned into what a proposal stores: each option's objectives,
its shifts (with the emergency buffer each keeps) and the booked visits it leaves
uncovered (ADR 0056)."""

from collections import defaultdict

from django.conf import settings

from yachi.core.errors import InvalidInput
from yachi.rostering.planner import nsga
from yachi.rostering.planner.model import InfeasibleInstance, Instance, Option


def _buffers(instance: Instance, shifts: list) -> dict[int, int]:
    """How many minutes at the end of each shift (by its index) are the emergency buffer.

    Per clinic half-day, what the rostered time leaves after the larger of the booked
    minutes and the demand, up to the instance's target, is held at the end of the
    shifts with the least booked in their last part, until the half-day's buffer is
    placed."""
    target = instance.emergency_buffer_minutes
    if not target:
        return {}
    by_half: dict[tuple, list[int]] = defaultdict(list)
    halves = {(h.clinic_id, h.start): h for h in instance.half_days}
    for index, shift in enumerate(shifts):
        half = halves.get((shift.clinic_id, shift.start))
        if half is not None:
            by_half[half.key].append(index)
    demand: dict[tuple, int] = defaultdict(int)
    for item in instance.demand:
        demand[item.key] += item.minutes
    buffers: dict[int, int] = {}
    for key, indexes in by_half.items():
        rostered = sum(int(shifts[i].hours * 60) for i in indexes)
        booked = {
            i: [
                a
                for a in instance.appointments
                if a.doctor_id == shifts[i].doctor_id and shifts[i].start <= a.start < shifts[i].end
            ]
            for i in indexes
        }
        booked_minutes = sum(a.minutes for i in indexes for a in booked[i])
        left = min(target, max(0, rostered - max(booked_minutes, demand.get(key, 0))))
        for i in sorted(indexes, key=lambda i: (len(booked[i]), i)):
            if left <= 0:
                break
            shift = shifts[i]
            # Free minutes at the end of the shift, after its last booked visit.
            last_end = max((a.end for a in booked[i]), default=shift.start)
            free_tail = int((shift.end - last_end).total_seconds() // 60)
            take = min(left, free_tail)
            if take > 0:
                buffers[i] = take
                left -= take
    return buffers


def option_record(instance: Instance, option: Option) -> dict:
    ordered = sorted(option.shifts)
    buffers = _buffers(instance, ordered)
    return {
        "objectives": option.objectives.as_dict(),
        "shifts": [
            {
                "doctor_id": shift.doctor_id,
                "clinic_id": shift.clinic_id,
                "chair_id": shift.chair_id,
                "start": shift.start.isoformat(),
                "end": shift.end.isoformat(),
                "emergency_minutes": buffers.get(index, 0),
            }
            for index, shift in enumerate(ordered)
        ],
        "uncovered": [str(item) for item in option.uncovered_appointments],
    }


def front_of(built) -> list[dict]:
    """The Pareto front of the built instance, as the optimizer sorts it.

    ``InvalidInput`` (``no_roster``) when no roster meets the hard constraints, with the
    optimizer's reasons."""
    try:
        options = nsga.propose(
            built.instance,
            seed=settings.YACHI_ROSTER_SEED,
            time_limit_seconds=settings.YACHI_ROSTER_TIME_LIMIT_SECONDS,
            max_generations=settings.YACHI_ROSTER_GENERATIONS,
        )
    except InfeasibleInstance as exc:
        raise InvalidInput("; ".join(exc.problems), code="no_roster") from exc
    return [option_record(built.instance, option) for option in options]
