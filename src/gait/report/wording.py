"""Plain-text pieces of the report shared by the HTML and PDF layouts.

Numbers are formatted here once, so both formats print the same digits. A
minus sign is printed as "−" (U+2212).
"""

from __future__ import annotations

from ..advice import LoadEffect
from ..frontal.findings import VIEW_PHRASE
from ..metrics import CROSSING_VERDICT
from ..number_text import error_text, typeset
from ..summary import ROWS as SUMMARY_ROWS
from .assets import ReportAssets
from .content import FindingRow, ReportContent

GROUP_TITLES = {
    "findings": "Findings (beyond what the measurement can detect)",
    "no_finding": "Within the reference, or closer to it than the measurement can tell",
    "info": "Shown for information: no validated reference, or not assessable from this clip",
}

_CHECK_STATUS = {"met": "met", "not met": "not met", "unknown": "ask"}


def signed(x: float, decimals: int = 1) -> str:
    """``+5.0`` / ``−14.0`` with a true minus sign (``+0.0``, never ``−0.0``)."""
    return typeset(x, decimals, signed=True)


#: Beside the form findings: what the "±" after a value is.
DETECTABLE_NOTE = ("± after a value is the smallest difference the measurement can detect: twice "
                   "this clip's expected error, or the published smallest detectable difference "
                   "where that is larger. A difference from the reference smaller than that is "
                   "not called a finding.")

#: Under the left/right table: how the two sides are compared.
BILATERAL_NOTE = ("Symmetry index = (left − right) / mean × 100, positive when the left value is "
                  "larger; given for times and lengths. Angles and overstride can be near zero "
                  "or change sign, where a ratio means nothing: they are compared by their "
                  "difference alone.")


def bilateral_values(row: dict) -> tuple[str, str]:
    """(left, right) cells of a left/right table row, at the row's decimals.

    Negative values (angles) carry a true minus sign, as the difference does
    (`bilateral_comparison`).
    """
    return typeset(row["left"], row["decimals"]), typeset(row["right"], row["decimals"])


def bilateral_comparison(row: dict) -> tuple[str, str]:
    """(left − right difference, symmetry index) cells of a left/right table row.

    The difference carries the row's decimals; the symmetry index is "—" for
    metrics compared by difference only (``row["si_pct"]`` None).
    """
    si = "—" if row["si_pct"] is None else signed(row["si_pct"])
    return signed(row["difference"], row["decimals"]), si


def unit_text(unit: str) -> str:
    """Unit as printed: degrees as "°", others unchanged."""
    return "°" if unit == "deg" else unit


def headline_tiles(c: ReportContent) -> list[tuple[str, str, str, str]]:
    """``(label, value, unit, spread)`` for each headline number."""
    out = []
    for h in c.headline:
        if h.key == "step_time_si_pct":
            if h.note.startswith(CROSSING_VERDICT):
                out.append((h.label, "n/a", "", f"{CROSSING_VERDICT} (film on a treadmill at "
                            "120 fps or more to compare sides)"))
            elif h.note:
                out.append((h.label, "n/a", "", "not assessable at "
                            f"{c.result.pose['fps']:.0f} fps from one side (film at 120 fps "
                            "or more to compare sides)"))
            else:
                out.append((h.label, signed(h.value), "% SI",
                            f"± {error_text(h.expected_error, 1)} % (1 SD); + = left larger; "
                            f"{h.n} steps per side"))
            continue
        if h.value is None:
            out.append((h.label, "—", "", _why_not_measured(c.result.view)))
            continue
        spread = f"± {error_text(h.expected_error, h.decimals)} (1 SD)"
        if h.q1 is not None and h.q3 is not None and h.q3 - h.q1 > 10 ** -h.decimals:
            spread += (" · stride IQR " if h.key == "cadence_spm" else " · IQR ") + (
                f"{h.fmt(h.q1)}–{h.fmt(h.q3)}")
        spread += f" · {h.n} steps"
        if h.approximate:
            spread += " · approximate: scaled from body height" + (
                "" if c.result.view.get("crosses_frame") else " (give the belt speed)")
        out.append((h.label, h.fmt(h.value), h.unit, spread))
    return out


