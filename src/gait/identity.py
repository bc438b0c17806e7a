"""Is the track one person throughout? Jumps of the pose model between people.

A single-person pose model follows whoever it finds most salient; with
other people (or a person-like figure: a statue, a poster) in view it can
jump to one of them. Such a jump moves the mid-hip further in one frame than
a walking or running body can, or changes the body's image size abruptly.
Side and frontal analyses never join frames across a jump.
"""

from __future__ import annotations

import numpy as np

from . import landmarks as lm
from .track import PoseTrack

#: Largest believable mid-hip speed in the image between detected frames, in
#: torso lengths (mid-shoulders to mid-hips) per second: a sprint at 10 m/s
#: past a side-on camera is about 22. One person stayed under 6.6 on all 18
#: real and rendered clips here (MediaPipe's jitter on the 60-120 fps rendered
#: runners is the most); its jumps on walk_side_outdoor.mp4 (from a statue to
#: the walker, then to a passer-by) are 82 and 141.
MAX_HIP_SPEED_TORSO_PER_S = 25.0
#: Largest believable relative change of the torso length between detected
#: frames (one person: at most 0.13 on the same clips; walk_side_outdoor.mp4
#: changes by 0.36 twice as the model settles on the statue).
MAX_TORSO_CHANGE = 0.25


def identity_breaks(track: PoseTrack) -> np.ndarray:
    """Boolean (n_frames,): True where the track jumps to another person at that frame.

    Returns
    -------
    ndarray of bool
        A frame is a break when, relative to the previous detected frame, the
        mid-hip moved faster than `MAX_HIP_SPEED_TORSO_PER_S` torso lengths per
        second or the torso length changed by more than `MAX_TORSO_CHANGE`.
    """
    xy = track.xy_px
    hip = 0.5 * (xy[:, lm.LEFT_HIP] + xy[:, lm.RIGHT_HIP])
    sh = 0.5 * (xy[:, lm.LEFT_SHOULDER] + xy[:, lm.RIGHT_SHOULDER])
    torso = np.linalg.norm(sh - hip, axis=1)
    ok = np.flatnonzero(np.isfinite(hip).all(axis=1) & np.isfinite(torso) & (torso > 0))
    breaks = np.zeros(track.n_frames, bool)
    if ok.size < 2:
        return breaks
    a, b = ok[:-1], ok[1:]
    dt = np.maximum(track.t_s[b] - track.t_s[a], 1e-6)
    size = 0.5 * (torso[a] + torso[b])
    speed = np.linalg.norm(hip[b] - hip[a], axis=1) / size / dt
    change = np.abs(torso[b] - torso[a]) / size
    breaks[b] = (speed > MAX_HIP_SPEED_TORSO_PER_S) | (change > MAX_TORSO_CHANGE)
    return breaks


def breaks_note(t_s: np.ndarray, breaks: np.ndarray) -> str:
    """What the user is told about the jumps `breaks` marks (frame times `t_s`, seconds).

    "the pose model jumped between people N times (at ... s): another person,
    or a person-like figure such as a statue or poster, is in view; film with
    one person in view" (the first five times, then "...").
    """
    n = int(breaks.sum())
    times = ", ".join(f"{t:.1f}" for t in t_s[breaks][:5]) + (" ..." if n > 5 else "")
    return (f"the pose model jumped between people {n} time{'s' * (n != 1)} (at {times} s): "
            "another person, or a person-like figure such as a statue or poster, is in view; "
            "say where in the frame the runner is (--region) or film with one person in view")
