"""One line per clip of a batch: ``OUTDIR/batch_summary.csv`` and a terminal table.

After ``gait batch`` a clinician wants to see every clip's headline numbers
side by side (whose cadence is low, which clips failed and why) without
opening each results folder. The overview is rebuilt from the results on
disk after every run, so it covers the clips analysed now and those skipped
because their results were already there.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from .batch import BatchReport
from .metrics import TIMING_MIN_FPS
from .number_text import fixed
from .output_paths import replacing
from .result import GaitResult, csv_decimals
from .text_table import marked, table_number, text_table
from .units import KMH_PER_MS

#: File name of the overview in the batch's OUTDIR.
OVERVIEW_FILE = "batch_summary.csv"
#: Headline metrics of the overview: keys of result.summary, and "step_time_si_pct" for
#: the step-time symmetry index of result.asymmetry.
METRIC_COLUMNS = (
    "cadence_spm", "step_length_m", "contact_time_ms", "duty_factor_pct", "step_time_si_pct",
    "overstride_cm", "overstride_pct_leg", "shin_angle_deg", "knee_flexion_ic_deg",
)
#: Columns of ``batch_summary.csv``, in order.
OVERVIEW_COLUMNS = ("clip", "status", "view", "gait", "fps", "analysed_s", "belt_speed_kmh",
                    "contacts", *METRIC_COLUMNS, "timing_approximate", "warnings", "error")


def overview_rows(report: BatchReport, outdir: str | Path) -> list[dict]:
    """One dict per clip of `report` (by clip name), with `OVERVIEW_COLUMNS` as keys.

    Parameters
    ----------
    report : BatchReport
        What the batch did.
    outdir : str or Path
        The batch's OUTDIR, holding ``<stem>/results.json`` per clip.

    Returns
    -------
    list of dict
        ``status`` is "analysed", "skipped" (results already there) or
        "failed" (``error`` then holds the message); metrics are None where
        not measured. ``timing_approximate`` is true below 120 fps, where
        contact time, duty factor and the step-time asymmetry are approximate.
    """
    outdir = Path(outdir)
    done = [(v, "analysed") for v in report.analysed] + [(v, "skipped") for v in report.skipped]
    rows = [_result_row(video.name, status, outdir / video.stem / "results.json")
            for video, status in done]
    rows += [{**dict.fromkeys(OVERVIEW_COLUMNS), "clip": f.video.name, "status": "failed",
              "error": f.message} for f in report.failed]
    return sorted(rows, key=lambda row: row["clip"])


def _result_row(clip: str, status: str, results_json: Path) -> dict:
    row = {**dict.fromkeys(OVERVIEW_COLUMNS), "clip": clip, "status": status}
    r = GaitResult.load_json(results_json).to_dict()
    fps = r["pose"]["fps"]
    belt_ms = r["options"].get("belt_speed_ms")
    row.update(view=r["view"]["view"], gait=r["gait_mode"], fps=fps,
               analysed_s=r["segment_s"][1] - r["segment_s"][0],
               belt_speed_kmh=belt_ms * KMH_PER_MS if belt_ms else None, contacts=len(r["events"]),
               timing_approximate=fps < TIMING_MIN_FPS, warnings=" | ".join(r["warnings"]))
    for column in METRIC_COLUMNS:
        if column == "step_time_si_pct":
            value = (r["asymmetry"].get("step_time_ms") or {}).get("symmetry_index_pct")
        else:
            value = (r["summary"].get(column) or {}).get("value")
        row[column] = value if value is not None and math.isfinite(value) else None
    return row


def write_overview(rows: list[dict], path: str | Path) -> Path:
    """Write `rows` as CSV (numbers at `gait.result.csv_decimals` resolution), atomically."""
    path = Path(path)
    with replacing(path) as tmp, tmp.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(OVERVIEW_COLUMNS)
        for row in rows:
            writer.writerow([_cell(row[c], c) for c in OVERVIEW_COLUMNS])
    return path


def _cell(value, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if column in ("fps", "analysed_s", "belt_speed_kmh"):
        return fixed(value, 2)
    decimals = csv_decimals(column)
    return str(value) if decimals is None or isinstance(value, str) else fixed(value, decimals)


def format_overview(rows: list[dict]) -> str:
    """Terminal table: clip, status, cadence, step length, contact time, step-time asymmetry.

    Timing values filmed below 120 fps, and step lengths without a belt
    speed (scaled from body height), carry "~" (approximate); failed clips
    show their reason in the summary printed before the table, not here.
    """
    header = ("clip", "status", "fps", "cadence spm", "step m", "contact ms", "step asym %")
    lines = []
    any_rough = False
    for row in rows:
        mark = " ~" if row["timing_approximate"] else ""
        contact = marked(table_number(row["contact_time_ms"], 0), mark)
        asym = marked(table_number(row["step_time_si_pct"], 1, signed=True), mark)
        step = marked(table_number(row["step_length_m"], 2),
                      "" if row["belt_speed_kmh"] else " ~")
        any_rough |= any(cell.endswith(" ~") for cell in (contact, asym, step))
        lines.append((row["clip"], row["status"], table_number(row["fps"], 0),
                      table_number(row["cadence_spm"], 1), step, contact, asym))
    out = text_table(header, lines, right={2, 3, 4, 5, 6})
    if any_rough:
        out += (f"\n~ approximate: contact time and asymmetry filmed below {TIMING_MIN_FPS:.0f} "
                "fps; step length without a belt speed (scaled from body height)")
    return out

