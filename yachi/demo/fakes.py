"""The local fakes a demo's desk talks to: the medical-insurance platform on 8114 and an
insurer's claims API on 8124, with the people the demo's credentials name. No Django here:
``yachi.cli`` reads the environment before settings load."""

PLATFORM_PORT = 8114
INSURER_PORT = 8124
DEMO_ENVIRONMENT = {
    "YACHI_MEDICAL_INSURANCE_API_BASE": f"http://127.0.0.1:{PLATFORM_PORT}",
    "YACHI_MEDICAL_INSURANCE_APP_ID": "yachi-demo",
    "YACHI_MEDICAL_INSURANCE_SECRET": "yachi-demo-medical-insurance-secret",
    "YACHI_CLAIMS_API_BASE": f"http://127.0.0.1:{INSURER_PORT}",
    "YACHI_CLAIMS_APP_ID": "yachi-demo",
    "YACHI_CLAIMS_SECRET": "yachi-demo-claims-secret",
}


def serve_fakes() -> list:
    """Start both fakes in this process (threads); a port already taken is left alone."""
    from yachi.insurance.claims.fakeinsurer import FakeInsurer
    from yachi.insurance.medical.fakeplatform import DEMO_PEOPLE, FakeMedicalInsurancePlatform

    started = []
    platform = FakeMedicalInsurancePlatform(port=PLATFORM_PORT)
    for credential, name, balance in DEMO_PEOPLE:
        platform.add_person(credential=credential, name=name, balance_fen=balance)
    for fake in (platform, FakeInsurer(port=INSURER_PORT)):
        try:
            started.append(fake.start())
        except OSError:
            continue
    return started
