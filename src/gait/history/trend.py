"""The trend figure of an athlete's sessions: cadence, step length and asymmetry over time.

Each point is one session's headline value with its 95 % interval
(± 1.96 SE, `gait.history.sdc`). Sessions filmed at different belt speeds get
different marker shapes (cadence and step length depend on speed), so the
figure reads in grey as well as in colour. Sessions are placed one after the
other in date order, each labelled with its id and date, so sessions of one
day (say before and after a cue) stand apart.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
from collections.abc import Sequence

from ..metrics import TIMING_MIN_FPS
from ..units import KMH_PER_MS
from .sdc import Z_95, asymmetry_estimate, metric_estimate
from .store import SessionRecord

#: Marker shape and fill per belt-speed group, in order of first appearance.
_MARKERS = (("o", "black"), ("s", "white"), ("^", "0.55"), ("D", "white"), ("v", "black"))
_PANELS = (
    ("cadence_spm", "Cadence\n(steps/min)", False),
    ("step_length_m", "Step length\n(m)", False),
    ("step_time_ms", "Step-time asymmetry\n(% (L−R)/mean)", True),
)


def _session_date(s: SessionRecord) -> _dt.date:
    try:
        return _dt.date.fromisoformat(s.session_date[:10])
    except ValueError:
        return _dt.date.fromisoformat(s.analysed_utc[:10])


def session_axis(sessions: Sequence[SessionRecord]) -> tuple[list[SessionRecord], list[str]]:
    """The sessions in the order the figure places them, and their axis labels.

    Parameters
    ----------
    sessions : sequence of SessionRecord

    Returns
    -------
    ordered : list of SessionRecord
        By session date, then id; the i-th is drawn at x = i.
    labels : list of str
        ``"#<id>\n<date>"`` per session.
    """
    ordered = sorted(sessions, key=lambda s: (_session_date(s), s.id))
    return ordered, [f"#{s.id}\n{_session_date(s).isoformat()}" for s in ordered]


def _speed_label(s: SessionRecord) -> str:
    return f"{s.belt_speed_ms * KMH_PER_MS:.1f} km/h" if s.belt_speed_ms else "speed not given"


def trend_figure_png(sessions: Sequence[SessionRecord], *, athlete: str, dpi: int = 130
                     ) -> bytes:
    """Render the trend figure of some sessions as PNG bytes.

    Parameters
    ----------
    sessions : sequence of SessionRecord
        One athlete's sessions (any order; plotted by session date).
    athlete : str
        Name for the title.
    dpi : int
        Resolution of the PNG.

    Returns
    -------
    bytes
        The PNG file's content.
    """
    from matplotlib.figure import Figure  # no pyplot state: safe in the web app's threads

    ordered, labels = session_axis(sessions)
    groups = list(dict.fromkeys(_speed_label(s) for s in ordered))
    style = {g: _MARKERS[i % len(_MARKERS)] for i, g in enumerate(groups)}
    fig = Figure(figsize=(7.5, 7.2), layout="constrained")
    axes = fig.subplots(len(_PANELS), 1, sharex=True)
    xs = list(range(len(ordered)))
    for ax, (key, ylabel, is_asymmetry) in zip(axes, _PANELS):
        est = [asymmetry_estimate(s.result, key) if is_asymmetry
               else metric_estimate(s.result, key) for s in ordered]
        for i, group in enumerate(groups):
            marker, face = style[group]
            pts = [(x, e) for x, e, s in zip(xs, est, ordered)
                   if _speed_label(s) == group and math.isfinite(e.value)]
            if not pts:
                continue
            # join only sessions at the same belt speed: across speeds the values differ anyway
            ax.plot([x for x, _ in pts], [e.value for _, e in pts], color="0.55",
                    linewidth=1.0, linestyle=("-", "--", ":", "-.")[i % 4], zorder=1)
            ax.errorbar([x for x, _ in pts], [e.value for _, e in pts],
                        yerr=[Z_95 * e.se if math.isfinite(e.se) else 0 for _, e in pts],
                        fmt=marker, markersize=7, markerfacecolor=face, markeredgecolor="black",
                        ecolor="black", elinewidth=1.0, capsize=3, label=group, zorder=3)
        if is_asymmetry:
            ax.axhline(0.0, color="0.3", linestyle=":", linewidth=1.0)
            slow = [f"#{s.id}" for s in ordered if (s.fps or 0) < TIMING_MIN_FPS]
            if slow:
                ax.text(0.01, 0.04, f"filmed below {TIMING_MIN_FPS:.0f} fps ({', '.join(slow)}): "
                        "timing asymmetry is approximate, not a finding", transform=ax.transAxes,
                        fontsize=7.5, color="0.25")
        if key == "step_length_m":
            scaled = [f"#{s.id}" for s in ordered
                      if not s.belt_speed_ms and s.step_length_m is not None]
            if scaled:
                ax.text(0.01, 0.04, f"no belt speed ({', '.join(scaled)}): step length scaled "
                        "from body height, approximate (about 11 %)", transform=ax.transAxes,
                        fontsize=7.5, color="0.25")
        ax.set_ylabel(ylabel, fontsize=9)
        ax.grid(True, color="0.88", linewidth=0.8)
        ax.tick_params(labelsize=8)
        ax.margins(y=0.25)
    axes[0].set_title(f"{athlete}: {len(ordered)} session{'s' * (len(ordered) != 1)} "
                      "(bars: 95 % interval of each session's value)", fontsize=10, loc="left")
    if len(groups) > 1 or groups[0] != "speed not given":
        axes[0].legend(title="belt speed", fontsize=8, title_fontsize=8, loc="best",
                       frameon=True)
    axes[-1].set_xticks(xs, labels, fontsize=8, rotation=0 if len(xs) <= 8 else 60)
    axes[-1].set_xlabel("session (id and date, in date order)", fontsize=9)
    axes[-1].set_xlim(-0.6, len(xs) - 0.4)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
