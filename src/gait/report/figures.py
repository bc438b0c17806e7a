"""Report figures (matplotlib): foot trajectories, cadence per step, left vs right, stance timeline.

Every figure reads in grey print: left and right differ by line style and
marker (left solid with circles, right dashed with triangles) and by hatching
in bars, not only by colour. Figures are built with the object-oriented API
(`matplotlib.figure.Figure`, no pyplot state), so rendering is thread-safe
and leaves no open windows.

Renderers take the `GaitResult`; the foot trajectories also need the pose
landmarks (`PoseTrack`), which the result does not store.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.figure import Figure

from ..landmarks import LEG
from ..result import GaitResult
from ..track import PoseTrack
from .assets import cleaned_track

#: Line and marker style per foot (readable in grey).
SIDE_STYLE = {
    "left": {"color": "#1f4e79", "linestyle": "-", "marker": "o", "hatch": "////",
             "face": "white", "label": "left"},
    "right": {"color": "#b34a2e", "linestyle": "--", "marker": "^", "hatch": "",
              "face": "#9a9a9a", "label": "right"},
}
#: Seconds of the analysed segment shown in the time plots (more is unreadable on A4).
WINDOW_S = 6.0
#: Width in seconds of the mark drawn at each landing of a foot whose toe-offs
#: were lost (`stance_timeline`).
LANDING_MARK_S = 0.02
DPI = 150


def _apply_style(fig: Figure) -> None:
    for ax in fig.axes:
        ax.grid(True, color="#d9d9d9", linewidth=0.6)
        ax.set_axisbelow(True)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)


def to_png(fig: Figure, *, dpi: int = DPI) -> bytes:
    """Render a figure to PNG bytes.

    Parameters
    ----------
    fig : Figure
    dpi : int
        Dots per inch.

    Returns
    -------
    bytes
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    return buf.getvalue()


def _robust_limits(values: list[float], median: float | None,
                   keep: list[float | None]) -> tuple[float, float]:
    """y-limits of the cadence plot: the data within ±25 % of the median, plus every `keep` value.

    Single steps further than 25 % from the clip's cadence are frame-timing or
    tracking errors at video frame rates; they are drawn at the edge instead.
    """
    anchors = [v for v in [median, *keep] if v is not None and np.isfinite(v)]
    finite = [v for v in values if np.isfinite(v)]
    if median is not None and np.isfinite(median):
        finite = [min(max(v, 0.75 * median), 1.25 * median) for v in finite]
    span = finite + anchors
    if not span:
        return 0.0, 1.0
    lo, hi = min(span), max(span)
    pad = 0.08 * max(hi - lo, 10.0)
    return float(lo - pad), float(hi + pad)


def time_window_s(result: GaitResult, *, window_s: float = WINDOW_S) -> tuple[float, float]:
    """Start and end (s) of the span the time plots show: the segment's first `window_s` seconds."""
    start, end = result.segment_s
    return float(start), float(min(end, start + window_s))


def _stance_level_px(t_s: np.ndarray, low_y_px: np.ndarray, contacts: list[dict]
                     ) -> np.ndarray:
    """Image row (px) of the surface under one foot at each time.

    The foot's lowest point (`low_y_px`, the larger image y of heel and toe) at
    the 90th percentile of each of its stances, interpolated in time between
    stances: a person crossing the frame moves nearer or farther from the
    camera, or a camera not square to the ground sees it slope, so a single
    level over the clip would tilt every height after it. Without two timed
    stances, the 95th percentile of the whole clip.
    """
    mids, levels = [], []
    for e in contacts:
        if e.get("to_s") is None:
            continue
        inside = (t_s >= e["ic_s"]) & (t_s <= e["to_s"]) & np.isfinite(low_y_px)
        if inside.any():
            mids.append(0.5 * (e["ic_s"] + e["to_s"]))
            levels.append(np.percentile(low_y_px[inside], 90))
    if len(mids) < 2:
        return np.full_like(t_s, np.nanpercentile(low_y_px, 95))
    return np.interp(t_s, mids, levels)


