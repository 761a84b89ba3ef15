"""The platform's signatures: SM3 as GB/T 32905 defines it, HMAC over it, and a message
altered on the way no longer verifies."""

from yachi.insurance.medical import signing


def test_sm3_matches_the_standards_example():
    # GB/T 32905-2016, appendix A.1: SM3("abc").
    assert signing.sm3_hex(b"abc") == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


def test_a_signed_request_verifies_and_an_altered_one_does_not():
    message = signing.request_message(app_id="a", timestamp="1", nonce="n", body=b'{"x":1}')
    signature = signing.sign("secret", message)
    assert signing.verify("secret", message, signature)
    altered = signing.request_message(app_id="a", timestamp="1", nonce="n", body=b'{"x":2}')
    assert not signing.verify("secret", altered, signature)
    assert not signing.verify("other", message, signature)
    assert not signing.verify("secret", message, "")
