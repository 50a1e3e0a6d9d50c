"""`aisle supervisor --token-file`: the token from a file only its owner may read, never from a shared one."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import UserError
from app.cli.supervisor import read_token_file


def token_file(tmp_path: Path, text: str, mode: int) -> Path:
    path = tmp_path / "token"
    path.write_text(text)
    path.chmod(mode)
    return path


def test_a_file_only_its_owner_may_read_gives_the_token_without_its_newline(tmp_path: Path) -> None:
    assert read_token_file(token_file(tmp_path, "s3cret-token\n", 0o600)) == "s3cret-token"


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_file_others_may_read_is_refused_saying_how_to_fix_it(tmp_path: Path, mode: int) -> None:
    path = token_file(tmp_path, "s3cret-token\n", mode)
    with pytest.raises(UserError, match="may be read by other users: chmod 600") as caught:
        read_token_file(path)
    assert "s3cret" not in str(caught.value)


def test_a_missing_or_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="No such file"):
        read_token_file(tmp_path / "absent")
    with pytest.raises(UserError, match="is empty"):
        read_token_file(token_file(tmp_path, "\n", 0o600))
