"""Appointments to check in and the moments to do it, for the queue's tests."""

from datetime import timedelta

from conftest import tomorrow_at
from yachi.booking.services import appointments_book


def book(world, *, hour=10, minute=0, patient=None, actor=None, doctor=None, service=None):
    return appointments_book(
        actor=actor or world.patient_parent,
        doctor=doctor or world.clinic_a_doctor,
        service=service or world.cleaning_a,
        start=tomorrow_at(hour, minute),
        patients=[patient or world.parent],
    ).appointments[0]


def before(appointment, minutes):
    return appointment.start - timedelta(minutes=minutes)


def at_clinic(clinic):
    return {"latitude": float(clinic.latitude), "longitude": float(clinic.longitude)}
