"""PINs hashed where the server stores them are checked by the same rule on an offline station."""

import hashlib

from app.domain.pins import hash_pin, pin_matches
from app.server.access.auth import hash_pin as server_hash_pin


def test_a_pin_stored_by_the_server_matches_on_the_station() -> None:
    stored = server_hash_pin("4321")
    assert pin_matches("4321", stored)
    assert not pin_matches("4322", stored)


def test_each_hash_has_its_own_salt() -> None:
    assert hash_pin("1234") != hash_pin("1234")


def test_older_pbkdf2_hashes_still_match() -> None:
    digest = hashlib.pbkdf2_hmac("sha256", b"1234", b"salt", 1000).hex()
    stored = f"pbkdf2_sha256$1000$salt${digest}"
    assert pin_matches("1234", stored)
    assert not pin_matches("9999", stored)


def test_malformed_stored_hashes_never_match() -> None:
    for stored in ("", "scrypt$zz$00", "pbkdf2_sha256$x$salt$00", "md5$abc", "plain-1234"):
        assert not pin_matches("1234", stored)
