"""Case contests (病例征集): entries under a separate consent, withdrawn with their files,
seen only by the entrant and staff, and a prize pool split to the fen and paid once."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tests import factories as f
from yachi.compliance.models import AuditEntry
from yachi.core.errors import DomainError
from yachi.core.roles import ClinicRole
from yachi.growth.cases import services
from yachi.growth.cases.models import CaseContest, CaseEntry, CaseFile, ContestStatus
from yachi.growth.ledger import points_balance
from yachi.growth.models import Coupon
from yachi.growth.promotion import ContentRefused

pytestmark = pytest.mark.django_db


def photo(name="smile.jpg", colour=(200, 180, 170)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", (64, 48), colour)
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def video() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "clip.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200, content_type="video/mp4"
    )


def contest(world, **fields) -> CaseContest:
    today = timezone.localdate()
    values = {
        "title": "隐形矫正病例征集",
        "description": "分享您的矫正历程，参与评选。",
        "starts_on": today - timedelta(days=3),
        "ends_on": today + timedelta(days=30),
        "prize_pool_fen": 1_000_000,
        "winners": 3,
        "split_rule": "equal",
        "prize_kind": "points",
    }
    values.update(fields)
    saved = services.contest_save(actor=world.clinic_a_manager, **values)
    return services.contest_move(actor=world.clinic_a_manager, contest=saved, step="open")


def enter(user, running, **fields) -> CaseEntry:
    values = {"story": "", "consent": True, "before": [photo()], "after": [photo(), video()]}
    values.update(fields)
    return services.entry_submit(user=user, contest=running, **values)


def patients(n: int):
    return [f.patient_user(f"1390000{i:04d}") for i in range(n)]


def test_a_contest_text_with_claims_is_refused(world):
    with pytest.raises(ContentRefused) as refused:
        contest(world, title="矫正效果保证，治愈率 100%")
    assert "保证" in str(refused.value.message)
    assert not CaseContest.objects.exists()


def test_an_entry_needs_the_separate_consent_and_both_stages(world):
    running = contest(world)
    with pytest.raises(DomainError) as refused:
        enter(world.patient_parent, running, consent=False)
    assert refused.value.code == "consent_required"
    with pytest.raises(DomainError) as refused:
        enter(world.patient_parent, running, before=[])
    assert refused.value.code == "files_required"
    assert not CaseEntry.objects.exists() and not CaseFile.objects.exists()


def test_an_entry_keeps_reencoded_pictures_and_withdrawal_deletes_them(
    world, django_capture_on_commit_callbacks
):
    running = contest(world)
    entry = enter(world.patient_parent, running)
    files = list(entry.files.all())
    assert [f.stage for f in files] == ["after", "after", "before"] or len(files) == 3
    picture = next(f for f in files if f.content_type == "image/jpeg")
    with default_storage.open(picture.file.name) as stored:
        kept = Image.open(stored)
        assert not kept.getexif()  # no camera data survives
    names = [f.file.name for f in files]
    assert AuditEntry.objects.filter(action="consent_granted", object_id=str(entry.public_id))
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_withdraw(user=world.patient_parent, entry=entry)
    entry.refresh_from_db()
    assert entry.status == "withdrawn" and entry.consent_withdrawn_at
    assert not entry.files.exists()
    assert not any(default_storage.exists(name) for name in names)
    assert AuditEntry.objects.filter(action="consent_withdrawn", object_id=str(entry.public_id))


def test_entries_are_seen_only_by_the_entrant_and_staff(client, world):
    running = contest(world)
    entry = enter(world.patient_parent, running, story="矫正一年")
    picture = entry.files.first()
    client.force_login(world.other_patient)
    assert client.get(f"/cases/entries/{entry.public_id}/").status_code == 404
    assert client.get(f"/cases/files/{picture.public_id}/").status_code == 404
    assert client.post(f"/cases/entries/{entry.public_id}/withdraw/").status_code == 404
    # The contest's page shows no entry, to anyone.
    page = client.get(f"/cases/{running.public_id}/").content.decode()
    assert str(entry.public_id) not in page and f"/cases/files/{picture.public_id}" not in page
    client.force_login(world.patient_parent)
    own = client.get(f"/cases/entries/{entry.public_id}/").content.decode()
    assert f"/cases/files/{picture.public_id}/" in own
    served = client.get(f"/cases/files/{picture.public_id}/")
    assert served.status_code == 200 and served["Cache-Control"] == "private, no-store"
    client.force_login(world.clinic_a_front_desk)
    assert client.get(f"/console/cases/entries/{entry.public_id}/").status_code == 403
    client.force_login(world.clinic_a_doctor.user)
    assert client.get(f"/console/cases/entries/{entry.public_id}/").status_code == 200
    assert AuditEntry.objects.filter(
        action="clinical_read",
        object_id=str(entry.public_id),
        actor_id=world.clinic_a_doctor.user.pk,
    ).exists()
    entry.refresh_from_db()
    assert entry.status == "submitted"


def test_a_patient_enters_through_the_page(client, world):
    running = contest(world)
    client.force_login(world.patient_parent)
    response = client.post(
        f"/cases/{running.public_id}/",
        {"consent": "yes", "before": photo(), "after": photo(), "story": "谢谢医生"},
    )
    entry = CaseEntry.objects.get()
    assert response.status_code == 302 and entry.entrant == world.patient_parent
    assert entry.story == "谢谢医生" and entry.files.count() == 2


def _judge(world, running, scores):
    entries = []
    for user, score in zip(patients(len(scores)), scores, strict=True):
        entry = enter(user, running)
        services.entry_review(actor=world.clinic_a_manager, entry=entry, accept=True)
        entry.refresh_from_db()
        services.entry_score(actor=world.clinic_a_manager, entry=entry, score=score)
        entries.append(entry)
    services.contest_move(actor=world.clinic_a_manager, contest=running, step="judge")
    return entries


def test_an_equal_pool_is_paid_as_points_to_the_fen_once(world):
    running = contest(world)
    entries = _judge(world, running, [90, 80, 70, 10])
    awards = services.prizes_award(actor=world.clinic_a_manager, contest=running)
    assert sorted(a.share_fen for a in awards) == [333_333, 333_333, 333_334]
    assert sum(a.share_fen for a in awards) == 1_000_000
    winners = [e.entrant for e in entries[:3]]
    assert sorted(points_balance(user=u) for u in winners) == [333_333, 333_333, 333_334]
    assert points_balance(user=entries[3].entrant) == 0
    again = services.prizes_award(actor=world.clinic_a_manager, contest=running)
    assert len(again) == 3
    assert sum(points_balance(user=u) for u in winners) == 1_000_000
    assert AuditEntry.objects.filter(action="case_prizes_paid").count() == 1


def test_a_pool_by_scores_is_paid_as_coupons_by_largest_remainder(world):
    running = contest(world, split_rule="scores", prize_kind="coupon", winners=3)
    entries = _judge(world, running, [90, 85, 85])
    awards = services.prizes_award(actor=world.clinic_a_manager, contest=running)
    shares = {a.entry_id: a.share_fen for a in awards}
    assert [shares[e.pk] for e in entries] == [346_154, 326_923, 326_923]
    coupons = Coupon.objects.filter(owner__in=[e.entrant for e in entries]).select_related(
        "template"
    )
    assert sorted(c.template.amount_off_fen for c in coupons) == [326_923, 326_923, 346_154]


def test_paying_needs_judging_and_managers(world, client):
    running = contest(world)
    enter(world.patient_parent, running)
    with pytest.raises(DomainError) as refused:
        services.prizes_award(actor=world.clinic_a_manager, contest=running)
    assert refused.value.code == "not_judging"
    doctor = f.staff_member(world.clinic_a, role=ClinicRole.FRONT_DESK)
    client.force_login(doctor)
    response = client.post(f"/console/cases/{running.public_id}/move/", {"step": "judge"})
    assert response.status_code == 403
    running.refresh_from_db()
    assert running.status == ContestStatus.OPEN
