"""How far each frontal-plane measure can be trusted, with its evidence.

From running-science.md §4.4 (reliability of 2D video variables).
"""

from __future__ import annotations

from ..evidence import CLAIMS, Statement

#: Per metric (name without its unit suffix): reliability level, a plain sentence, claim keys.
_RELIABILITY = {
    "pelvic_drop": (
        "least reliable",
        "2D pelvic drop is the least repeatable frontal angle (smallest detectable difference "
        "2.7-2.8° between sessions); it does track 3D pelvic drop. Compare sessions only when "
        "the change exceeds that.",
        ("frontal.pelvic_drop_reliability", "frontal.pelvic_drop_tracks_3d",
         "measurement.min_steps"),
    ),
    "knee_fppa": (
        "least reliable",
        "The knee's frontal-plane projection angle from 2D video did not match 3D knee "
        "abduction: it describes the knee's path in the picture (and grows with knee flexion "
        "and hip rotation), not a joint angle.",
        ("frontal.knee_valgus_not_3d",),
    ),
    "lateral_trunk_lean": (
        "reliable",
        "Lateral trunk lean from 2D video is highly repeatable (smallest detectable difference "
        "1.3-2.3°).",
        ("frontal.trunk_lean_reliability", "measurement.min_steps"),
    ),
    "step_width": (
        "no reliability data",
        "The evidence file gives no reliability data for step width from video; measured at "
        "mid-stance from the heel landmarks, so it depends on the pose model's heel placement.",
        ("frontal.posterior_view_items",),
    ),
    "foot_to_midline": (
        "no reliability data",
        "No reliability data for crossover from video in the evidence file; a negative value "
        "means the foot landed across the body's midline.",
        ("frontal.posterior_view_items",),
    ),
    "heel_whip": (
        "no reliability data",
        "No reliability data for heel whip from video in the evidence file; measured only where "
        "the heel is visible, and the pose model's heel landmark moves with the whole shoe.",
        ("frontal.posterior_view_items",),
    ),
}


def _base(metric: str) -> str:
    for suffix in ("_deg", "_cm", "_pct_leg"):
        if metric.endswith(suffix):
            return metric[: -len(suffix)]
    return metric


def reliability(metric: str) -> dict:
    """Reliability of one frontal metric as plain data.

    Parameters
    ----------
    metric : str
        A frontal metric name, e.g. "pelvic_drop_deg" or "step_width_cm".

    Returns
    -------
    dict
        ``level`` ("reliable", "least reliable", "no reliability data"),
        ``text``, ``claims`` (keys into `gait.evidence.CLAIMS`), ``citations``
        and the claims' own ``statements``.

    Raises
    ------
    KeyError
        For a metric that is not frontal.
    """
    level, text, claims = _RELIABILITY[_base(metric)]
    backed = Statement(text, claims)
    return {"level": level, "text": text, "claims": list(claims),
            "citations": list(backed.citations()),
            "statements": [CLAIMS[c].statement for c in claims]}
