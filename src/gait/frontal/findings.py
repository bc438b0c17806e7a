"""Frontal findings as plain data for reports, and as a terminal table section."""

from __future__ import annotations

from ..evidence import CLAIMS
from ..number_text import fixed

#: (metric base name, title, what it means) in the order a clinician reads them.
_FINDINGS = (
    ("pelvic_drop", "Contralateral pelvic drop",
     "How far the hip of the swinging leg drops while the other foot is on the ground; the "
     "stance side's hip abductors hold the pelvis level."),
    ("step_width", "Step width",
     "Sideways distance between consecutive foot placements at mid-stance; a negative value "
     "is a crossover gait."),
    ("foot_to_midline", "Foot to midline (crossover)",
     "Sideways distance of the heel from the middle of the pelvis at mid-stance; negative "
     "means the foot landed across the midline."),
    ("knee_fppa", "Knee frontal-plane projection angle",
     "Peak inward (positive, 'valgus') or outward angle of the knee between hip and ankle in "
     "the picture during early stance."),
    ("lateral_trunk_lean", "Lateral trunk lean",
     "Peak sideways lean of the trunk towards the stance leg."),
    ("heel_whip", "Heel whip",
     "Sideways flick of the heel just after it lifts (positive: inwards), where the heel is "
     "visible."),
)

#: How each frontal view is named in sentences.
VIEW_PHRASE = {"rear": "from behind", "front": "from the front"}

_REFERENCE = {
    "pelvic_drop": "frontal.pelvic_drop_injury",
}


def _metric_key(frontal: dict, base: str) -> str | None:
    for suffix in ("deg", "cm", "pct_leg"):
        if f"{base}_{suffix}" in frontal.get("summary", {}):
            return f"{base}_{suffix}"
    return None


def frontal_findings(frontal: dict) -> list[dict]:
    """The frontal findings of a result as plain data for a report page.

    Parameters
    ----------
    frontal : dict
        ``GaitResult.frontal`` (or ``to_dict()["frontal"]``).

    Returns
    -------
    list of dict
        One per measured metric, with ``key``, ``title``, ``value``, ``unit``,
        ``expected_error``, ``note`` (how it was measured, gait's own
        validation), ``spread`` (``{"q1", "q3"}``), ``n``,
        ``per_side`` (``{"left": value, "right": value}`` by stance foot),
        ``reference`` (a sourced sentence or None), ``reference_claims`` (its
        keys into `gait.evidence.CLAIMS`), ``reference_citations``,
        ``reliability`` (level, text, citations), ``meaning`` and
        ``not_assessable`` (why the value is no measurement, or None: such a
        finding's value is the pose model's reading and must not be shown as
        a measurement). Empty when no rear or front view was analysed.
    """
    out = []
    if not frontal:
        return out
    for base, title, meaning in _FINDINGS:
        key = _metric_key(frontal, base)
        if key is None:
            continue
        s = frontal["summary"][key]
        if s.get("n", 0) == 0 or s.get("value") is None:
            continue
        ref_claim = _REFERENCE.get(base)
        out.append({
            "key": key, "title": title, "value": s["value"], "unit": s["unit"],
            "expected_error": s["expected_error"], "note": s.get("note") or "",
            "spread": {"q1": s["q1"], "q3": s["q3"]}, "n": s["n"],
            "per_side": {side: frontal["per_side"][side][key]["value"]
                         for side in ("left", "right")},
            "reference": CLAIMS[ref_claim].statement if ref_claim else None,
            "reference_claims": [ref_claim] if ref_claim else [],
            "reference_citations": list(CLAIMS[ref_claim].citations()) if ref_claim else [],
            "reliability": frontal["reliability"][key],
            "meaning": meaning,
            "not_assessable": frontal.get("not_assessable", {}).get(key),
        })
    return out


def _fmt(value, decimals: int = 1) -> str:
    return "—" if value is None else f"{value:.{decimals}f}"


def format_frontal(frontal: dict) -> str:
    """Terminal table of the frontal findings (empty string when there are none)."""
    if not frontal:
        return ""
    cad = frontal["cadence_spm"]
    lines = ["", f"frontal plane ({frontal['view']} view, {frontal.get('source') or 'clip'}; "
                 f"cadence {_fmt(cad['value'])} steps/min)",
             f"{'metric':40s} {'median':>7s} {'IQR':>13s} {'L':>6s} {'R':>6s} {'n':>4s}  unit"
             "  reliability"]
    not_assessable = []
    for f in frontal_findings(frontal):
        if f["not_assessable"]:
            not_assessable.append(f"  {f['title']}: {f['not_assessable']}")
            lines.append(f"{f['title'][:40]:40s} {'n/a':>7s} {'':13s} {'':6s} {'':6s} "
                         f"{f['n']:>4d}  {f['unit']}  not assessable (below)")
            continue
        iqr = f"{_fmt(f['spread']['q1'])}–{_fmt(f['spread']['q3'])}"
        lines.append(f"{f['title'][:40]:40s} {_fmt(f['value']):>7s} {iqr:>13s} "
                     f"{_fmt(f['per_side']['left']):>6s} {_fmt(f['per_side']['right']):>6s} "
                     f"{f['n']:>4d}  {f['unit']}  {f['reliability']['level']}")
    a = frontal.get("asymmetry", {}).get("step_time_ms")
    if a and a.get("left") is not None:
        verdict = ("detectable" if a["detectable"] else "error unknown: too few strides"
                   if a["approximate"] else "within measurement error")
        lines.append(f"  step time from the {frontal['view']}: L {fixed(a['left'], 0)} ms  "
                     f"R {fixed(a['right'], 0)} ms  "
                     f"SI {fixed(a['symmetry_index_pct'], 1, signed=True)} % ({verdict})")
    match = frontal.get("cadence_match")
    if match:
        lines.append(f"  cadence side {match['side_spm']:.1f} vs {frontal['view']} "
                     f"{match['rear_spm']:.1f} steps/min: "
                     f"{'match' if match['match'] else 'DIFFERENT'}")
    lines += not_assessable
    lines.append("  L/R columns by stance foot; the knee angle from 2D video is among the least "
                 "reliable frontal measures (see results.json frontal.reliability)")
    return "\n".join(lines)
