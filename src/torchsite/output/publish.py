"""Writing the site: a staging folder beside the output, the checks there, then one swap into place."""

from __future__ import annotations

import ctypes
import errno
import glob
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from torchsite.errors import ContentError, TorchsiteError, display_path
from torchsite.output.guard import MARKER, MARKER_TEXT
from torchsite.output.links import check_links, check_tree
from torchsite.output.lock import build_lock
from torchsite.render.site import Site


class OutputError(TorchsiteError):
    """Writing the site failed (disk full, no permission): the previous output is untouched."""


def publish(site: Site, out: Path) -> None:
    """Write the site to a staging folder beside `out`, check it there, then swap it in."""
    if site.problems:
        raise ContentError(site.problems)  # unsafe or doubled paths: refused before anything is written
    shown = display_path(out)
    try:
        with build_lock(out):
            remove_leftovers(out)
            staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent))
            try:
                write_tree(site.files, staging)
                problems = check_tree(staging, site.files, shown) + check_links(site.files, site.base_path, shown)
                if problems:
                    raise ContentError(problems)
                (staging / MARKER).write_bytes(MARKER_TEXT)
                swap(staging, out)
            finally:
                with held_interrupts():
                    shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        where = display_path(exc.filename) if exc.filename else shown
        raise OutputError(
            f"cannot write the site ({exc.strerror or exc} at {where}); {shown}/ was left as it was"
        ) from exc


def remove_leftovers(out: Path) -> None:
    """Remove the staging and old folders a killed build left beside `out` (the lock says none is in use)."""
    for prefix in (f".{out.name}-staging-", f".{out.name}-old-"):
        for path in out.parent.glob(f"{glob.escape(prefix)}*"):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)


def write_tree(files: dict[str, bytes], root: Path) -> None:
    """Write every file below root, in sorted order."""
    for rel in sorted(files):
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[rel])
    os.chmod(root, 0o755)


class LateInterrupt(KeyboardInterrupt):
    """Ctrl-C that came while the new site was being swapped in: the swap finished first."""


@contextmanager
def held_interrupts(late: type[KeyboardInterrupt] = KeyboardInterrupt) -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done, then raise `late` if one came."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {s: signal.signal(s, lambda number, frame: received.append(number)) for s in signals}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if received:
        raise late


def swap(staging: Path, out: Path) -> None:
    """Put the staging folder in place of `out`: in one step where the system can, else in two.

    In one step (Linux), `out` is never missing, not even for a moment, and the old site ends up
    in `staging`, which the caller removes. In two, the old output is moved aside first and put
    back if the second step fails; it is removed only once the new one is there.
    """
    with held_interrupts(LateInterrupt):
        if out.exists() and exchange(staging, out):
            return
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent)) if out.exists() else None
        try:
            if old is not None:
                os.rename(out, old / "site")
            try:
                os.rename(staging, out)
            except BaseException:
                if old is not None and (old / "site").exists():
                    os.rename(old / "site", out)
                raise
        finally:
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2  # from <linux/fs.h>
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 with RENAME_EXCHANGE); False where unsupported."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # the file system or kernel cannot: fall back to two renames
    raise OSError(code, os.strerror(code), os.fspath(b))
