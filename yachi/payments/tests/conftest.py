"""Fake payment providers on free local ports, with the settings pointed at them.

Each fixture starts the fake, configures Yachi as a clinic would for the real service
(merchant number, our private key, the provider's public key) and gives the fake to the
test. The fake holds its own keys and knows only our public key, as the real one does.
"""

import base64

import pytest
from cryptography.hazmat.primitives import serialization

from tests.fakes.alipay import FakeAlipay
from tests.fakes.wechatpay import FakeWeChatPay, fresh_rsa_key, private_pem, public_pem

CLIENT_TIMEOUT_SECONDS = 1.0

WECHATPAY_MCHID = "1900009191"
WECHATPAY_APPID = "wx0123456789abcdef"
WECHATPAY_SERIAL_NO = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
WECHATPAY_APIV3_KEY = "Yachi0Clinic1Pay2Api3V3Key456789"  # 32 characters
ALIPAY_APPID = "2021004123456789"


@pytest.fixture(scope="session")
def merchant_key():
    """Our key pair, made once, apart from the keys the fakes and forgers take in turn."""
    return fresh_rsa_key()


@pytest.fixture
def wechatpay(settings, merchant_key):
    fake = FakeWeChatPay(
        mchid=WECHATPAY_MCHID,
        appids={WECHATPAY_APPID},
        merchant_public_key=public_pem(merchant_key),
        merchant_serial_no=WECHATPAY_SERIAL_NO,
        apiv3_key=WECHATPAY_APIV3_KEY,
    )
    with fake:
        settings.YACHI_WECHATPAY_MCHID = WECHATPAY_MCHID
        settings.YACHI_WECHATPAY_APPID = WECHATPAY_APPID
        settings.YACHI_WECHATPAY_PRIVATE_KEY = private_pem(merchant_key)
        settings.YACHI_WECHATPAY_CERT_SERIAL_NO = WECHATPAY_SERIAL_NO
        settings.YACHI_WECHATPAY_APIV3_KEY = WECHATPAY_APIV3_KEY
        settings.YACHI_WECHATPAY_PLATFORM_PUBLIC_KEY = fake.platform_public_key
        settings.YACHI_WECHATPAY_PLATFORM_PUBLIC_KEY_ID = fake.platform_key_id
        settings.YACHI_WECHATPAY_API_BASE = fake.url
        settings.YACHI_PAYMENT_TIMEOUT_SECONDS = CLIENT_TIMEOUT_SECONDS
        yield fake


@pytest.fixture
def alipay(settings, merchant_key):
    fake = FakeAlipay(appid=ALIPAY_APPID, app_public_key=public_pem(merchant_key))
    with fake:
        settings.YACHI_ALIPAY_APPID = ALIPAY_APPID
        # As Alipay's key tool and console hand them out: bare base64, no PEM lines.
        settings.YACHI_ALIPAY_PRIVATE_KEY = base64.b64encode(
            merchant_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ).decode()
        settings.YACHI_ALIPAY_PUBLIC_KEY = fake.alipay_public_key_base64
        settings.YACHI_ALIPAY_GATEWAY = f"{fake.url}/gateway.do"
        settings.YACHI_PAYMENT_TIMEOUT_SECONDS = CLIENT_TIMEOUT_SECONDS
        yield fake
