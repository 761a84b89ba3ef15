"""Doctors' profiles: patients read photo, title, skills, years in practice and an
introduction before they book; the clinic's managers edit them in the console, a doctor
edits their own introduction and photo, nobody else anything."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests import factories as f
from yachi.clinics.choices import DoctorTitle, Skill
from yachi.clinics.models import Doctor
from yachi.compliance.models import AuditEntry
from yachi.core.roles import Role

pytestmark = pytest.mark.django_db


def _edit_url(world, doctor=None, clinic=None):
    doctor = doctor or world.clinic_a_doctor
    clinic = clinic or world.clinic_a
    return reverse("console:doctor_edit", args=[clinic.public_id, doctor.public_id])


def _jpeg_with_location(size=(1200, 900)) -> SimpleUploadedFile:
    """A camera photo: bigger than shown, with EXIF data naming where it was taken."""
    image = Image.new("RGB", size, (180, 160, 150))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (31.0, 13.0, 0.0)}  # GPS latitude
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("me.jpg", buffer.getvalue(), content_type="image/jpeg")


def _profile(doctor, **changes):
    for name, value in changes.items():
        setattr(doctor, name, value)
    doctor.save()
    return doctor


def _reload(doctor) -> Doctor:
    return Doctor.objects.get(pk=doctor.pk)


def _form(doctor, **overrides) -> dict:
    """The edit form as a manager's browser sends it, with ``overrides``."""
    form = {
        "title": doctor.title,
        "practising_since": doctor.practising_since or "",
        "introduction": doctor.bio,
        "skills_shown": "1",
        "skills": [s.skill for s in doctor.skills.all()],
        "photo_shown": "1",
    }
    form.update(overrides)
    return form


# --- what patients see -----------------------------------------------------------------------


