"""Existing staff keep what they could do when roles move to their memberships (ADR 0026):
a manager's memberships become a manager's, the front desk's a front desk's, an
administrator's a manager's; a doctor's membership, which granted nothing, goes; and
every doctor, front desk and manager becomes a staff account.

The staff of the release before are written on an empty database migrated to that release
(``tests.db.scratch``), as a clinic upgrading from it has them."""

import pytest

from tests.db.scratch import empty_database, migrate_to

BEFORE = [("clinics", "0005_doctor_profile"), ("accounts", "0005_encrypt_user_names")]
AFTER = [("clinics", "0006_chain_roles"), ("accounts", "0006_account_kinds")]


@pytest.fixture
def release_before():
    with empty_database():
        yield migrate_to(BEFORE)


@pytest.mark.django_db(transaction=True)
def test_memberships_take_the_role_their_user_had(release_before):
    old = release_before
    User = old.get_model("accounts", "User")
    Chain, Clinic = old.get_model("clinics", "Chain"), old.get_model("clinics", "Clinic")
    Membership = old.get_model("clinics", "StaffMembership")
    chain = Chain.objects.create(name="牙齿口腔")
    clinic = Clinic.objects.create(
        chain=chain, name="静安店", address="-", latitude=31, longitude=121
    )
    people = {}
    for index, role in enumerate(("manager", "front_desk", "admin", "doctor", "patient")):
        people[role] = User.objects.create(
            phone=f"1370000990{index}", phone_index=f"i{index}", role=role
        )
        if role != "patient":
            Membership.objects.create(user=people[role], clinic=clinic)

    new = migrate_to(AFTER)
    memberships = dict(
        new.get_model("clinics", "StaffMembership").objects.values_list("user_id", "role")
    )
    assert memberships == {
        people["manager"].pk: "manager",
        people["front_desk"].pk: "front_desk",
        people["admin"].pk: "manager",
    }
    kinds = dict(new.get_model("accounts", "User").objects.values_list("pk", "role"))
    assert [
        kinds[people[r].pk] for r in ("manager", "front_desk", "admin", "doctor", "patient")
    ] == [
        "staff",
        "staff",
        "admin",
        "staff",
        "patient",
    ]
