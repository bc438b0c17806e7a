"""Where gait writes: destinations checked before any work, files replaced atomically.

`check_writable_file` and `check_writable_folder` turn a destination that
cannot work (a folder where a file is meant, a file where a folder is meant,
a folder without write permission) into one `InvalidOptionError` line before
anything slow runs; `ensure_writable_folder` also creates the folder, and
`remove_if_empty` takes it away again after a run that wrote nothing.
`replacing` writes through a temporary file that is removed again when
writing fails or is interrupted.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import InvalidOptionError


def ensure_writable_folder(folder: Path, *, option: str = "--outdir") -> bool:
    """Check `folder` with `check_writable_folder` and create it.

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
        As `check_writable_folder`; nothing is created then.
    """
    check_writable_folder(folder, option)
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    return created


def remove_if_empty(folder: Path) -> None:
    """Remove `folder` if nothing is in it (a folder made by a run that then failed)."""
    with contextlib.suppress(OSError):
        folder.rmdir()


def check_writable_folder(folder: str | Path, option: str, *,
                          subject: str | Path | None = None) -> None:
    """Check that `folder` is, or can be created as, a folder gait may write into.

    Parameters
    ----------
    folder : str or Path
        The output folder (it need not exist yet).
    option : str
        The command-line option that named it, for the message (e.g. ``"-o"``).
    subject : str or Path, optional
        The path the message is about (default `folder`; a file in it).

    Raises
    ------
    InvalidOptionError
        `folder`, or the nearest of its parents that exists, is a file, or that
        folder is not writable.
    """
    folder = Path(folder)
    subject = Path(subject) if subject is not None else folder
    nearest = folder
    while not nearest.exists() and nearest != nearest.parent:
        nearest = nearest.parent
    named = "" if nearest == subject else f"{nearest} "
    if not nearest.is_dir():
        raise InvalidOptionError(f"{subject}: {named}is a file, not a folder; "
                                 f"choose another {option}")
    if not os.access(nearest, os.W_OK | os.X_OK):
        raise InvalidOptionError(f"{subject}: folder {named}is not writable (permission "
                                 f"denied); choose another {option}")


def check_writable_file(path: str | Path, option: str) -> None:
    """Check that a file can be written at `path` (whether or not one is there now).

    Parameters
    ----------
    path : str or Path
        The output file.
    option : str
        The command-line option that named it, for the message (e.g. ``"--figure"``).

    Raises
    ------
    InvalidOptionError
        `path` is a folder, or its folder cannot be created or written
        (see `check_writable_folder`).
    """
    path = Path(path)
    if path.is_dir():
        raise InvalidOptionError(f"{path}: is a folder, not a file; give {option} a file "
                                 "name (in that folder or elsewhere)")
    check_writable_folder(path.parent, option, subject=path)


def is_temporary(path: str | Path) -> bool:
    """Whether `path` is one of `replacing`'s temporary files (``<stem>.tmp<suffix>``)."""
    path = Path(path)
    return path.suffix == ".tmp" or Path(path.stem).suffix == ".tmp"


@contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """A temporary file beside `path` that replaces `path` when the block succeeds.

    If the block raises (also `KeyboardInterrupt`), the temporary file is
    removed and `path` is left as it was.

    Parameters
    ----------
    path : str or Path
        The file to write; its folder must exist.

    Yields
    ------
    Path
        ``<stem>.tmp<suffix>`` beside `path` (the suffix kept for writers that
        choose the format by it): write the new content there.
    """
    path = Path(path)
    tmp = path.with_name(f"{path.stem}.tmp{path.suffix}")
    try:
        yield tmp
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