def test_the_profile_shows_title_years_skills_and_introduction(client, world):
    doctor = _profile(
        world.clinic_a_implant_doctor,
        title=DoctorTitle.CHIEF,
        practising_since=timezone.localdate().year - 12,
        bio="专注种植修复，<b>耐心</b>细致。",
    )
    client.force_login(world.patient_parent)
    page = client.get(reverse("web:doctor_profile", args=[doctor.public_id]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "主任医师" in text and "从业 12 年" in text
    assert "种植" in text and "综合口腔" in text
    # Plain text: what was typed is shown, never interpreted as markup.
    assert "专注种植修复，&lt;b&gt;耐心&lt;/b&gt;细致。" in text
    assert world.clinic_a.name in text
    # Without a photo, a placeholder with the surname.
    assert 'class="avatar-initials"' in text and ">李<" in text
    # The services the doctor provides at the clinic can be booked from here.
    book = reverse("web:book_slots", args=[world.implant_a.public_id, doctor.public_id])
    assert book in text


def test_from_a_service_the_profile_books_that_service(client, world):
    doctor = world.clinic_a_doctor
    client.force_login(world.patient_parent)
    listing = client.get(reverse("web:book_doctors", args=[world.cleaning_a.public_id]))
    profile = reverse("web:doctor_profile", args=[doctor.public_id])
    assert f"{profile}?service={world.cleaning_a.public_id}" in listing.content.decode()

    page = client.get(profile, {"service": str(world.cleaning_a.public_id)})
    book = reverse("web:book_slots", args=[world.cleaning_a.public_id, doctor.public_id])
    assert f'href="{book}" data-testid="book"' in page.content.decode()


def test_a_doctor_in_their_first_year_is_not_shown_as_zero_years(client, world):
    _profile(world.clinic_a_doctor, practising_since=timezone.localdate().year)
    client.force_login(world.patient_parent)
    page = client.get(reverse("web:doctor_profile", args=[world.clinic_a_doctor.public_id]))
    assert "从业不满 1 年" in page.content.decode()


def test_the_api_gives_the_profile_with_public_ids_only(api, world):
    doctor = _profile(world.clinic_a_doctor, practising_since=2010, bio="擅长洁牙。")
    detail = api.get(f"/doctors/{doctor.public_id}").json()
    assert detail["id"] == str(doctor.public_id)
    assert detail["bio"] == "擅长洁牙。"
    assert detail["practising_since"] == 2010
    assert detail["years_in_practice"] == timezone.localdate().year - 2010
    assert detail["photo_url"] is None and detail["initials"] == "王"
    assert detail["clinics"] == [
        {"id": str(world.clinic_a.public_id), "name": "静安店", "address": world.clinic_a.address}
    ]
    listed = api.get(f"/clinics/{world.clinic_a.public_id}/doctors").json()
    mine = next(d for d in listed if d["id"] == str(doctor.public_id))
    assert mine["years_in_practice"] == detail["years_in_practice"]
    assert {"photo_url", "photo_is_illustration", "title_display"} <= set(mine)
    assert "pk" not in detail and "user" not in detail


# --- editing in the console ------------------------------------------------------------------


def test_a_manager_edits_the_profile_with_a_photo_and_it_is_audited(client, world):
    doctor = world.clinic_a_doctor
    client.force_login(world.clinic_a_manager)
    assert client.get(_edit_url(world)).status_code == 200
    form = _form(
        doctor,
        title=DoctorTitle.ASSOCIATE_CHIEF,
        practising_since="2009",
        introduction="擅长根管治疗。\n周末出诊。",
        skills=[Skill.GENERAL, Skill.ENDODONTICS],
        photo=_jpeg_with_location(),
    )
    answer = client.post(_edit_url(world), form)
    assert answer.status_code == 302

    doctor = _reload(doctor)
    assert (doctor.title, doctor.practising_since) == (DoctorTitle.ASSOCIATE_CHIEF, 2009)
    assert doctor.bio == "擅长根管治疗。\n周末出诊。"
    assert sorted(s.skill for s in doctor.skills.all()) == ["endodontics", "general"]
    with Image.open(doctor.photo.open("rb")) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 800  # scaled to what is shown
        assert not stored.getexif()  # no camera, no location
    [entry] = AuditEntry.objects.filter(action="doctor_profile_changed")
    assert entry.actor_id == world.clinic_a_manager.pk
    assert entry.object_id == str(doctor.public_id)
    assert entry.clinic == str(world.clinic_a.public_id)
    assert set(entry.details["changed"]) == {
        "title",
        "practising_since",
        "introduction",
        "skills",
        "photo",
    }
    assert entry.details["title"] == {"from": "attending", "to": "associate_chief"}

    # The new photo is what patients are shown.
    client.force_login(world.patient_parent)
    page = client.get(reverse("web:doctor_profile", args=[doctor.public_id])).content.decode()
    photo = reverse("web:doctor_photo", args=[doctor.public_id])
    assert f'src="{photo}?v=' in page
    served = client.get(photo)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


def test_a_doctor_edits_their_introduction_but_cannot_change_their_title(client, world):
    doctor = world.clinic_a_doctor
    client.force_login(doctor.user)
    page = client.get(_edit_url(world)).content.decode()
    assert '<select name="title" disabled>' in page

    client.post(_edit_url(world), {"introduction": "周二、周四下午出诊。", "photo_shown": "1"})
    assert _reload(doctor).bio == "周二、周四下午出诊。"

    answer = client.post(
        _edit_url(world), {"title": DoctorTitle.CHIEF, "introduction": "主任医师，三十年经验。"}
    )
    assert answer.status_code == 400
    assert "医生职称由诊所店长修改。" in answer.content.decode()
    doctor = _reload(doctor)
    assert doctor.title == DoctorTitle.ATTENDING
    assert doctor.bio == "周二、周四下午出诊。"  # nothing of the refused change was saved
    assert AuditEntry.objects.filter(action="doctor_profile_changed").count() == 1


def test_a_doctor_cannot_edit_another_doctors_profile(client, world):
    client.force_login(world.clinic_a_doctor.user)
    url = _edit_url(world, doctor=world.clinic_a_implant_doctor)
    assert client.get(url).status_code == 403
    assert client.post(url, {"introduction": "改掉"}).status_code == 403
    assert _reload(world.clinic_a_implant_doctor).bio == ""


def test_the_front_desk_cannot_edit_a_profile(client, world):
    doctor = _profile(world.clinic_a_doctor, bio="原来的简介。")
    client.force_login(world.clinic_a_front_desk)
    listing = client.get(reverse("console:doctors", args=[world.clinic_a.public_id]))
    assert listing.status_code == 200 and doctor.name in listing.content.decode()
    assert _edit_url(world) not in listing.content.decode()

    assert client.get(_edit_url(world)).status_code == 403
    answer = client.post(_edit_url(world), _form(doctor, introduction="前台改的"))
    assert answer.status_code == 403
    assert _reload(doctor).bio == "原来的简介。"
    assert not AuditEntry.objects.filter(action="doctor_profile_changed").exists()


def test_a_manager_of_another_clinic_cannot_edit(client, world):
    other_manager = f.staff_member(world.clinic_b, role=Role.MANAGER)
    client.force_login(other_manager)
    assert client.get(_edit_url(world)).status_code == 404
    # Nor through their own clinic's address for a doctor who does not work there.
    url = _edit_url(world, clinic=world.clinic_b)
    assert client.post(url, _form(world.clinic_a_doctor, introduction="x")).status_code == 404
    assert _reload(world.clinic_a_doctor).bio == ""


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("big.png", _noise_png(), content_type="image/png"),
            "照片太大（最大 1 MB）。",
        ),
        (
            lambda: SimpleUploadedFile(
                "notes.png", b"not a picture at all", content_type="image/png"
            ),
            "只能上传 JPEG 或 PNG 格式的照片。",
        ),
    ],
    ids=["oversized", "not-an-image"],
)
def test_a_bad_photo_is_refused_clearly_and_changes_nothing(
    client, world, settings, upload, message
):
    settings.YACHI_UPLOAD_MAX_BYTES = 1024 * 1024
    doctor = _profile(world.clinic_a_doctor, bio="原来的简介。")
    client.force_login(world.clinic_a_manager)
    photos = _stored_photos(settings)
    answer = client.post(_edit_url(world), _form(doctor, introduction="新的简介。", photo=upload()))
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert "新的简介。" in answer.content.decode()  # what was typed is still in the form
    doctor = _reload(doctor)
    assert doctor.bio == "原来的简介。" and not doctor.photo
    assert _stored_photos(settings) == photos
    assert not AuditEntry.objects.filter(action="doctor_profile_changed").exists()


