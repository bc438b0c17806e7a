"""A region of the video frame given as fractions: ``--region LEFT,TOP,RIGHT,BOTTOM``.

Pose estimation can be limited to the part of the frame where the runner is
(`gait.pose.region.RegionBackend`); this module parses and checks such a
region without importing the pose code.
"""

from __future__ import annotations

from .errors import InvalidOptionError

#: Smallest region side, as a fraction of the frame: below it a person
#: standing or running cannot fit, and the option was most likely mistyped.
MIN_REGION_FRACTION = 0.1


def check_region(region: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Validate a region (left, top, right, bottom) in fractions of the frame.

    Returns
    -------
    tuple of 4 float
        The region, as floats.

    Raises
    ------
    InvalidOptionError
        Not four numbers, outside 0-1, or a side under `MIN_REGION_FRACTION`.
    """
    try:
        left, top, right, bottom = (float(v) for v in region)
    except (TypeError, ValueError):
        given = ",".join(map(str, region)) if isinstance(region, (tuple, list)) else repr(region)
        raise InvalidOptionError(
            f"region must be four numbers LEFT,TOP,RIGHT,BOTTOM (fractions of the frame, "
            f"e.g. 0,0.4,1,1 for its lower 60 %); got {given}") from None
    if not all(0.0 <= v <= 1.0 for v in (left, top, right, bottom)):
        raise InvalidOptionError(
            f"region {left:g},{top:g},{right:g},{bottom:g}: give fractions of the frame from "
            "0 to 1 (LEFT,TOP,RIGHT,BOTTOM; 0,0,1,1 is the whole frame)")
    if right - left < MIN_REGION_FRACTION or bottom - top < MIN_REGION_FRACTION:
        raise InvalidOptionError(
            f"region {left:g},{top:g},{right:g},{bottom:g} is too small: RIGHT must exceed "
            f"LEFT and BOTTOM exceed TOP by at least {MIN_REGION_FRACTION:g} (LEFT,TOP,RIGHT,"
            "BOTTOM as fractions of the frame)")
    return left, top, right, bottom


def parse_region(text: str) -> tuple[float, float, float, float]:
    """``"0,0.4,1,1"`` -> (0.0, 0.4, 1.0, 1.0), checked by `check_region`."""
    return check_region(tuple(p.strip() for p in str(text).split(",")))


def region_pixels(region: tuple[float, float, float, float], width_px: int,
                  height_px: int) -> tuple[int, int, int, int]:
    """The region's pixel bounds (x0, y0, x1, y1) in a `width_px` x `height_px` frame."""
    left, top, right, bottom = region
    return (int(round(left * width_px)), int(round(top * height_px)),
            int(round(right * width_px)), int(round(bottom * height_px)))


def region_text(region: tuple[float, float, float, float]) -> str:
    """How a region reads in a report: "x 0-100 %, y 45-100 % of the frame"."""
    left, top, right, bottom = (100 * v for v in region)
    return f"x {left:.0f}-{right:.0f} %, y {top:.0f}-{bottom:.0f} % of the frame (from top left)"