def foot_trajectories(result: GaitResult, track: PoseTrack, *,
                      filtered: PoseTrack | None = None, window_s: float = WINDOW_S) -> Figure:
    """Heel and toe height above the belt (or ground) for each foot, with initial contacts
    and toe-offs.

    Parameters
    ----------
    result : GaitResult
        Gives the events, the cleaning cut-off and the pixel scale.
    track : PoseTrack
        Raw landmarks (cleaned here exactly as in the analysis, unless
        `filtered` is given).
    filtered : PoseTrack, optional
        `track` already cleaned by `gait.report.assets.cleaned_track`.
    window_s : float
        Seconds shown from the start of the analysed segment.

    Returns
    -------
    Figure
        Two panels (left foot, right foot); heights in cm when the scale is
        known, else in pixels.
    """
    filtered = cleaned_track(result, track) if filtered is None else filtered
    t0, t1 = time_window_s(result, window_s=window_s)
    keep = (filtered.t_s >= t0) & (filtered.t_s <= t1)
    px_per_m = result.scale.get("px_per_m")
    to_unit, unit = ((100.0 / px_per_m, "cm") if px_per_m else (1.0, "px"))
    fig = Figure(figsize=(7.2, 4.4))
    axes = fig.subplots(2, 1, sharex=True)
    for ax, side in zip(axes, ("left", "right")):
        st = SIDE_STYLE[side]
        _, _, _, heel, toe = LEG[side]
        y_heel = filtered.xy_px[:, heel, 1]
        y_toe = filtered.xy_px[:, toe, 1]
        ground = _stance_level_px(filtered.t_s, np.fmax(y_heel, y_toe),
                                  [e for e in result.events if e["foot"] == side])
        h_heel = (ground - y_heel) * to_unit
        h_toe = (ground - y_toe) * to_unit
        t = filtered.t_s
        ax.plot(t[keep], h_heel[keep], color=st["color"], linestyle="-", linewidth=1.6,
                label="heel")
        ax.plot(t[keep], h_toe[keep], color="black", linestyle=":", linewidth=1.3, label="toe")
        ics = [e for e in result.events if e["foot"] == side and t0 <= e["ic_s"] <= t1]
        tos = [e for e in result.events if e["foot"] == side and e.get("to_s") is not None
               and t0 <= e["to_s"] <= t1]
        ax.plot([e["ic_s"] for e in ics], np.interp([e["ic_s"] for e in ics], t, h_heel),
                linestyle="none", marker="v", markersize=7, color="black",
                label="initial contact")
        ax.plot([e["to_s"] for e in tos], np.interp([e["to_s"] for e in tos], t, h_toe),
                linestyle="none", marker="^", markersize=7, markerfacecolor="white",
                markeredgecolor="black", label="toe-off")
        for e in ics:
            end = e["to_s"] if e.get("to_s") is not None else e["ic_s"]
            ax.axvspan(e["ic_s"], min(end, t1), color="#e3e3e3", zorder=0)
        ax.set_ylabel(f"{side} foot\nheight ({unit})")
    surface = result.stance_surface
    axes[1].set_xlabel(f"time (s); shaded: foot on the {surface} (stance)")
    axes[1].legend(loc="upper center", bbox_to_anchor=(0.5, -0.38), ncol=4, fontsize=7.5,
                   frameon=False)
    axes[0].set_title(f"Foot height above the {surface} with detected contacts", fontsize=10,
                      loc="left")
    _apply_style(fig)
    fig.tight_layout()
    return fig


