import pytest

from yachi.messaging.chat import services


@pytest.fixture
def chat(world):
    """The Zhang family's conversation with clinic A, about the child."""
    return services.conversation_open(
        actor=world.patient_parent,
        clinic_id=world.clinic_a.public_id,
        patient_id=world.patient_child.public_id,
    ).conversation
