"""RSA keys and SHA256withRSA, as both WeChat Pay and Alipay use them, and the
amount conversions their protocols need.

Keys arrive from settings as PEM text. Alipay's console hands out keys as bare
base64 (no ``-----BEGIN`` line), so that form is accepted too.
"""

import base64
import binascii

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from yachi.core.money import exact_fen, fen_to_yuan
from yachi.payments.providers.base import ProviderError, ProviderUnavailable


def load_private_key(text: str) -> rsa.RSAPrivateKey:
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            key = serialization.load_der_private_key(_bare_base64(text), password=None)
    except ValueError as exc:
        raise ValueError(f"not an RSA private key: {exc}") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the private key is not an RSA key")
    return key


def load_public_key(text: str) -> rsa.RSAPublicKey:
    """A public key, or the public key of a certificate (WeChat Pay's platform
    certificates), in PEM or bare base64 DER."""
    text = text.strip()
    try:
        if "BEGIN CERTIFICATE" in text:
            key = x509.load_pem_x509_certificate(text.encode()).public_key()
        elif text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode())
        else:
            key = serialization.load_der_public_key(_bare_base64(text))
    except ValueError as exc:
        raise ValueError(f"not an RSA public key: {exc}") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("the public key is not an RSA key")
    return key


def _bare_base64(text: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except binascii.Error as exc:
        raise ValueError(f"neither PEM nor base64: {exc}") from None


def rsa_sign(key: rsa.RSAPrivateKey, message: str) -> str:
    signature = key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode()


def rsa_verify(key: rsa.RSAPublicKey, message: bytes | str, signature: str) -> bool:
    if isinstance(message, str):
        message = message.encode()
    try:
        raw = base64.b64decode(signature, validate=True)
        key.verify(raw, message, padding.PKCS1v15(), hashes.SHA256())
    except (binascii.Error, ValueError, InvalidSignature):
        return False
    return True


def yuan_text(fen: int) -> str:
    """Fen as the yuan string Alipay expects: 990 → "9.90", 1 → "0.01"."""
    return str(fen_to_yuan(fen))


def fen_from_yuan_text(text: str) -> int:
    """The exact fen of a yuan amount from a provider; more than two decimals, or
    anything that is not a number, is a protocol error, never rounded away."""
    fen = exact_fen(text)
    if fen is None:
        raise ProviderError(f"not an amount in fen: {text!r}", code="invalid_amount")
    return fen


def transport_error(exc: httpx.HTTPError, provider: str) -> ProviderUnavailable:
    """Whatever went wrong on the way, the provider may have acted: unknown outcome."""
    kind = "timeout" if isinstance(exc, httpx.TimeoutException) else "network"
    return ProviderUnavailable(f"{provider}: {type(exc).__name__}: {exc}", code=kind)
