"""Plain-text summary table of a `GaitResult` for the terminal."""

from __future__ import annotations

from .frame_region import region_text
from .metrics import SYMMETRY_INDEX_METRICS, not_assessable_reason
from .number_text import error_text, fixed
from .result import GaitResult

#: (key in result.summary, label, decimals) in the order a clinician reads them.
ROWS = (
    ("cadence_spm", "Cadence", 1),
    ("step_length_m", "Step length", 2),
    ("stride_length_m", "Stride length", 2),
    ("contact_time_ms", "Contact time", 0),
    ("flight_time_ms", "Flight time", 0),
    ("duty_factor_pct", "Duty factor", 1),
    ("vertical_oscillation_cm", "Vertical oscillation", 1),
    ("vertical_oscillation_pct_leg", "Vertical oscillation", 1),
    ("vertical_ratio_pct", "Vertical ratio", 1),
    ("overstride_cm", "Overstride (heel ahead of hip at contact)", 1),
    ("overstride_pct_leg", "Overstride (heel ahead of hip at contact)", 1),
    ("shin_angle_deg", "Shin angle at contact", 1),
    ("knee_flexion_ic_deg", "Knee flexion at contact", 1),
    ("peak_knee_flexion_stance_deg", "Peak knee flexion in stance", 1),
    ("foot_strike_angle_deg", "Foot-strike angle", 1),
    ("trunk_lean_deg", "Trunk lean", 1),
)

#: (key in result.asymmetry, label, decimals of the left and right values).
ASYMMETRY_ROWS = (
    ("step_time_ms", "Step time", 0),
    ("contact_time_ms", "Contact time", 0),
    ("step_length_m", "Step length", 2),
    ("knee_flexion_ic_deg", "Knee flexion at contact", 1),
    ("shin_angle_deg", "Shin angle at contact", 1),
)


def _fmt(value, decimals: int) -> str:
    return "—" if value is None else fixed(value, decimals)


def format_summary(result: GaitResult) -> str:
    """Return a short table: median, ± expected error, IQR and steps per metric."""
    r = result.to_dict()
    video = r["video"]
    head = [
        f"gait {r['gait_version']} — {r['source']}",
        f"view {r['view']['view']}, {r['gait_mode']}, {r['pose']['fps']:.1f} fps, "
        f"{r['segment_s'][1] - r['segment_s'][0]:.1f} s analysed, "
        f"{len(r['events'])} contacts"
        + (f", capture {video['capture_fps']:g} fps" if video.get("capture_fps") else "")
        + (f"; tracked in {region_text(r['options']['region'])}"
           if r["options"].get("region") else ""),
        "",
        f"{'metric':44s} {'median':>8s} {'±err':>6s}  {'IQR':>17s} {'n':>4s}  unit",
    ]
    lines = []
    for key, label, dec in ROWS:
        s = r["summary"].get(key)
        if not s or s["value"] is None:
            continue
        iqr = "—" if s["q1"] is None else f"{_fmt(s['q1'], dec)}–{_fmt(s['q3'], dec)}"
        mark = " ~" if s["approximate"] else ""
        err = "—" if s["expected_error"] is None else error_text(s["expected_error"], dec)
        lines.append(f"{label:44s} {_fmt(s['value'], dec):>8s} {err:>6s}"
                     f"  {iqr:>17s} {s['n']:>4d}  {s['unit']}{mark}")
    asym = []
    # a rear or front clip's left/right step times are in its frontal table
    if not (r.get("frontal") and r["view"]["view"] in ("rear", "front")):
        asym = _asymmetry_lines(r["asymmetry"])
    if r.get("frontal"):
        from .frontal.findings import format_frontal

        asym.append(format_frontal(r["frontal"]))
    tail = ["", "~ approximate (see notes in results.json)"]
    if r["warnings"]:
        tail += ["", "warnings:"] + [f"  - {w}" for w in r["warnings"]]
    return "\n".join(head + lines + asym + tail)


def _asymmetry_lines(asymmetry: dict) -> list[str]:
    """The left/right table of a side view: values with units, SI or difference, verdict."""
    lines = ["", "left/right (+ = left larger; angles and overstride by their difference)"]
    for key, label, dec in ASYMMETRY_ROWS:
        a = asymmetry.get(key)
        if not a or a["left"] is None:
            continue
        verdict = (not_assessable_reason(key, a["note"]) if a["approximate"] and not a["detectable"]
                   else "detectable" if a["detectable"] else "within measurement error")
        if key in SYMMETRY_INDEX_METRICS:
            compared = f"SI {fixed(a['symmetry_index_pct'], 1, signed=True):>6s} %"
        else:
            compared = f"L-R {fixed(a['difference'], 1, signed=True):>5s} {a['unit']}"
        unit = a["unit"]
        lines.append(f"  {label:26s} L {fixed(a['left'], dec):>6s} {unit:3s}  "
                     f"R {fixed(a['right'], dec):>6s} {unit:3s}  {compared}  ({verdict})")
    return lines
