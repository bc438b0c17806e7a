"""Key frames: the runner's own video at initial contact, one per foot, with skeleton and angles.

For each foot the representative contact is the one whose knee flexion at
contact is closest to that foot's median, so the picture shows a typical
step, not the best or worst. The frame is decoded from the video
(`gait.video.iter_frames`), the cleaned landmarks of that frame are drawn on
it, and the angles printed are that step's values from the result's step
table (so they equal ``steps.csv``). Shin angle is drawn against a vertical
line through the knee; knee flexion as the bend between thigh and shank.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from ..landmarks import LEG, SKELETON_EDGES
from ..result import GaitResult
from ..track import PoseTrack
from .assets import cleaned_track
from .figures import SIDE_STYLE, to_png

#: Margin around the runner's landmarks when cropping, as a fraction of the body height.
CROP_MARGIN = 0.12


@dataclass(frozen=True)
class KeyFrame:
    """One annotated frame at initial contact.

    Parameters
    ----------
    foot : str
        "left" or "right".
    step_index : int
        Row ``index`` in the result's step table.
    t_s : float
        Initial contact time, s.
    frame_idx : int
        Frame index in the video.
    knee_flexion_ic_deg, shin_angle_deg : float or None
        That step's values, degrees.
    png : bytes
        The annotated, cropped frame.
    """

    foot: str
    step_index: int
    t_s: float
    frame_idx: int
    knee_flexion_ic_deg: float | None
    shin_angle_deg: float | None
    png: bytes


def representative_steps(result: GaitResult, detected: np.ndarray | None = None
                         ) -> dict[str, dict]:
    """Per foot, the step row whose knee flexion at contact is closest to that foot's median.

    Parameters
    ----------
    result : GaitResult
    detected : ndarray of bool, shape (n_samples,), optional
        Where the pose model found the runner (`PoseTrack.detected`); steps
        whose initial contact lies in a frame it missed (landmarks filled in
        by cleaning) are not shown.

    Returns
    -------
    dict of str to dict
        "left"/"right" -> step row (feet without a measured step are absent).
    """
    out = {}
    for side in ("left", "right"):
        rows = [s for s in result.steps if s["foot"] == side
                and s.get("knee_flexion_ic_deg") is not None and s.get("shin_angle_deg") is not None
                and (detected is None or detected[int(s["ic_idx"])])]
        if not rows:
            continue
        median = float(np.median([s["knee_flexion_ic_deg"] for s in rows]))
        out[side] = min(rows, key=lambda s: abs(s["knee_flexion_ic_deg"] - median))
    return out


def _crop_box(xy: np.ndarray, size_px: tuple[int, int]) -> tuple[int, int, int, int]:
    pts = xy[np.isfinite(xy).all(axis=1)]
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    margin = CROP_MARGIN * (y1 - y0)
    w, h = size_px
    return (int(max(0, x0 - margin)), int(max(0, y0 - margin)),
            int(min(w, x1 + margin)), int(min(h, y1 + margin)))


def _draw(frame_rgb: np.ndarray, xy: np.ndarray, side: str, row: dict, facing: int,
          size_px: tuple[int, int]) -> Figure:
    x0, y0, x1, y1 = _crop_box(xy, size_px)
    crop = frame_rgb[y0:y1, x0:x1]
    p = xy - np.array([x0, y0])
    h, w = crop.shape[:2]
    fig = Figure(figsize=(3.4, 3.4 * h / w if w else 3.4))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.imshow(crop)
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    ax.axis("off")
    lw = max(1.0, w / 200)
    for a, b in SKELETON_EDGES:
        if np.isfinite(p[[a, b]]).all():
            ax.plot(p[[a, b], 0], p[[a, b], 1], color="white", linewidth=lw * 1.2, alpha=0.8)
    hip, knee, ankle, heel, toe = LEG[side]
    st = SIDE_STYLE[side]
    leg = p[[hip, knee, ankle, heel, toe, ankle]]
    ax.plot(leg[:, 0], leg[:, 1], color=st["color"], linewidth=lw * 2.4, solid_capstyle="round")
    ax.plot(leg[:, 0], leg[:, 1], linestyle="none", marker="o", markersize=lw * 2.2,
            markerfacecolor="white", markeredgecolor="black")
    k, an = p[knee], p[ankle]
    shank_len = float(np.hypot(*(an - k)))
    # vertical reference through the knee, and the thigh extended past the knee
    ax.plot([k[0], k[0]], [k[1], k[1] + shank_len], color="yellow", linewidth=lw,
            linestyle=(0, (3, 2)))
    thigh = k - p[hip]
    ext = k + thigh / max(float(np.hypot(*thigh)), 1e-9) * shank_len * 0.8
    ax.plot([k[0], ext[0]], [k[1], ext[1]], color="white", linewidth=lw, linestyle=(0, (1, 2)))
    knee_txt = "—" if row.get("knee_flexion_ic_deg") is None else f"{row['knee_flexion_ic_deg']:.0f}°"
    shin_txt = "—" if row.get("shin_angle_deg") is None else f"{row['shin_angle_deg']:+.0f}°"
    box = {"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "black", "alpha": 0.9}
    away = -facing if facing else 1
    ax.annotate(f"knee {knee_txt}", xy=(k[0], k[1]), xytext=(-away * 0.04 * w + k[0],
                k[1] - 0.10 * h), fontsize=13, bbox=box, ha="center",
                arrowprops={"arrowstyle": "-", "color": "black", "linewidth": 0.8})
    ax.annotate(f"shin {shin_txt}", xy=((k[0] + an[0]) / 2, (k[1] + an[1]) / 2),
                xytext=(k[0] - away * 0.18 * w, an[1] + 0.02 * h), fontsize=13, bbox=box,
                ha="center", arrowprops={"arrowstyle": "-", "color": "black", "linewidth": 0.8})
    ax.text(0.03, 0.98, f"{side.upper()} contact", transform=ax.transAxes,
            fontsize=13, va="top", ha="left", bbox=box)
    return fig


def initial_contact_frames(result: GaitResult, track: PoseTrack, video_path: str | Path, *,
                           filtered: PoseTrack | None = None) -> list[KeyFrame]:
    """Annotated video frames at a representative initial contact of each foot.

    Parameters
    ----------
    result : GaitResult
        Gives the steps (times, frame indices, angles) and the cleaning cut-off.
    track : PoseTrack
        The raw landmarks of this video (cleaned here exactly as in the
        analysis, unless `filtered` is given).
    video_path : str or Path
        The analysed video.
    filtered : PoseTrack, optional
        `track` already cleaned by `gait.report.assets.cleaned_track`.

    Returns
    -------
    list of KeyFrame
        Left first, then right; a foot without a measured contact, or whose leg
        is not tracked in that frame, is left out.

    Raises
    ------
    UnreadableVideoError
        If the video cannot be opened.
    """
    from ..video import iter_frames, probe_video

    picks = representative_steps(result, track.detected)
    if not picks:
        return []
    filtered = cleaned_track(result, track) if filtered is None else filtered
    info = probe_video(video_path, capture_fps=result.options.get("capture_fps"))
    facing = int(result.view.get("facing") or 0)
    out = []
    for side, row in picks.items():
        sample = int(row["ic_idx"])
        if not np.isfinite(filtered.xy_px[sample][list(LEG[side])]).all():
            continue  # the leg is not tracked in that frame: nothing to draw the angles on
        frame_idx = int(filtered.frame_idx[sample])
        frames = list(iter_frames(info, start=frame_idx, stop=frame_idx + 1, prefetch_frames=0))
        if not frames:
            continue
        rgb = frames[0][2][:, :, ::-1]
        fig = _draw(rgb, filtered.xy_px[sample], side, row, facing, filtered.size_px)
        out.append(KeyFrame(side, int(row["index"]), float(row["ic_s"]), frame_idx,
                            _finite(row.get("knee_flexion_ic_deg")),
                            _finite(row.get("shin_angle_deg")), to_png(fig, dpi=130)))
    return out


def _finite(v) -> float | None:
    return None if v is None or not math.isfinite(v) else float(v)
