"""Operator PINs: one hashing rule shared by the server (which stores them) and stations (which check them
offline, e.g. a supervisor's PIN for a seal override). PINs are short and guessable, so the hash is slow.

Stored forms: ``scrypt$SALT_HEX$HASH_HEX`` (what `hash_pin` writes) and, for older rows,
``pbkdf2_sha256$ITERATIONS$SALT$HASH_HEX``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_pin(pin: str, salt: str | None = None) -> str:
    """The stored form of `pin`; a random salt unless one is given (tests pass one for stable fixtures)."""
    salt_bytes = salt.encode() if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt_bytes, dklen=32, **_SCRYPT)
    return f"scrypt${salt_bytes.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    """True when `pin` matches `stored` (either form), in constant time; False for anything malformed."""
    parts = stored.split("$")
    try:
        if parts[0] == "scrypt" and len(parts) == 3:
            digest = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(parts[1]), dklen=32, **_SCRYPT)
            return hmac.compare_digest(digest.hex(), parts[2])
        if parts[0] == "pbkdf2_sha256" and len(parts) == 4:
            digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), parts[2].encode(), int(parts[1]))
            return hmac.compare_digest(digest.hex(), parts[3])
    except ValueError:
        return False
    return False
