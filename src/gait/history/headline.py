"""The headline metrics of a stored result: cadence, step length, contact time, asymmetry."""

from __future__ import annotations

#: (column, label, unit) of each headline metric, in table order.
HEADLINE_METRICS = (
    ("cadence_spm", "cadence", "steps/min"),
    ("step_length_m", "step length", "m"),
    ("contact_time_ms", "contact time", "ms"),
    ("step_time_si_pct", "step-time asymmetry", "% (L−R)/mean"),
)


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def headline_values(result: dict) -> tuple[float | None, float | None, float | None,
                                           float | None]:
    """Headline metrics of one ``results.json`` dict.

    Parameters
    ----------
    result : dict
        A stored result (``GaitResult.to_dict()``).

    Returns
    -------
    cadence_spm, step_length_m, contact_time_ms, step_time_si_pct : float or None
        Summary medians (steps/min, m, ms) and the signed step-time symmetry
        index in % (positive: longer left step); None where not measured.
    """
    summary = result.get("summary") or {}
    asymmetry = result.get("asymmetry") or {}
    return (
        _number((summary.get("cadence_spm") or {}).get("value")),
        _number((summary.get("step_length_m") or {}).get("value")),
        _number((summary.get("contact_time_ms") or {}).get("value")),
        _number((asymmetry.get("step_time_ms") or {}).get("symmetry_index_pct")),
    )