def _why_not_measured(view: dict) -> str:
    """Why a headline length is missing, for a clip seen as `view` (`GaitResult.view`)."""
    if view.get("view") in ("rear", "front"):
        return f"not measured from the {view['view']} (film from the side)"
    if view.get("crosses_frame"):
        return "not measured (no body height given)"
    return "not measured (no belt speed or height given)"


def effect_text(e: LoadEffect) -> str:
    """One load effect in a few words, e.g. "peak patellofemoral joint force: −14% per step"."""
    change = "lower (size not reported)" if e.change_pct is None else f"{signed(e.change_pct)}%"
    text = f"{e.measure}: {change} {e.basis}"
    if e.change_pct is not None and e.statement.grade in ("S", "U"):
        text += " (secondary source)" if e.statement.grade == "S" else " (unverified)"
    return text


def target_rows(c: ReportContent) -> list[dict]:
    """Rows of the cadence target table: increase, target, BPM, step length, steps/km, effects."""
    p = c.prescription
    rows = []
    for t in p.targets:
        studied = {e.studied_increase_pct for e in t.load_effects}
        at = "" if studied <= {t.increase_pct} else \
            " (measured at +" + "/".join(f"{s:g}" for s in sorted(studied)) + "%)"
        rows.append({
            "increase": f"+{t.increase_pct:g}%",
            "target": f"{t.target_spm:g}",
            "bpm": f"{t.metronome_bpm:g}",
            "step_length": "—" if t.step_length_m is None else f"{t.step_length_m:.2f} m",
            "steps_per_km": "—" if t.steps_per_km is None else
            f"{t.steps_per_km:.0f} ({signed(t.steps_per_km_change_pct)}%)",
            "effects": t.load_effects,
            "studied_note": at,
        })
    return rows


def findings_title(c: ReportContent) -> str:
    """Title of the findings section: a walker's holds only the left/right comparison."""
    return "Form findings" if c.findings else "Left and right comparison"


def finding_groups(c: ReportContent) -> list[tuple[str, list[FindingRow]]]:
    """Findings split into real findings, no finding, and information only."""
    return [
        ("findings", [r for r in c.findings if r.is_finding]),
        ("no_finding", [r for r in c.findings if r.status == "within range"]),
        ("info", [r for r in c.findings if r.status == "not assessed"]),
    ]


def checklist_status(status: str) -> str:
    """Checklist status as printed: met, not met, ask."""
    return _CHECK_STATUS.get(status, status)


def overlay_note(c: ReportContent, assets: ReportAssets) -> str:
    """Sentence pointing to the overlay video, "" if none was written."""
    if not assets.overlay_file:
        return ""
    return (f"{assets.overlay_file} beside this report shows the whole clip with the skeleton, "
            f"each foot contact (filled circle while the foot is on the "
            f"{c.result.stance_surface}, ring at initial contact) and the cadence over the last "
            "4 steps (H.264 MP4, plays in any browser).")


