"""Plain-text tables for the terminal: an athlete's sessions and a before/after comparison."""

from __future__ import annotations

from collections.abc import Sequence

from ..metrics import TIMING_MIN_FPS
from ..text_table import marked, table_number, text_table
from ..units import KMH_PER_MS
from .compare import NOT_COMPARED, REAL, Comparison
from .store import SessionRecord


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
    rough_timing = rough_length = False
    for s in sessions:
        # contact timing and its asymmetry are approximate below TIMING_MIN_FPS; step length
        # without a belt speed is scaled from body height
        mark = " ~" if s.fps is not None and s.fps < TIMING_MIN_FPS else ""
        contact = marked(table_number(s.contact_time_ms, 0), mark)
        asym = marked(table_number(s.step_time_si_pct, 1, signed=True), mark)
        step = marked(table_number(s.step_length_m, 3), "" if s.belt_speed_ms else " ~")
        rough_timing |= contact.endswith(" ~") or asym.endswith(" ~")
        rough_length |= step.endswith(" ~")
        rows.append((
            f"#{s.id}", s.session_date[:10], _shorten(s.label or ""), _shorten(s.video_file or ""),
            table_number(s.belt_speed_ms * KMH_PER_MS if s.belt_speed_ms else None, 1),
            table_number(s.fps, 0), table_number(s.cadence_spm, 1), step, contact, asym,
            str(s.n_versions)))
    table = text_table(header, rows, right={4, 5, 6, 7, 8, 9, 10})
    if rough_timing:
        table += (f"\n~ approximate: filmed below {TIMING_MIN_FPS:.0f} fps, where contact time "
                  "and step-time asymmetry are not compared between sessions")
    if rough_length:
        table += ("\n~ step length without a belt speed: scaled from body height (about 11 %), "
                  "not compared between sessions")
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
        rows.append((r.label + unit, table_number(r.before, r.decimals),
                     table_number(r.after, r.decimals),
                     table_number(r.change, r.decimals, signed=True),
                     table_number(r.sdc, r.decimals), verdict))
    lines.append(text_table(header, rows, right={1, 2, 3, 4}))
    lines += [""] + [f"note: {n}" for n in c.notes]
    lines.append("A change is called real only when it exceeds the smallest detectable change "
                 "(SDC, 95 %) for these two clips; see gait.history.sdc.")
    return "\n".join(lines).rstrip()
