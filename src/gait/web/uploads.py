"""Storing an uploaded video safely and checking that it is one.

The stored name is generated (``video`` plus a known extension); the name the
browser sent is kept only as display text. The type is checked by content:
`gait.video.probe_video` must find a decodable video stream.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import BinaryIO

from ..errors import InvalidOptionError, UnreadableVideoError
from ..video import VideoInfo, probe_video
from .security import too_large_message

#: Extensions kept on the stored file (a hint for the demuxer); others become ".video".
VIDEO_EXTENSIONS = (".mp4", ".m4v", ".mov", ".avi", ".webm", ".mkv", ".mpg", ".mpeg", ".3gp")
_CHUNK_BYTES = 1 << 20
MAX_DISPLAY_NAME_CHARS = 120


class UploadTooLargeError(InvalidOptionError):
    """The uploaded file is larger than the server's limit."""


def display_name(filename: str | None) -> str:
    """The browser's file name reduced to printable text for display (never a path)."""
    base = (filename or "video").replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(c for c in base if c.isprintable()).strip()
    return (text or "video")[:MAX_DISPLAY_NAME_CHARS]


def stored_name(filename: str | None) -> str:
    """Generated file name for an upload: ``video`` plus its extension if it is a known one."""
    suffix = Path(display_name(filename)).suffix.lower()
    return "video" + (suffix if suffix in VIDEO_EXTENSIONS else ".video")


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
    InvalidOptionError
        The file is empty.
    """
    n_bytes = 0
    with dest.open("xb") as out:
        while chunk := source.read(_CHUNK_BYTES):
            n_bytes += len(chunk)
            if n_bytes > max_bytes:
                break
            out.write(chunk)
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
        The capture rate does not fit the clip.
    """
    try:
        return probe_video(path, capture_fps=capture_fps)
    except UnreadableVideoError as exc:
        reason = str(exc).replace(str(path), "").lstrip(": ")
        raise UnreadableVideoError(
            f"{original_name!r} is not a video gait can read ({reason}). Upload the clip as "
            "recorded (MP4, MOV, AVI or WebM)") from None


def remove_tree(path: Path) -> None:
    """Delete a folder and everything in it, if it exists."""
    if path.exists():
        shutil.rmtree(path)