def cadence_per_step(result: GaitResult, *, targets_spm: dict[str, float] | None = None) -> Figure:
    """Cadence of each step (60 / step time) over the clip, with the median and the targets.

    Parameters
    ----------
    result : GaitResult
    targets_spm : dict of str to float, optional
        Label (e.g. "+5%") -> target cadence in steps/min, drawn as dotted lines.

    Returns
    -------
    Figure
    """
    fig = Figure(figsize=(7.2, 3.3))
    ax = fig.subplots()
    median = result.summary["cadence_spm"]["value"]
    per_step = {side: [(s["ic_s"], 60000.0 / s["step_time_ms"]) for s in result.steps
                       if s["foot"] == side and s.get("step_time_ms")]
                for side in ("left", "right")}
    values = [v for rows in per_step.values() for _, v in rows]
    lo, hi = _robust_limits(values, median, list((targets_spm or {}).values()))
    clipped = []
    for side, rows in per_step.items():
        st = SIDE_STYLE[side]
        inside = [(t, v) for t, v in rows if lo <= v <= hi]
        clipped += [(t, min(max(v, lo), hi)) for t, v in rows if not lo <= v <= hi]
        ax.plot([t for t, _ in inside], [v for _, v in inside], linestyle="none",
                marker=st["marker"], color=st["color"],
                markerfacecolor="white" if side == "left" else st["color"], markersize=5,
                label=f"{side} step")
    if clipped:
        ax.plot([t for t, _ in clipped], [v for _, v in clipped], linestyle="none", marker="x",
                color="black", markersize=6, clip_on=False,
                label="step outside the range shown")
    ax.set_ylim(lo, hi)
    strides = [s for s in result.steps if s.get("stride_time_ms")]
    ax.plot([s["ic_s"] for s in strides], [120000.0 / s["stride_time_ms"] for s in strides],
            color="black", linewidth=1.0, linestyle="-", alpha=0.6,
            label="per stride (120 / stride time)")
    if median is not None:
        ax.axhline(median, color="black", linewidth=1.6, label=f"clip cadence {median:.1f}")
    if targets_spm:
        for spm in targets_spm.values():
            ax.axhline(spm, color="#555555", linewidth=0.9, linestyle=":")
        ax.plot([], [], color="#555555", linewidth=0.9, linestyle=":", label="targets "
                + ", ".join(f"{k} {v:g}" for k, v in targets_spm.items()))
    ax.set_xlabel("time of initial contact (s)")
    ax.set_ylabel("cadence (steps/min)")
    ax.set_title("Cadence step by step (60 / step time)", fontsize=10, loc="left")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), fontsize=7.5, ncol=3,
              frameon=False)
    _apply_style(fig)
    fig.tight_layout()
    return fig


def left_right(result: GaitResult, rows: tuple[dict, ...]) -> Figure:
    """Left vs right bars with interquartile whiskers, one small panel per bilateral metric.

    Parameters
    ----------
    result : GaitResult
        Gives the per-side interquartile ranges.
    rows : tuple of dict
        From `gait.report.content.ReportContent.bilateral` (label, left, right,
        unit, verdict).

    Returns
    -------
    Figure
    """
    n = len(rows)
    cols = 4 if n > 6 else 3
    nrows = max(1, int(np.ceil(n / cols)))
    fig = Figure(figsize=(7.2, 2.1 * nrows + 0.3))
    axes = np.atleast_1d(fig.subplots(nrows, cols)).ravel()
    for ax, row in zip(axes, rows):
        for i, side in enumerate(("left", "right")):
            st = SIDE_STYLE[side]
            ps = result.per_side.get(side, {}).get(row["key"], {})
            value = row[side]
            lo, hi = ps.get("q1"), ps.get("q3")
            yerr = None
            if lo is not None and hi is not None:
                yerr = [[max(value - lo, 0.0)], [max(hi - value, 0.0)]]
            ax.bar(i, value, width=0.6, color=st["face"], edgecolor="black", hatch=st["hatch"],
                   linewidth=0.8, yerr=yerr, capsize=4, error_kw={"linewidth": 0.9})
        ax.set_xticks([0, 1], ["L", "R"])
        ax.axhline(0, color="black", linewidth=0.6)
        ax.set_title(f"{row['label']} ({row['unit']})", fontsize=8)
        ax.set_xlabel(row["verdict"], fontsize=6.8)
        ax.tick_params(labelsize=7)
    for ax in axes[n:]:
        ax.set_visible(False)
    fig.suptitle("Left vs right: trimmed mean per side, whiskers = interquartile range over steps",
                 fontsize=9.5, x=0.01, ha="left")
    _apply_style(fig)
    fig.tight_layout()
    return fig


