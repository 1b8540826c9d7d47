"""Outputs are written whole or not at all, and keep the permissions a file had."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from oas2gw.output import write_atomic


def test_rewriting_a_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "api.yaml"
    target.write_text("old\n")
    target.chmod(0o640)
    write_atomic(target, "new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_new_file_gets_the_umask_mode_and_an_explicit_mode_wins(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.txt", "a")
        write_atomic(tmp_path / "run.sh", "b", mode=0o755)
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "run.sh").stat().st_mode) == 0o755


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.sh"
    target.write_text("kept\n")

    def disk_gone(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_gone)  # the write has begun when fsync fails
    with pytest.raises(OSError):
        write_atomic(target, "new and longer\n")
    assert target.read_text() == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.sh"]


def test_pieces_of_text_are_written_as_their_concatenation(tmp_path: Path) -> None:
    target = tmp_path / "run.sh"
    target.write_text("old\n")
    target.chmod(0o750)
    write_atomic(target, iter(["#!/bin/bash\n", "", "echo é\n", "true\n"]))
    assert target.read_bytes() == "#!/bin/bash\necho é\ntrue\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o750


def test_pieces_that_fail_to_come_leave_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "run.sh"
    target.write_text("kept\n")

    def pieces() -> Iterator[str]:
        yield "half of a script\n"
        raise ValueError("the plan refers to a resource before any step makes it")

    with pytest.raises(ValueError):
        write_atomic(target, pieces())
    assert target.read_text() == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.sh"]
