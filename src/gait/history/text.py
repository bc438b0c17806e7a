"""Plain-text tables for the terminal: an athlete's sessions and a before/after comparison."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..metrics import TIMING_MIN_FPS
from ..number_text import fixed
from ..units import KMH_PER_MS
from .compare import NOT_COMPARED, REAL, Comparison
from .store import SessionRecord



def _fmt(value: float | None, decimals: int, *, signed: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    return fixed(value, decimals, signed=signed)


def _grid(header: Sequence[str], rows: Sequence[Sequence[str]], *, right: set[int]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def format_sessions_table(sessions: Sequence[SessionRecord]) -> str:
    """One line per session with its headline metrics (current analysis).

    Parameters
    ----------
    sessions : sequence of SessionRecord

    Returns
    -------
    str
        A fixed-width table; "-" where a metric was not measured.
    """
    header = ("id", "date", "label", "video", "belt km/h", "fps", "cadence spm", "step m",
              "contact ms", "step asym %", "versions")
    rows = []
    approximate = False
    for s in sessions:
        # contact timing and its asymmetry are approximate below TIMING_MIN_FPS
        mark = " ~" if s.fps is not None and s.fps < TIMING_MIN_FPS else ""
        contact = _fmt(s.contact_time_ms, 0)
        asym = _fmt(s.step_time_si_pct, 1, signed=True)
        approximate |= bool(mark) and (contact, asym) != ("-", "-")
        rows.append((
            f"#{s.id}", s.session_date[:10], _shorten(s.label or ""),
            _shorten(s.video_file or ""),
            _fmt(s.belt_speed_ms * KMH_PER_MS if s.belt_speed_ms else None, 1),
            _fmt(s.fps, 0), _fmt(s.cadence_spm, 1), _fmt(s.step_length_m, 3),
            contact + (mark if contact != "-" else ""), asym + (mark if asym != "-" else ""),
            str(s.n_versions)))
    table = _grid(header, rows, right={4, 5, 6, 7, 8, 9, 10})
    if approximate:
        table += (f"\n~ approximate: filmed below {TIMING_MIN_FPS:.0f} fps, where contact time "
                  "and step-time asymmetry are not compared between sessions")
    return table


def _shorten(text: str, width: int = 28) -> str:
    """`text` cut to `width` characters, an ellipsis marking the cut."""
    return text if len(text) <= width else text[:width - 1] + "…"


def format_comparison(comparison: Comparison) -> str:
    """The comparison as text: the speed statement first, then one line per metric.

    Parameters
    ----------
    comparison : Comparison

    Returns
    -------
    str
    """
    c = comparison
    lines = [f"before: {c.before.name}", f"after:  {c.after.name}", ""]
    if c.speed_note:
        lines += ["!! " + c.speed_note, ""]
    header = ("metric", "before", "after", "change", "SDC", "verdict")
    rows = []
    for r in c.rows:
        verdict = r.status.upper() if r.status == REAL else r.status
        if r.status == NOT_COMPARED:
            verdict += f" ({r.reason})"
        unit = f" ({r.unit})" if r.unit else ""
        rows.append((r.label + unit, _fmt(r.before, r.decimals), _fmt(r.after, r.decimals),
                     _fmt(r.change, r.decimals, signed=True), _fmt(r.sdc, r.decimals), verdict))
    lines.append(_grid(header, rows, right={1, 2, 3, 4}))
    lines += [""] + [f"note: {n}" for n in c.notes]
    lines.append("A change is called real only when it exceeds the smallest detectable change "
                 "(SDC, 95 %) for these two clips; see gait.history.sdc.")
    return "\n".join(lines).rstrip()
