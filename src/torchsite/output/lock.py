"""One build at a time: an exclusive lock beside the output folder (filelock: on Linux, macOS and Windows)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import filelock

from torchsite.errors import TorchsiteError, UsageError, display_path


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the output folder, or fail at once if another build has it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    if lock_path.is_symlink() or (lock_path.exists() and not lock_path.is_file()):
        raise UsageError(
            f"the lock file {display_path(lock_path)} is not a plain file; torchsite never writes through a link "
            "(remove it)"
        )
    lock = filelock.FileLock(lock_path, timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise TorchsiteError(
            f"another build is writing {display_path(out)} right now "
            f"(lock {display_path(lock_path)}); wait for it to finish"
        ) from None
    try:
        yield
    finally:
        lock.release()
