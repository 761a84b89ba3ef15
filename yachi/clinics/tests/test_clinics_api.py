import pytest


def test_clinics_are_listed_with_location(api, world):
    response = api.get("/clinics")
    assert response.status_code == 200
    names = {c["name"] for c in response.json()}
    assert names == {"静安店", "徐汇店"}
    first = response.json()[0]
    assert {"id", "name", "address", "latitude", "longitude", "timezone"} <= set(first)
    assert first["timezone"] == "Asia/Shanghai"


def test_coordinates_are_numbers_as_in_requests(api, world):
    clinic = next(c for c in api.get("/clinics").json() if c["name"] == "静安店")
    assert isinstance(clinic["latitude"], float)
    assert isinstance(clinic["longitude"], float)
    assert (clinic["latitude"], clinic["longitude"]) == (
        float(world.clinic_a.latitude),
        float(world.clinic_a.longitude),
    )


def test_english_names_when_asked(api, world):
    response = api.get("/clinics", headers={"Accept-Language": "en"})
    assert {c["name"] for c in response.json()} == {"Jing'an", "Xuhui"}


def test_doctors_of_a_clinic(api, world):
    response = api.get(f"/clinics/{world.clinic_a.public_id}/doctors")
    assert response.status_code == 200
    doctors = {d["name"]: d for d in response.json()}
    assert set(doctors) == {"王医生", "李医生"}
    assert {s["code"] for s in doctors["李医生"]["skills"]} == {"general", "implant"}


def test_doctors_filtered_by_skill(api, world):
    response = api.get(f"/clinics/{world.clinic_a.public_id}/doctors", {"skill": "implant"})
    assert [d["name"] for d in response.json()] == ["李医生"]
    response = api.get(f"/clinics/{world.clinic_a.public_id}/doctors", {"skill": "magic"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_services_carry_duration_and_exact_price(api, world):
    response = api.get(f"/clinics/{world.clinic_a.public_id}/services")
    services = {s["name"]: s for s in response.json()}
    assert services["补牙"]["duration_minutes"] == 45
    assert services["补牙"]["price"] == "350.00"
    assert services["补牙"]["price_fen"] == 35000


@pytest.mark.parametrize("suffix", ["", "/doctors", "/services"])
@pytest.mark.parametrize("clinic_id", ["nope", "123", "0b6f3c6e-2f4e-4a57-9d4b-6a1d2c3e4f50"])
def test_unknown_clinic_is_not_found(api, world, suffix, clinic_id):
    response = api.get(f"/clinics/{clinic_id}{suffix}")
    assert response.status_code == 404
    assert response.json()["code"] == "clinic_not_found"
