"""Turn what a user types after ``gait compare`` into a stored or saved result.

Accepted: a session id (``12`` or ``#12``), a results folder (holding
``results.json``), a ``results.json`` file, or a video file already recorded
in the history (found by its content hash, so a renamed copy still matches).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidOptionError, NotInHistoryError
from ..result import RESULT_SCHEMA
from .store import HistoryStore, SessionRecord

_HASH_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class ResolvedSession:
    """A result to compare and what is known about where it came from.

    Attributes
    ----------
    result : dict
        The ``results.json`` content.
    name : str
        How the report calls it ("#3 baseline (2026-03-01, clip.mp4)").
    session : SessionRecord or None
        The stored session, when it came from (or was found in) the history.
    video_path : Path or None
        The video, if it still exists where it was analysed (for key frames).
    result_dir : Path or None
        Folder of the analysis outputs (``pose_track.npz`` etc.), if known.
    """

    result: dict
    name: str
    session: SessionRecord | None
    video_path: Path | None
    result_dir: Path | None


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, as `gait.video` computes a video's content hash."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def session_name(s: SessionRecord) -> str:
    """Display name of a stored session."""
    label = f" {s.label}" if s.label else ""
    return f"#{s.id}{label} ({s.session_date[:10]}, {s.video_file or 'video'})"


def _existing(path: str | None) -> Path | None:
    return Path(path) if path and Path(path).exists() else None


def _from_session(s: SessionRecord) -> ResolvedSession:
    result_json = _existing(s.outputs.get("results.json"))
    return ResolvedSession(s.result, session_name(s), s, _existing(s.video_path),
                           result_json.parent if result_json else None)


def _load_result(path: Path) -> dict:
    try:
        data = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidOptionError(f"{path}: cannot read a gait result ({exc})") from None
    if not isinstance(data, dict) or data.get("schema") != RESULT_SCHEMA:
        raise InvalidOptionError(f"{path}: not a gait result (schema {RESULT_SCHEMA!r} expected)")
    return data


def resolve(spec: str, store: HistoryStore, *, athlete: str | None = None) -> ResolvedSession:
    """Find the result one ``gait compare`` argument names.

    Parameters
    ----------
    spec : str
        Session id, results folder, ``results.json`` or recorded video file.
    store : HistoryStore
    athlete : str, optional
        Whose session a video is, when several athletes have it.

    Returns
    -------
    ResolvedSession

    Raises
    ------
    NotInHistoryError
        Unknown session id, or a video that was never recorded.
    InvalidOptionError
        Nothing of the above, or a video recorded for several athletes
        without `athlete`.
    """
    text = spec.strip()
    if text.lstrip("#").isdigit() and not Path(text).exists():
        return _from_session(store.session(int(text.lstrip("#"))))
    path = Path(text).expanduser()
    if path.is_dir():
        if not (path / "results.json").is_file():
            raise InvalidOptionError(f"{path}: folder holds no results.json; give a session id, "
                                     "a results folder or a recorded video")
        path = path / "results.json"
    if path.is_file() and path.suffix.lower() == ".json":
        result = _load_result(path)
        sha = (result.get("video") or {}).get("sha256")
        stored = store.sessions_for_video(sha, athlete=athlete) if sha else []
        name = session_name(stored[0]) if len(stored) == 1 else \
            f"{(result.get('video') or {}).get('file') or path.parent.name} ({path.parent})"
        return ResolvedSession(result, name, stored[0] if len(stored) == 1 else None,
                               _existing(stored[0].video_path) if len(stored) == 1 else None,
                               path.parent)
    if path.is_file():
        sha = file_sha256(path)
        stored = store.sessions_for_video(sha, athlete=athlete)
        if not stored:
            raise NotInHistoryError(f"{path}: this video is not in the history; record it first "
                                    "with gait analyze VIDEO -o OUTDIR --athlete NAME")
        if len(stored) > 1:
            names = ", ".join(sorted({s.athlete for s in stored}))
            raise InvalidOptionError(f"{path}: recorded for several athletes ({names}); "
                                     "say whose with --athlete NAME")
        found = _from_session(stored[0])
        return ResolvedSession(found.result, found.name, found.session, path.resolve(),
                               found.result_dir)
    raise InvalidOptionError(f"{spec!r} is not a session id (e.g. 12), a results folder, a "
                             "results.json or a video file")
