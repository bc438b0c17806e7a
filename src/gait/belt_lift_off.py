"""Toe-off from the toe leaving the treadmill belt.

In stance the toe rests on the belt and is carried backwards with it; from
toe-off it swings forward. The toe's forward image position plus the belt's
travel is therefore flat through stance and climbs from toe-off on. This
cue does not depend on the toe's image height, which MediaPipe lets creep
up through stance and, at high frame rates, throws up for a few frames in
mid-stance (the far foot's landmarks jump towards the swinging near leg as
it passes). A stance timed from height alone then ends at that jump, a
third to a half of the stance early.

`gait.events` uses this cue as a check on its lift-offs: a foot whose toe
keeps moving with the belt well after its detected toe-offs was cut short
by the pose model, and its toe-offs are timed again from here (then refined
by `gait.event_timing` like any other).

On ground that does not move (overground running, a static camera) the
belt speed is zero and the same cue reads "the toe stays put in stance".
"""

from __future__ import annotations

import numpy as np
from scipy.stats import theilslopes

from .event_timing import touch_time


#: Part of each detected stance, as fractions of its duration from initial
#: contact, over which the toe's image speed is read as the belt's: after
#: the landing has settled and before any early lift-off.
MID_STANCE = (0.2, 0.6)
#: Look-back window in seconds (at least `MIN_WINDOW_FRAMES` frames) within
#: which a toe still on the belt has not risen above its lowest
#: belt-relative position by more than `LEAVING_SHARE` of the belt's travel
#: over the window.
WINDOW_S = 0.04
MIN_WINDOW_FRAMES = 2
LEAVING_SHARE = 0.25
#: A foot's stances were cut short when its toe stayed on the belt, after
#: the detected toe-offs, for more than this share of its detected contact
#: time (median over its stances). On the rendered runners this is -0.29
#: to 0.30 for the feet whose toe-offs were within 25 ms, 1.08-1.77 for the
#: far feet cut short at 60-240 fps, and 0.78 and 0.40 for the near feet at
#: 240 fps, cut 104 and 57 ms short (docs/rendered_accuracy.md).
CUT_SHORT_SHARE = 0.4


def _mid_stance(t_s: np.ndarray, ic_s: float, to_s: float) -> np.ndarray:
    """Mask of the samples in the `MID_STANCE` part of one stance."""
    a, b = MID_STANCE
    return (t_s >= ic_s + a * (to_s - ic_s)) & (t_s <= ic_s + b * (to_s - ic_s))


def belt_speed_px_s(t_s: np.ndarray, toe_fwd_px: np.ndarray, ic_s: np.ndarray,
                    to_s: np.ndarray) -> float:
    """Speed of the belt in the image, pixels per second (negative: backwards).

    Parameters
    ----------
    t_s : ndarray, shape (n,)
        Sample times in seconds.
    toe_fwd_px : ndarray, shape (n,)
        The toe's image position along the running direction, pixels
        (low-pass filtered; NaN where not tracked).
    ic_s, to_s : ndarray, shape (m,)
        Initial contact and toe-off of each stance of this foot, seconds.

    Returns
    -------
    float
        Median over the stances of the toe's Theil-Sen slope in mid-stance
        (robust to a landmark that jumps for a few frames); NaN when no
        stance has two tracked samples there.
    """
    slopes = []
    for a, b in zip(ic_s, to_s):
        sel = _mid_stance(t_s, a, b) & np.isfinite(toe_fwd_px)
        if sel.sum() >= 2:
            slopes.append(theilslopes(toe_fwd_px[sel], t_s[sel])[0])
    return float(np.median(slopes)) if slopes else float("nan")


def belt_lift_offs(t_s: np.ndarray, toe_fwd_px: np.ndarray, ic_s: np.ndarray, *,
                   end_s: np.ndarray, speed_px_s: float, fs: float) -> np.ndarray:
    """Instant the toe leaves the belt in each stance, seconds.

    Parameters
    ----------
    t_s, toe_fwd_px : ndarray, shape (n,)
        As for `belt_speed_px_s`.
    ic_s : ndarray, shape (m,)
        Initial contact of each stance, seconds.
    end_s : ndarray, shape (m,)
        Latest instant each stance's swing can reach (the foot's next
        initial contact), seconds.
    speed_px_s : float
        Belt speed in the image (`belt_speed_px_s`).
    fs : float
        Sampling rate, frames per second.

    Returns
    -------
    ndarray, shape (m,)
        From the swing's farthest forward point, the search walks back to
        the last sample at which the toe's belt-relative position had not
        risen over the preceding window (by more than `LEAVING_SHARE` of
        the belt's travel over it); the lift-off is extrapolated from the
        swing samples after it back to that resting level, as a touch of
        the belt is timed (`gait.event_timing.touch_time`: at most three
        frames back, so at 240 fps it stays 2-3 frames late). NaN where the
        swing or the stance before it is not tracked.
    """
    width = max(int(round(WINDOW_S * fs)), MIN_WINDOW_FRAMES)
    rise = LEAVING_SHARE * abs(speed_px_s) * width / fs
    rel = toe_fwd_px - speed_px_s * t_s
    out = np.full(len(ic_s), np.nan)
    for j, (a, b) in enumerate(zip(ic_s, end_s)):
        span = np.flatnonzero((t_s > a) & (t_s < b))
        if span.size <= width + 1 or not np.isfinite(rel[span]).all():
            continue
        k = span[int(np.argmax(rel[span]))]
        while k - width > span[0] and rel[k] - rel[k - width:k].min() > rise:
            k -= 1
        if k - width <= span[0]:
            continue
        level = rel[k - width:k + 1].min()
        out[j] = touch_time(t_s, rel - level, k, +1)
    return out


def cut_short(belt_to_s: np.ndarray, ic_s: np.ndarray, to_s: np.ndarray) -> bool:
    """Whether a foot's detected toe-offs come well before its toe leaves the belt.

    Parameters
    ----------
    belt_to_s : ndarray, shape (m,)
        `belt_lift_offs` of the foot's stances, seconds (NaN allowed).
    ic_s, to_s : ndarray, shape (m,)
        The foot's detected initial contacts and toe-offs, seconds.

    Returns
    -------
    bool
        True when the median time the toe stayed on the belt after the
        detected toe-off exceeds `CUT_SHORT_SHARE` of the median detected
        contact time.
    """
    late = belt_to_s - to_s
    late = late[np.isfinite(late)]
    if late.size == 0:
        return False
    return bool(np.median(late) > CUT_SHORT_SHARE * np.median(to_s - ic_s))
