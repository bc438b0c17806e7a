"""Camera-tilt (roll) check for rear and front views.

A camera rolled about its viewing axis tilts every line in the image by
the roll angle, and adds it to (or subtracts it from) the pelvic drop of
one side. Two level references are read from the runner:

- the **pelvis line at initial contact**: in running the pelvis passes
  through level around each foot's contact, before dropping to its peak at
  mid-stance (the model behind the pelvic-drop measure here), so the mean
  hip-line angle at the contacts of both feet (equal weight per foot) is the
  camera's roll;
- the **shoulder line over whole strides**: its mean over whole strides is
  level for a runner who does not hold one shoulder low.

The pelvic reference corrects pelvic drop and lateral trunk lean; the two
references are compared so that a disagreement (a runner who holds the
pelvis or shoulders oblique) is reported rather than corrected away.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import landmarks as lm
from ..events import GaitEvents
from ..track import PoseTrack

#: Roll above which the report warns that the camera should be levelled, degrees.
ROLL_WARN_DEG = 1.0
#: Disagreement between the two level references above which the report warns, degrees.
REFERENCE_DISAGREE_DEG = 2.0


def line_angle_deg(left_xy: np.ndarray, right_xy: np.ndarray) -> np.ndarray:
    """Image angle of a left-right landmark line, positive when the left point is lower.

    Parameters
    ----------
    left_xy, right_xy : ndarray, shape (..., 2)
        Image points in pixels (y down).

    Returns
    -------
    ndarray, shape (...)
        Degrees; independent of which side of the image each point is on,
        so the same in rear and front views.
    """
    d = left_xy - right_xy
    return np.degrees(np.arctan2(d[..., 1], np.abs(d[..., 0])))


@dataclass(frozen=True)
class TiltCheck:
    """The camera roll estimate and how it was found.

    Attributes
    ----------
    pelvis_level_deg : float
        Mean hip-line angle at initial contacts (positive: left hip lower),
        the zero of pelvic drop.
    shoulder_level_deg : float
        Mean shoulder-line angle over whole strides (same sign convention).
    roll_deg : float
        Estimated camera roll: a level line appears rising to the image right
        by this angle (from the pelvis reference).
    warnings : tuple of str
    """

    pelvis_level_deg: float
    shoulder_level_deg: float
    roll_deg: float
    warnings: tuple[str, ...]

    def to_dict(self) -> dict:
        """Plain-JSON form."""
        return {"pelvis_level_deg": self.pelvis_level_deg,
                "shoulder_level_deg": self.shoulder_level_deg, "roll_deg": self.roll_deg,
                "warnings": list(self.warnings)}


def check_tilt(track: PoseTrack, events: GaitEvents) -> TiltCheck:
    """Estimate the camera roll from the pelvis at contact and the shoulders over strides.

    Parameters
    ----------
    track : PoseTrack
        Cleaned, filtered track.
    events : GaitEvents
        Frontal events (initial contacts of both feet).

    Returns
    -------
    TiltCheck
    """
    xy = track.xy_px
    hip = line_angle_deg(xy[:, lm.LEFT_HIP], xy[:, lm.RIGHT_HIP])
    shoulder = line_angle_deg(xy[:, lm.LEFT_SHOULDER], xy[:, lm.RIGHT_SHOULDER])
    per_foot = []
    for foot in ("left", "right"):
        at_ic = [np.interp(c.ic_s, track.t_s, hip) for c in events.for_foot(foot)]
        at_ic = [a for a in at_ic if np.isfinite(a)]
        if at_ic:
            per_foot.append(float(np.median(at_ic)))
    pelvis = float(np.mean(per_foot)) if per_foot else float("nan")
    t0, t1 = events.segment_s
    n_strides = np.floor((t1 - t0) / events.stride_period_s)
    sel = (track.t_s >= t0) & (track.t_s <= t0 + n_strides * events.stride_period_s)
    sh = shoulder[sel]
    shoulders = float(np.mean(sh[np.isfinite(sh)])) if np.isfinite(sh).any() else float("nan")
    # rear view: the left hip is on the image left, so a line rising to the right
    # puts it lower (positive angle); from the front the sign flips
    sign = -1.0 if events.view.view == "front" else 1.0
    roll = sign * pelvis
    warnings = []
    if np.isfinite(roll) and abs(roll) > ROLL_WARN_DEG:
        warnings.append(
            f"camera tilt: the pelvis line at foot contact leans {abs(roll):.1f}° "
            f"({'rising to the right' if roll > 0 else 'rising to the left'}); pelvic drop and "
            "trunk lean are measured from that line, but level the camera (or check that the "
            "person does not hold the pelvis oblique) for a cleaner recording")
    if np.isfinite(pelvis) and np.isfinite(shoulders) and \
            abs(pelvis - shoulders) > REFERENCE_DISAGREE_DEG:
        warnings.append(
            f"the pelvis at contact ({pelvis:+.1f}°) and the shoulders over whole strides "
            f"({shoulders:+.1f}°) disagree about level by {abs(pelvis - shoulders):.1f}°: the "
            "person may hold the pelvis or the shoulders oblique; read pelvic drop and trunk "
            "lean with care")
    return TiltCheck(pelvis, shoulders, roll, tuple(warnings))
