"""Side-by-side key frames at initial contact for a comparison, with the main report's renderer.

Each session needs its video (where it was analysed, or the file given to
``gait compare``) and its raw landmarks (``pose_track.npz`` in the analysis
folder); a session missing either gets no frame and the report says why.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import GaitError
from ..result import GaitResult
from ..track import PoseTrack
from .compare_report import KeyFramePair
from .resolve import ResolvedSession


def _frames(session: ResolvedSession) -> tuple[dict[str, bytes], str]:
    """Foot -> PNG of one session, or an empty dict and the reason."""
    from ..report.keyframes import initial_contact_frames

    if session.video_path is None:
        return {}, f"{session.name}: the video is no longer where it was analysed"
    npz = session.result_dir / "pose_track.npz" if session.result_dir else None
    if npz is None or not npz.is_file():
        return {}, f"{session.name}: its pose_track.npz (analysis folder) was not found"
    try:
        track = PoseTrack.load(npz)
        result = GaitResult(**session.result)
        frames = initial_contact_frames(result, track, Path(session.video_path))
    except (GaitError, OSError, ValueError, KeyError) as exc:
        return {}, f"{session.name}: key frames could not be made ({exc})"
    return {k.foot: k.png for k in frames}, ""


def key_frame_pairs(before: ResolvedSession, after: ResolvedSession
                    ) -> tuple[list[KeyFramePair], str]:
    """Frames at a representative initial contact of each foot, before and after.

    Parameters
    ----------
    before, after : ResolvedSession

    Returns
    -------
    pairs : list of KeyFramePair
        One per foot seen in either session (left first); empty when neither
        session has frames.
    note : str
        Why frames are missing ("" when both sessions have them).
    """
    fb, why_b = _frames(before)
    fa, why_a = _frames(after)
    note = "; ".join(w for w in (why_b, why_a) if w)
    feet = [f for f in ("left", "right") if f in fb or f in fa]
    return [KeyFramePair(f, fb.get(f), fa.get(f)) for f in feet], note