def stance_timeline(result: GaitResult, *, window_s: float = WINDOW_S) -> Figure:
    """Stance (foot down) periods for each foot over time, with the flight phases (both
    feet off) of a runner or the double-support phases (both feet on) of a walker.

    Parameters
    ----------
    result : GaitResult
    window_s : float
        Seconds shown from the start of the analysed segment.

    Returns
    -------
    Figure
    """
    t0, t1 = time_window_s(result, window_s=window_s)
    fig = Figure(figsize=(7.2, 2.2))
    ax = fig.subplots()
    events = [e for e in result.events if e.get("to_s") is not None
              and e["to_s"] >= t0 and e["ic_s"] <= t1]
    # a foot the pose model lost mid-stance: only its landings are shown (its toe-offs are not
    # measured, and the flights and double supports they would bound are left out)
    lost = result.lost_foot
    stances: dict[str, list[tuple[float, float]]] = {}
    labels = {}
    for y, side in ((2, "left"), (1, "right")):
        st = SIDE_STYLE[side]
        spans = [(e["ic_s"], e["to_s"] - e["ic_s"]) for e in events if e["foot"] == side]
        if side == lost:
            spans = [(a, LANDING_MARK_S) for a, _ in spans]
            labels[side] = f"{side} landings"
        else:
            stances[side] = [(a, a + w) for a, w in spans]
            labels[side] = f"{side} stance"
        ax.broken_barh(spans, (y - 0.35, 0.7), facecolors=st["face"], edgecolors="black",
                       hatch=st["hatch"], linewidth=0.7)
    walking = result.gait_mode == "walking"
    if lost is None:
        phases = (_double_support(stances["left"], stances["right"]) if walking
                  else _flights(stances["left"] + stances["right"]))
    else:
        landings = sorted(e["ic_s"] for e in events)
        phases = [] if walking else _flights_after(next(iter(stances.values())), landings)
    ax.broken_barh(phases, (0 - 0.25, 0.5), facecolors="black")
    phase = "double support" if walking else "flight"
    ax.set_yticks([2, 1, 0], [labels["left"], labels["right"], phase])
    ax.set_xlim(t0, t1)
    ax.set_ylim(-0.6, 2.6)
    ax.set_xlabel("time (s)")
    fps = result.pose["fps"]
    contact = result.summary.get("contact_time_ms") or {}
    error = contact.get("expected_error")
    # the stated error of a contact (pose model, frame rate, common timing), not half a frame
    stated = f"; contact time ±{error:.0f} ms" if error is not None and np.isfinite(error) else ""
    title = f"Stance and {phase} per foot ({fps:.0f} fps{stated})"
    if lost is not None:
        title += f"; {lost} toe-offs lost by the pose model"
    ax.set_title(title, fontsize=10, loc="left")
    _apply_style(fig)
    ax.grid(False, axis="y")
    fig.tight_layout()
    return fig


def _flights(stances: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """(start, duration) of every gap between stances of either foot, seconds."""
    flights = []
    merged_end = None
    for a, b in sorted(stances):
        if merged_end is not None and a > merged_end:
            flights.append((merged_end, a - merged_end))
        merged_end = b if merged_end is None else max(merged_end, b)
    return flights


def _flights_after(stances: list[tuple[float, float]], landings: list[float]
                   ) -> list[tuple[float, float]]:
    """(start, duration) from the end of each of one foot's stances to the next landing."""
    out = []
    for _, b in stances:
        later = [ic for ic in landings if ic > b]
        if later:
            out.append((b, later[0] - b))
    return out


def _double_support(left: list[tuple[float, float]], right: list[tuple[float, float]]
                    ) -> list[tuple[float, float]]:
    """(start, duration) of every overlap of a left and a right stance, seconds."""
    out = []
    for a0, a1 in left:
        for b0, b1 in right:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi > lo:
                out.append((lo, hi - lo))
    return sorted(out)