def test_an_overlong_introduction_or_a_wrong_year_is_refused(client, world):
    client.force_login(world.clinic_a_manager)
    doctor = world.clinic_a_doctor
    answer = client.post(_edit_url(world), _form(doctor, introduction="好" * 301))
    assert "简介太长：最多 300 个字（现在 301 个）。" in answer.content.decode()
    answer = client.post(_edit_url(world), _form(doctor, practising_since="1890"))
    assert "开始从业的年份须在 1950 至" in answer.content.decode()
    answer = client.post(_edit_url(world), _form(doctor, title="professor"))
    assert "请从列表中选择职称。" in answer.content.decode()
    doctor = _reload(doctor)
    assert (doctor.bio, doctor.practising_since, doctor.title) == ("", None, "attending")


# --- the photo's address ---------------------------------------------------------------------


def _noise_png() -> bytes:
    image = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _stored_photos(settings) -> set[str]:
    folder = settings.MEDIA_ROOT / "doctors"
    return set(os.listdir(folder)) if folder.exists() else set()


@pytest.fixture
def with_photo(client, world):
    client.force_login(world.clinic_a_manager)
    client.post(_edit_url(world), _form(world.clinic_a_doctor, photo=f.png_upload("me.png")))
    client.logout()
    return _reload(world.clinic_a_doctor)


def test_the_photo_is_served_to_anyone_but_only_for_an_active_doctor(client, world, with_photo):
    url = reverse("web:doctor_photo", args=[with_photo.public_id])
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
    assert answer.content == with_photo.photo.open("rb").read()

    _profile(with_photo, is_active=False)
    assert client.get(url).status_code == 404
    no_photo = reverse("web:doctor_photo", args=[world.clinic_a_implant_doctor.public_id])
    assert client.get(no_photo).status_code == 404


def test_the_photo_address_opens_no_other_file(client, world, with_photo, settings):
    secret = settings.MEDIA_ROOT / "doctors" / ".." / "private.txt"
    secret.write_text("not for patients")
    for doctor_id in ("..%2F..%2Fprivate.txt", "../private.txt", "private.txt", "1"):
        assert client.get(f"/doctors/{doctor_id}/photo/").status_code == 404
    # Even a row that names another file (by a mistake elsewhere) serves nothing.
    for name in ("private.txt", "doctors/../private.txt", "faces/2026/01/x.sm4"):
        Doctor.objects.filter(pk=with_photo.pk).update(photo=name)
        answer = client.get(reverse("web:doctor_photo", args=[with_photo.public_id]))
        assert answer.status_code == 404
        assert b"not for patients" not in answer.content
