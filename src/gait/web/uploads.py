"""Storing an uploaded video safely and checking that it is one.

The stored name is generated (``video`` plus a known extension); the name the
browser sent is kept only as display text. The type is checked by content:
`gait.video.probe_video` must find a decodable video stream.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from pathlib import Path
from typing import BinaryIO

from ..errors import GaitError, InvalidOptionError, UnreadableVideoError
from ..video import VideoInfo, probe_video
from .security import too_large_message

#: Extensions kept on the stored file (a hint for the demuxer); others become ".video".
VIDEO_EXTENSIONS = (".mp4", ".m4v", ".mov", ".avi", ".webm", ".mkv", ".mpg", ".mpeg", ".3gp")
_CHUNK_BYTES = 1 << 20
MAX_DISPLAY_NAME_CHARS = 120
#: Free space an upload must leave on the data folder's disk (results, pose caches,
#: the history), in bytes.
FREE_SPACE_MARGIN_BYTES = 200 * 1024 * 1024
#: Write errors that mean "no room": disk full, quota exceeded, file size limit.
NO_ROOM_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_NOTHING_KEPT = "nothing was kept. Free space on the server, then upload the video again"


class UploadTooLargeError(InvalidOptionError):
    """The uploaded file is larger than the server's limit."""


class StorageFullError(GaitError):
    """The server has no room to store the upload (HTTP 507)."""


def no_room_error(exc: OSError) -> StorageFullError | None:
    """The `StorageFullError` to report for a failed write, or None if `exc` is not about
    room (disk full, quota, file size limit)."""
    if exc.errno not in NO_ROOM_ERRNOS:
        return None
    if exc.errno == errno.EFBIG:
        return StorageFullError("the video could not be saved on the server: it is larger than "
                                "the server may store in one file (a file size limit); nothing "
                                "was kept. Trim the clip, or raise the server's limit")
    return StorageFullError(f"the video could not be saved on the server: the server's disk is "
                            f"full; {_NOTHING_KEPT}")


def check_free_space(folder: Path, upload_bytes: int) -> None:
    """Refuse an upload up front when `folder`'s disk cannot hold it plus a margin.

    Parameters
    ----------
    folder : Path
        An existing folder on the disk the upload goes to.
    upload_bytes : int
        Size of the upload (its request's Content-Length).

    Raises
    ------
    StorageFullError
        Less than `upload_bytes` plus `FREE_SPACE_MARGIN_BYTES` is free.
    """
    free = shutil.disk_usage(folder).free
    if free < upload_bytes + FREE_SPACE_MARGIN_BYTES:
        raise StorageFullError(f"the server's disk is nearly full ({free / 1e6:.0f} MB free), "
                               f"so the video could not be saved; {_NOTHING_KEPT}")


def display_name(filename: str | None) -> str:
    """The browser's file name reduced to printable text for display (never a path)."""
    base = (filename or "video").replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(c for c in base if c.isprintable()).strip()
    return (text or "video")[:MAX_DISPLAY_NAME_CHARS]


def stored_name(filename: str | None) -> str:
    """Generated file name for an upload: ``video`` plus its extension if it is a known one."""
    suffix = Path(display_name(filename)).suffix.lower()
    return "video" + (suffix if suffix in VIDEO_EXTENSIONS else ".video")


def with_original_name(message: str, stored: Path, *, original_name: str) -> str:
    """`message` saying the name the user knows instead of where their upload is stored.

    The stored path and the stored file name are replaced in one pass, so an
    original name containing the stored one (``running video.mp4`` for
    ``video.mp4``) stays whole.
    """
    stored_text = re.compile(f"{re.escape(str(stored))}|{re.escape(stored.name)}")
    return stored_text.sub(lambda _: original_name, message)


def save_upload(source: BinaryIO, dest: Path, *, max_bytes: int) -> int:
    """Copy an upload to `dest` in chunks, refusing it past `max_bytes`.

    Returns
    -------
    int
        Bytes written.

    Raises
    ------
    UploadTooLargeError
        The file exceeds `max_bytes` (nothing is left at `dest`).
    StorageFullError
        The disk is full, or a file size limit was hit (nothing is left at `dest`).
    InvalidOptionError
        The file is empty.
    """
    n_bytes = 0
    try:
        with dest.open("xb") as out:
            while chunk := source.read(_CHUNK_BYTES):
                n_bytes += len(chunk)
                if n_bytes > max_bytes:
                    break
                out.write(chunk)
    except OSError as exc:
        if (error := no_room_error(exc)) is None:
            raise
        dest.unlink(missing_ok=True)
        raise error from exc
    if n_bytes > max_bytes:
        dest.unlink()
        raise UploadTooLargeError(too_large_message(n_bytes, max_bytes))
    if n_bytes == 0:
        dest.unlink()
        raise InvalidOptionError("no video was chosen (the file is empty); choose or drop a "
                                 "video file")
    return n_bytes


def check_video(path: Path, *, original_name: str, capture_fps: float | None) -> VideoInfo:
    """Probe the stored upload; a file that is not a readable video is refused.

    Raises
    ------
    UnreadableVideoError
        With the browser's file name instead of the generated one.
    InvalidOptionError
        The capture rate does not fit the clip (the message names the
        browser's file name).
    """
    try:
        return probe_video(path, capture_fps=capture_fps)
    except UnreadableVideoError as exc:
        reason = str(exc).replace(str(path), "").lstrip(": ")
        raise UnreadableVideoError(
            f"{original_name!r} is not a video gait can read ({reason}). Upload the clip as "
            "recorded (MP4, MOV, AVI or WebM)") from None
    except InvalidOptionError as exc:
        raise InvalidOptionError(with_original_name(str(exc), path,
                                                    original_name=original_name)) from None


def link_or_copy(source: Path, dest: Path) -> None:
    """Make `dest` a hard link to `source`, or a copy where links are not possible.

    A link takes no room and no time, and is safe here because stored files
    are never written in place: outputs are replaced by renaming a new file
    over them, and deleting one name leaves the other.

    Raises
    ------
    StorageFullError
        A copy was needed and the disk has no room (nothing is left at `dest`).
    FileExistsError
        `dest` exists.
    """
    try:
        os.link(source, dest)
        return
    except FileExistsError:
        raise
    except OSError:  # e.g. a file system without hard links, or another disk
        pass
    try:
        with source.open("rb") as src, dest.open("xb") as out:
            shutil.copyfileobj(src, out, _CHUNK_BYTES)
    except OSError as exc:
        dest.unlink(missing_ok=True)
        if (error := no_room_error(exc)) is None:
            raise
        raise error from exc


def remove_tree(path: Path) -> None:
    """Delete a folder and everything in it, if it exists."""
    if path.exists():
        shutil.rmtree(path)
