"""The before/after comparison report: ``comparison.html``, ``comparison.pdf``, ``comparison.json``.

Built on the main report's page skeletons (`gait.report.html.render_page`,
`gait.report.pdf.render_pdf`) so both look the same. Order on the page: the
belt-speed statement (a warning box when the speeds differ), the two
sessions, the table of changes with each metric's smallest detectable change
and verdict, how a change is called real, the key frames at initial contact
side by side, and the references.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import OutputExistsError
from ..evidence import Statement
from ..number_text import typeset
from ..output_paths import check_writable_folder, replacing
from ..report import html as H
from ..report import pdf as P
from ..report.citations import CitationIndex
from .compare import IC_TIMING_FLOOR, NOT_COMPARED, REAL, WITHIN, Comparison, MetricChange
from .sdc import PUBLISHED_SDD_FLOOR

#: Files `write_comparison_report` creates in its output folder.
COMPARISON_FILES = ("comparison.html", "comparison.pdf", "comparison.json")

#: Status -> CSS class of the main report's badges (border style tells them apart in grey).
_BADGE = {REAL: "status-outside", WITHIN: "status-within", NOT_COMPARED: "status-not-assessed"}
_VERDICT_TEXT = {REAL: "real change", WITHIN: "within SDC", NOT_COMPARED: "not compared"}


@dataclass(frozen=True)
class KeyFramePair:
    """The same foot at initial contact before and after (PNG bytes; None when unavailable)."""

    foot: str
    before_png: bytes | None
    after_png: bytes | None


def _fmt(v: float, decimals: int, *, signed: bool = False) -> str:
    if not math.isfinite(v):
        return "—"
    return typeset(v, decimals, signed=signed)


def _unit(r: MetricChange) -> str:
    return "°" if r.unit == "deg" else r.unit


def _change_text(r: MetricChange) -> str:
    text = _fmt(r.change, r.decimals, signed=True)
    if math.isfinite(r.change_pct) and math.isfinite(r.change):
        text += f" ({_fmt(r.change_pct, 1, signed=True)} %)"
    return text


def _statements(c: Comparison) -> dict[str, Statement]:
    """Evidence behind the rules the page states."""
    return {
        "speed": Statement("Cadence conditions are compared only at the same treadmill speed.",
                           ("load.petersen_same_speed",)),
        "angles": Statement("Published smallest detectable differences of 2D video angles set "
                            "the floor of the SDC for knee flexion, shin angle and foot angle.",
                            ("measurement.angle_sdd",)),
        "fps": Statement("Contact timing from video below 120 fps carries a frame-rate "
                         "dependent bias.", ("measurement.frame_rate",)),
    }


def _session_rows(c: Comparison) -> list[tuple[str, str, str]]:
    def speed(v: float | None) -> str:
        return "not given" if v is None else f"{v:.1f} km/h"

    b, a = c.before, c.after
    return [("Session", b.name, a.name), ("Video", b.source, a.source),
            ("Belt speed", speed(b.belt_speed_kmh), speed(a.belt_speed_kmh)),
            ("Frame rate", f"{b.fps:.0f} fps", f"{a.fps:.0f} fps"),
            ("Steps analysed", str(b.n_steps), str(a.n_steps)), ("View", b.view, a.view)]


def _speed_text(c: Comparison) -> str:
    if c.speed_note:
        return c.speed_note
    return (f"Both sessions at {c.before.belt_speed_kmh:.1f} km/h, so the speed-dependent "
            "metrics (cadence, step length, contact timing) can be compared.")


def _verdict_reason(r: MetricChange) -> str:
    if r.reason:
        return r.reason
    if r.sdc_floor_source == IC_TIMING_FLOOR:
        return "SDC set by initial-contact timing: one frame of belt travel"
    if r.sdc_floor_source:
        return "SDC set by the published between-session floor"
    return "approximate at this frame rate" if r.approximate else ""


SDC_TEXT = (
    "Each session's value carries a standard error SE = √((1.253 · SD/√n)² + e²): the "
    "step-to-step spread (SD from the interquartile range, over n steps) and the measurement "
    "error e that the analysis expects from the frame rate and tracking noise. The smallest "
    "detectable change at 95 % confidence is SDC = 1.96 · √(SE_before² + SE_after²), so both "
    "clips' frame rates and step counts enter. A change is called real only when it is larger "
    "than the SDC. The random measurement error is inside the spread as well as in e, so this "
    "errs towards not calling a change real. It does not contain day-to-day variation in how "
    "the runner runs, which two clips cannot show.")


OVERSTRIDE_TEXT = (
    "Overstride is read at the instant of initial contact, which video finds to about ±1 frame; "
    "the foot then moves with the belt, so its SDC is at least the belt travel in one frame "
    "(9 cm at 10 km/h and 30 fps, 2.3 cm at 120 fps).")
FPS_TEXT = ("Contact time, flight time, duty factor and timing asymmetry are called changed only "
            "when both clips are filmed at 120 fps or more.")


def _html_frame(png: bytes, caption: str) -> str:
    """A key frame at a common height, so before and after line up side by side."""
    return (f'<figure><img src="{H.data_uri(png, "image/png")}" alt="{H.esc(caption)}" '
            f'style="height:24rem;width:auto;max-width:100%;object-fit:contain">'
            f"<figcaption>{H.esc(caption)}</figcaption></figure>")


def comparison_html(c: Comparison, key_frames: Sequence[KeyFramePair] = (), *,
                    title: str = "Before/after comparison", subtitle: str = "",
                    key_frame_note: str = "") -> str:
    """The comparison as one self-contained HTML page.

    Parameters
    ----------
    c : Comparison
    key_frames : sequence of KeyFramePair
        Side-by-side frames at initial contact; none gives `key_frame_note`.
    title, subtitle : str
    key_frame_note : str
        Why key frames are missing, if they are.

    Returns
    -------
    str
    """
    refs = CitationIndex()
    st = _statements(c)

    def cite(key: str) -> str:
        nums = refs.numbers(st[key])
        return '<sup class="cite">[' + ", ".join(
            f'<a href="#ref-{n}">{n}</a>' for n in nums) + "]</sup>"

    speed_box = "warn" if c.speed_note else "callout"
    speed_html = f'<div class="{speed_box}"><b>{H.esc(_speed_text(c))}</b>{cite("speed")}</div>'

    notes = "".join(f'<div class="warn">{H.esc(n)}</div>' for n in c.notes)
    sessions = H.table(["", "Before", "After"], [[H.esc(x) for x in row]
                                                 for row in _session_rows(c)])
    real = [r.label for r in c.rows if r.status == REAL]
    summary = (f"Real changes: {', '.join(real)}." if real else
               "No compared metric changed by more than its smallest detectable change.")
    rows = []
    for r in c.rows:
        badge = f'<span class="status {_BADGE[r.status]}">{H.esc(_VERDICT_TEXT[r.status])}</span>'
        reason = _verdict_reason(r)
        rows.append([f"{H.esc(r.label)} <span class='small'>({H.esc(_unit(r))})</span>",
                     H.esc(_fmt(r.before, r.decimals)), H.esc(_fmt(r.after, r.decimals)),
                     H.esc(_change_text(r)), H.esc(_fmt(r.sdc, r.decimals)),
                     badge + (f"<div class='small'>{H.esc(reason)}</div>" if reason else "")])
    changes = (f"<p><b>{H.esc(summary)}</b></p>"
               + H.table(["Metric", "Before", "After", "Change", "SDC (95 %)", "Verdict"], rows,
                         numeric_cols=(1, 2, 3, 4)))
    floors = ", ".join(f"{k.replace('_', ' ').replace(' deg', '').replace(' ic', ' at contact')}"
                       f" ≥ {v:.1f}°" for k, (v, _) in PUBLISHED_SDD_FLOOR.items())
    method = (H.paragraph(SDC_TEXT)
              + f"<p>{H.esc('Floors used for angles: ' + floors + '.')}{cite('angles')}</p>"
              + H.paragraph(OVERSTRIDE_TEXT) + f"<p>{H.esc(FPS_TEXT)}{cite('fps')}</p>")
    sections = [
        H.Section("Belt speed", speed_html + notes, anchor="speed"),
        H.Section("The two sessions", sessions, anchor="sessions"),
        H.Section("What changed", changes, anchor="changes"),
        H.Section("How a change is called real", method, anchor="method"),
    ]
    if key_frames:
        figs = []
        for k in key_frames:
            cells = []
            for label, png in (("before", k.before_png), ("after", k.after_png)):
                cells.append(_html_frame(png, f"{k.foot} foot, {label}") if png else
                             f"<figure><figcaption>{H.esc(k.foot)} foot, {label}: no frame"
                             "</figcaption></figure>")
            figs.append(f'<div class="figrow">{"".join(cells)}</div>')
        body = (H.paragraph("A representative initial contact of each foot (the step whose knee "
                            "flexion is closest to that foot's median), before and after.",
                            cls="small") + "".join(figs))
        sections.append(H.Section("Key frames at initial contact", body, anchor="keyframes",
                                  page_break_before=True))
    elif key_frame_note:
        sections.append(H.Section("Key frames at initial contact",
                                  H.paragraph(key_frame_note, cls="small"), anchor="keyframes"))
    refs_html = '<ol class="refs">' + "".join(
        f'<li id="ref-{n}">{H.esc(text)}</li>' for n, _, text in refs.entries()) + "</ol>"
    sections.append(H.Section("References", refs_html, anchor="references"))
    footer = H.esc(f"gait {__version__} · smallest detectable change as defined in "
                   "gait.history.sdc · this comparison is a measurement aid, not a diagnosis")
    return H.render_page(title, sections, subtitle=subtitle, footer_html=footer)


def _pdf_frame(png: bytes, caption: str, *, max_height_mm: float = 95.0) -> list:
    """A key frame scaled into half the text width, with its caption, for a table cell."""
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    w_px, h_px = ImageReader(io.BytesIO(png)).getSize()
    width = 0.48 * P.FRAME_WIDTH_PT
    height = width * h_px / w_px
    if height > max_height_mm * mm:
        width, height = width * max_height_mm * mm / height, max_height_mm * mm
    return [Image(io.BytesIO(png), width=width, height=height), P.para(caption, style="small")]


def comparison_pdf(path: str | Path, c: Comparison, key_frames: Sequence[KeyFramePair] = (), *,
                   title: str = "Before/after comparison", subtitle: str = "",
                   key_frame_note: str = "") -> Path:
    """Write the comparison as an A4 PDF (same content as `comparison_html`).

    Returns
    -------
    Path
    """
    refs = CitationIndex()
    st = _statements(c)

    def marker(key: str) -> str:
        return refs.marker(st[key])

    speed = [P.markup(f"<b>{P.text(_speed_text(c))}</b> <font size='7' color='#1f4e79'>"
                      f"{P.text(marker('speed'))}</font>",
                      style="warn" if c.speed_note else "callout")]
    speed += [P.para(n, style="warn") for n in c.notes]
    sessions = [P.table(["", "Before", "After"], _session_rows(c),
                        col_widths_frac=(0.2, 0.4, 0.4))]
    real = [r.label for r in c.rows if r.status == REAL]
    summary = (f"Real changes: {', '.join(real)}." if real else
               "No compared metric changed by more than its smallest detectable change.")
    cells = []
    for r in c.rows:
        reason = _verdict_reason(r)
        verdict = P.markup(f"<b>{P.text(_VERDICT_TEXT[r.status])}</b>"
                           + (f"<br/><font size='7' color='#5a5a5a'>{P.text(reason)}</font>"
                              if reason else ""), style="cell")
        cells.append([f"{r.label} ({_unit(r)})", _fmt(r.before, r.decimals),
                      _fmt(r.after, r.decimals), _change_text(r), _fmt(r.sdc, r.decimals),
                      verdict])
    table = P.table(["Metric", "Before", "After", "Change", "SDC (95 %)", "Verdict"], cells,
                    col_widths_frac=(0.25, 0.1, 0.1, 0.15, 0.1, 0.3), numeric_cols=(1, 2, 3, 4))
    # real changes stand out in grey too: a shaded band framed by heavier rules
    table.setStyle([cmd for i, r in enumerate(c.rows, start=1) if r.status == REAL
                    for cmd in (("BACKGROUND", (0, i), (-1, i), P.BAND),
                                ("LINEABOVE", (0, i), (-1, i), 1.0, P.colors.black),
                                ("LINEBELOW", (0, i), (-1, i), 1.0, P.colors.black))])
    changes = [P.markup(f"<b>{P.text(summary)}</b>"), table]
    floors = ", ".join(f"{k.replace('_', ' ').replace(' deg', '').replace(' ic', ' at contact')}"
                       f" ≥ {v:.1f}°" for k, (v, _) in PUBLISHED_SDD_FLOOR.items())
    method = [P.para(SDC_TEXT),
              P.para("Floors used for angles: " + floors + ".", cite=marker("angles")),
              P.para(OVERSTRIDE_TEXT), P.para(FPS_TEXT, cite=marker("fps"))]
    sections = [P.PdfSection("Belt speed", speed), P.PdfSection("The two sessions", sessions),
                P.PdfSection("What changed", changes),
                P.PdfSection("How a change is called real", method, page_break_before=True)]
    if key_frames:
        flow = [P.para("A representative initial contact of each foot (the step whose knee "
                       "flexion is closest to that foot's median), before and after.",
                       style="small")]
        for k in key_frames:
            row = [_pdf_frame(png, f"{k.foot} foot, {label}") if png else
                   P.para(f"{k.foot} foot, {label}: no frame", style="small")
                   for label, png in (("before", k.before_png), ("after", k.after_png))]
            flow.append(P.Table([row], colWidths=[P.FRAME_WIDTH_PT / 2] * 2))
        sections.append(P.PdfSection("Key frames at initial contact", flow,
                                     page_break_before=True))
    elif key_frame_note:
        sections.append(P.PdfSection("Key frames at initial contact",
                                     [P.para(key_frame_note, style="small")]))
    sections.append(P.PdfSection("References", [P.para(f"[{n}] {text}", style="small")
                                                for n, _, text in refs.entries()]))
    return P.render_pdf(path, title, sections, subtitle=subtitle,
                        footer_text=f"gait {__version__} · before/after comparison · a "
                                    "measurement aid, not a diagnosis")


def write_comparison_report(outdir: str | Path, c: Comparison,
                            key_frames: Sequence[KeyFramePair] = (), *, subtitle: str = "",
                            key_frame_note: str = "", overwrite: bool = False) -> dict[str, Path]:
    """Write ``comparison.html``, ``comparison.pdf`` and ``comparison.json`` into a folder.

    Parameters
    ----------
    outdir : str or Path
        Created if missing.
    c : Comparison
    key_frames : sequence of KeyFramePair
    subtitle, key_frame_note : str
    overwrite : bool
        Replace an earlier comparison in `outdir`.

    Returns
    -------
    dict of str to Path
        File name -> written path.

    Raises
    ------
    InvalidOptionError
        `outdir` is a file, or cannot be created or written.
    OutputExistsError
        `outdir` already holds a comparison and `overwrite` is False.
    """
    outdir = Path(outdir)
    check_writable_folder(outdir, "--outdir")
    existing = [n for n in COMPARISON_FILES if (outdir / n).exists()]
    if existing and not overwrite:
        raise OutputExistsError(f"{outdir}: already holds {', '.join(existing)}; choose another "
                                "--outdir or pass --force to replace them")
    outdir.mkdir(parents=True, exist_ok=True)
    html_path = outdir / "comparison.html"
    with replacing(html_path) as tmp:
        tmp.write_text(comparison_html(c, key_frames, subtitle=subtitle,
                                       key_frame_note=key_frame_note), encoding="utf-8")
    pdf_path = outdir / "comparison.pdf"
    comparison_pdf(pdf_path, c, key_frames, subtitle=subtitle, key_frame_note=key_frame_note)
    json_path = outdir / "comparison.json"
    with replacing(json_path) as tmp:
        tmp.write_text(json.dumps({"schema": "gait.comparison/1", "gait_version": __version__,
                                   **c.to_dict()}, indent=1, allow_nan=False) + "\n")
    return {"comparison.html": html_path, "comparison.pdf": pdf_path,
            "comparison.json": json_path}
