"""One build at a time: an exclusive lock beside the output folder."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from torchsite.errors import TorchsiteError, display_path


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the output folder, or fail at once if another build has it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise TorchsiteError(
                f"another build is writing {display_path(out)} right now "
                f"(lock {display_path(lock_path)}); wait for it to finish"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
