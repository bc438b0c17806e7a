"""Checks on where gait writes, made before any work is done."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from .errors import InvalidOptionError


def ensure_writable_folder(folder: Path, *, option: str = "--outdir") -> bool:
    """Create `folder` if needed and check that files can be written in it.

    Parameters
    ----------
    folder : Path
        The output folder.
    option : str
        The command-line option that named it, for the message.

    Returns
    -------
    bool
        Whether the folder was created here (see `remove_if_empty`).

    Raises
    ------
    InvalidOptionError
        `folder` is a file, lies under a file, or cannot be written
        (permission, read-only file system); nothing is left behind.
    """
    if folder.exists() and not folder.is_dir():
        raise InvalidOptionError(f"{folder}: exists and is not a folder")
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError as exc:
        if created:
            remove_if_empty(folder)
        raise InvalidOptionError(f"{folder}: cannot write there ({exc.strerror or exc}); "
                                 f"choose another {option}") from None
    return created


def remove_if_empty(folder: Path) -> None:
    """Remove `folder` if nothing is in it (a folder made by a run that then failed)."""
    with contextlib.suppress(OSError):
        folder.rmdir()