def measurement_notes(c: ReportContent) -> list[str]:
    """How the numbers were measured: method, scale, approximations, cleaning, versions."""
    r = c.result.to_dict()
    notes = [
        "Pose landmarks from MediaPipe Pose on every frame, cleaned (left/right swap repair, "
        "outlier rejection, gap filling, low-pass "
        f"{r['options'].get('lowpass_hz', 10):g} Hz); initial contact and toe-off per foot "
        "from the foot's motion; each metric is the median over the analysed steps.",
        "Cadence is steps per minute (both feet; a stride is two steps). Cross-check: "
        f"{r['cadence_check'].get('spectral_spm') or float('nan'):.1f} steps/min from the "
        "foot rhythm, "
        f"{r['cadence_check'].get('from_contacts_spm') or float('nan'):.1f} from counting "
        f"{r['cadence_check'].get('contacts_used')} contacts.",
        f"Distances: scale from {r['scale']['method']}"
        + (f" ({r['scale']['px_per_m']:.0f} px per m)" if r['scale'].get('px_per_m') else "")
        + "; step length = belt speed × 60 / cadence when the belt speed is given.",
        "Angles are in the image plane (2D), in degrees: knee bend 0° when straight; shin angle "
        "positive with the ankle ahead of the knee; trunk lean positive forward.",
        "'± value' after a measure is the smallest difference the measurement can detect (twice "
        "its expected error); the headline's ± is one standard deviation.",
    ]
    labels = {key: label for key, label, _ in SUMMARY_ROWS}
    labels.setdefault("step_time_ms", "Step time")
    by_note: dict[str, list[str]] = {}  # one line per note, naming every measure it covers
    for key, s in r["summary"].items():
        if s and s.get("value") is not None and s.get("approximate") and s.get("note"):
            unit = f" ({s['unit']})" if s.get("unit") else ""
            by_note.setdefault(s["note"], []).append(f"{labels.get(key, key)}{unit}")
    for note, names in by_note.items():
        which = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        notes.append(f"{which} {'is' if len(names) == 1 else 'are'} approximate: {note}.")
    cl = r["cleaning"]
    from_strides = cl.get("samples_filled_from_strides", 0)
    bridged = (f", {from_strides} of them from the neighbouring strides across gaps too long to "
               "interpolate" if from_strides else "")
    notes.append(f"Cleaning repaired {cl.get('swapped_frames', 0)} frames with swapped legs, "
                 f"removed {cl.get('outliers_removed', 0)} outliers and filled "
                 f"{cl.get('samples_filled', 0)} landmark samples{bridged}; tracking noise "
                 f"{cl.get('noise_px') or float('nan'):.1f} px.")
    return notes


def page_footer(c: ReportContent) -> str:
    """One short line for the foot of every printed page."""
    r = c.result
    return f"gait {r.gait_version} · {r.source} · analysed {r.created_utc[:16].replace('T', ' ')} UTC"


def clip_footer(c: ReportContent) -> str:
    """Small print: versions and the clip's content hash."""
    r = c.result.to_dict()
    sha = (r["video"].get("sha256") or "")[:12]
    return (f"gait {r['gait_version']} · {r['schema']} · {r['source']}"
            + (f" (sha256 {sha}…)" if sha else "") + f" · {r['created_utc']} · Python "
            f"{r['provenance'].get('python', '?')}. Numbers equal results.json beside this file.")


def frontal_intro(frontal: dict) -> str:
    """First sentence of the frontal-plane section (plain text)."""
    return (f"Filmed {VIEW_PHRASE[frontal['view']]} ({frontal.get('source') or 'clip'}). Left and "
            "right are the stance foot. The knee angle from 2D video is among the least "
            "reliable frontal measures, and gait's pose model cannot measure pelvic drop: "
            "judge it by eye on the rear video.")


def frontal_facts(frontal: dict) -> list[str]:
    """Step time, cadence match and camera tilt of a rear or front clip (plain text)."""
    facts = []
    a = frontal.get("asymmetry", {}).get("step_time_ms")
    if a and a.get("left") is not None:
        facts.append(f"Step time from the {frontal['view']}: left {a['left']:.0f} ms, right "
                     f"{a['right']:.0f} ms, symmetry index {a['symmetry_index_pct']:+.1f} % "
                     f"({'detectable' if a['detectable'] else 'within measurement error'})")
    match = frontal.get("cadence_match")
    if match:
        facts.append(f"Cadence: side clip {match['side_spm']:.1f}, {frontal['view']} clip "
                     f"{match['rear_spm']:.1f} steps/min ("
                     f"{'the clips match' if match['match'] else 'the clips DIFFER'}; "
                     f"tolerance ±{match['tolerance_spm']:.1f})")
    tilt = frontal.get("tilt", {})
    if tilt.get("roll_deg") is not None:
        facts.append(f"Camera tilt estimated from the pelvis at contact: {tilt['roll_deg']:+.1f}° "
                     "(removed from pelvic drop, trunk lean and the sideways distances)")
    return facts
