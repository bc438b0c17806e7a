"""What the report says, decided once from a `GaitResult`; HTML and PDF only lay it out.

`build_content` turns a result (plus what the runner states, `RunnerInputs`)
into a `ReportContent`: the headline numbers with their uncertainty, the clip
facts, capture warnings, the cadence prescription, the form findings, the
left/right table, the return-to-run checklist and the listening rules. The
advice comes from `gait.advice` unchanged; this module only maps the result's
measurements onto its inputs.

Detectable change: a summary's ``expected_error`` is one standard deviation
of the median; twice it (about a 95 % interval, the same rule `gait.metrics`
uses to call a left/right difference detectable) is passed to
`gait.advice.form_findings` as the smallest difference it may call a finding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from ..advice import (METRICS, STUDIED_INCREASES_PCT, CadencePrescription, ChecklistItem,
                      Finding, Measurement, cadence_prescription, form_findings,
                      listening_rules, return_to_run_checklist)
from ..errors import InvalidOptionError
from ..evidence import Statement, statement
from ..frame_region import region_text
from ..metrics import SYMMETRY_INDEX_METRICS, foot_strike_pattern, not_assessable_reason
from ..number_text import typeset
from ..result import GaitResult
from ..units import KMH_PER_MS

#: Multiple of a summary's expected error (1 SD) taken as its detectable change.
DETECTABLE_CHANGE_PER_ERROR = 2.0

#: result.summary key -> gait.advice.METRICS key, for the form findings.
_FINDING_KEYS = (
    ("cadence_spm", "cadence_spm"),
    ("contact_time_ms", "contact_time_ms"),
    ("duty_factor_pct", "duty_factor_pct"),
    ("vertical_oscillation_cm", "vertical_oscillation_cm"),
    ("overstride_cm", "overstride_cm"),
    ("overstride_pct_leg", "overstride_pct_leg"),
    ("shin_angle_deg", "shin_angle_ic_deg"),
    ("knee_flexion_ic_deg", "knee_flexion_ic_deg"),
    ("peak_knee_flexion_stance_deg", "peak_knee_flexion_stance_deg"),
    ("trunk_lean_deg", "trunk_lean_deg"),
)
#: Metrics measured on the leg, so their step count is the fewer side's.
_PER_SIDE_KEYS = {"overstride_cm", "overstride_pct_leg", "shin_angle_deg", "knee_flexion_ic_deg",
                  "peak_knee_flexion_stance_deg", "foot_strike_angle_deg"}
#: result.asymmetry key -> gait.advice.METRICS symmetry-index key.
_ASYMMETRY_FINDINGS = (
    ("step_time_ms", "step_time_si_pct"),
    ("contact_time_ms", "contact_time_si_pct"),
    ("step_length_m", "step_length_si_pct"),
)
#: (result.asymmetry key, label, decimals) for the left/right table and figure.
BILATERAL_ROWS = (
    ("step_time_ms", "Step time", 0),
    ("contact_time_ms", "Contact time", 0),
    ("step_length_m", "Step length", 2),
    ("overstride_cm", "Overstride (heel ahead of hip)", 1),
    ("knee_flexion_ic_deg", "Knee bend at contact", 1),
    ("shin_angle_deg", "Shin angle at contact", 1),
    ("peak_knee_flexion_stance_deg", "Peak knee bend in stance", 1),
)


@dataclass(frozen=True)
class RunnerInputs:
    """What the runner or clinician states (optional CLI inputs), for the checklist.

    Parameters
    ----------
    weekly_distance_km : float, optional
        Current weekly running distance, km.
    pain_0_10 : float, optional
        Pain while running, 0 (none) to 10 (worst).
    pain_settled_next_morning : bool, optional
        Pain after running has settled by the next morning.
    two_week_distance_increase_pct : float, optional
        Increase of running distance over the last two weeks, %.
    strength_sessions_per_week : int, optional
        Heavy strength sessions a week.
    """

    weekly_distance_km: float | None = None
    pain_0_10: float | None = None
    pain_settled_next_morning: bool | None = None
    two_week_distance_increase_pct: float | None = None
    strength_sessions_per_week: int | None = None

    def __post_init__(self) -> None:
        if self.pain_0_10 is not None and not 0 <= self.pain_0_10 <= 10:
            raise InvalidOptionError(f"pain must be between 0 and 10; got {self.pain_0_10:g}")
        if self.weekly_distance_km is not None and not 0 <= self.weekly_distance_km <= 500:
            raise InvalidOptionError(
                f"weekly distance must be 0-500 km; got {self.weekly_distance_km:g}")
        inc = self.two_week_distance_increase_pct
        if inc is not None and not (math.isfinite(inc) and -100 <= inc <= 1000):
            raise InvalidOptionError(f"two-week distance increase must be -100 to 1000 %; got {inc:g}")
        if self.strength_sessions_per_week is not None and not 0 <= self.strength_sessions_per_week <= 21:
            raise InvalidOptionError("strength sessions a week must be 0-21; got "
                                     f"{self.strength_sessions_per_week}")


@dataclass(frozen=True)
class HeadlineMetric:
    """One headline number with its uncertainty.

    Parameters
    ----------
    key : str
        Key in ``result.summary`` or ``result.asymmetry``.
    label : str
    value : float or None
        Median (or symmetry index for asymmetry), in `unit`; None if not measured.
    unit : str
    decimals : int
        Decimals to print.
    expected_error : float or None
        One standard deviation of `value`, same unit.
    q1, q3 : float or None
        Interquartile range over steps, same unit.
    n : int
        Steps used.
    note : str
        Why it is approximate or how it was measured ("" if nothing to say).
    approximate : bool
        Measured with a larger, systematic error (step length scaled from body
        height instead of the belt speed).
    """

    key: str
    label: str
    value: float | None
    unit: str
    decimals: int
    expected_error: float | None
    q1: float | None
    q3: float | None
    n: int
    note: str = ""
    approximate: bool = False

    def fmt(self, x: float | None) -> str:
        """Number at this metric's precision, "—" if missing."""
        return "—" if x is None or not math.isfinite(x) else typeset(x, self.decimals)


@dataclass(frozen=True)
class FindingRow:
    """A form finding, or an asymmetry the measurement cannot assess, for display.

    Parameters
    ----------
    finding : Finding or None
        From `gait.advice.form_findings`; None for a not-assessable asymmetry.
    label, value_text, status : str
        What the table shows.
    meaning : tuple of Statement
        Plain-language meaning with its evidence.
    cue : Statement or None
        Cue or drill.
    reference : Statement or None
        The reference range with its evidence.
    """

    finding: Finding | None
    label: str
    value_text: str
    status: str
    meaning: tuple[Statement, ...]
    cue: Statement | None
    reference: Statement | None

    @property
    def is_finding(self) -> bool:
        """True only for a difference beyond the detectable change (status watch or outside)."""
        return self.status in ("watch", "outside range")


@dataclass(frozen=True)
class ReportContent:
    """Everything the report states, decided from one result.

    Parameters
    ----------
    result : GaitResult
    title, subtitle : str
    headline : tuple of HeadlineMetric
    clip_facts : tuple of (str, str)
        Label and value.
    warnings : tuple of str
        Capture-quality warnings.
    prescription : CadencePrescription or None
        None when no cadence was measured.
    findings : tuple of FindingRow
    bilateral : tuple of dict
        Rows of the left/right table (label, left, right, unit, si, verdict).
    asymmetry_caveat : tuple of Statement
        What healthy runners show, and that asymmetry is not an injury predictor.
    checklist : tuple of ChecklistItem
    rules : tuple of Statement
    inputs : RunnerInputs
    notes : tuple of str
        Plain remarks for the overview (e.g. why a section is left out).
    metronome_files : dict of str to str
        Increase label (e.g. "+5%") -> metronome track (MP3) beside the report.
    lengths_note : str
        Why the targets come without step lengths (no belt speed); "" with one.
    belt_speed_caveat : tuple of Statement
        That step lengths rest on the belt speed given, which a treadmill display can get
        wrong; empty when no step length comes from a belt speed.
    """

    result: GaitResult
    title: str
    subtitle: str
    headline: tuple[HeadlineMetric, ...]
    clip_facts: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...]
    prescription: CadencePrescription | None
    findings: tuple[FindingRow, ...]
    bilateral: tuple[dict, ...]
    asymmetry_caveat: tuple[Statement, ...]
    checklist: tuple[ChecklistItem, ...]
    rules: tuple[Statement, ...]
    inputs: RunnerInputs
    notes: tuple[str, ...] = ()
    metronome_files: dict = field(default_factory=dict)
    lengths_note: str = ""
    belt_speed_caveat: tuple[Statement, ...] = ()


#: Under the cadence targets, why they come without step lengths.
NO_BELT_SPEED = ("Step lengths and steps per km need the belt speed: analyse again with the "
                 "belt speed (--belt-speed); the targets themselves do not depend on it.")
NO_SPEED_OVER_GROUND = ("Step lengths and steps per km need a measured speed; over ground it is "
                        "only estimated from the body height, so they are left out. The targets "
                        "themselves do not depend on it.")


def metronome_file_name(increase_pct: float) -> str:
    """Metronome track name of a target, e.g. ``metronome_+7.5pct.mp3`` for 7.5."""
    return f"metronome_+{increase_pct:g}pct.mp3"


def _value(summary: dict | None) -> float | None:
    if not summary or summary.get("value") is None:
        return None
    v = float(summary["value"])
    return v if math.isfinite(v) else None


def estimated_speed_ms(r: dict) -> float | None:
    """Running speed estimated from the video and the body height, m/s.

    Without a belt speed, `gait.metrics` scales the runner's image speed by
    the body height and gives the stride as that speed times two steps at the
    measured cadence, so the speed is stride length × cadence / 120.

    Parameters
    ----------
    r : dict
        A result as `GaitResult.to_dict` gives it.

    Returns
    -------
    float or None
        None with a belt speed, or without a body-height stride length.
    """
    if r["options"].get("belt_speed_ms") or (r.get("scale") or {}).get("method") != "body height":
        return None
    stride = _value(r["summary"].get("stride_length_m"))
    cadence = _value(r["summary"].get("cadence_spm"))
    return None if stride is None or cadence is None else stride * cadence / 120.0


def _headline(r: dict) -> tuple[HeadlineMetric, ...]:
    out = []
    for key, label, dec in (("cadence_spm", "Cadence", 1), ("step_length_m", "Step length", 2),
                            ("stride_length_m", "Stride length", 2)):
        s = r["summary"].get(key) or {}
        out.append(HeadlineMetric(key, label, _value(s), s.get("unit", ""), dec,
                                  s.get("expected_error"), s.get("q1"), s.get("q3"),
                                  int(s.get("n") or 0), s.get("note") or "",
                                  bool(s.get("approximate")) and _value(s) is not None))
    a = r["asymmetry"].get("step_time_ms")
    if a and a.get("symmetry_index_pct") is not None:
        err = _si_error_pct(r, "step_time_ms")
        assessable = a["detectable"] or not a["approximate"]
        out.append(HeadlineMetric(
            "step_time_si_pct", "Left/right step-time asymmetry", a["symmetry_index_pct"],
            "% SI", 1, err, None, None, min(a["n_left"], a["n_right"]),
            "" if assessable else f"{not_assessable_reason('step_time_ms', a['note'])}: "
                                  f"{a['note']}"))
    return tuple(out)


def _si_error_pct(r: dict, key: str) -> float | None:
    """Expected error (1 SD) of a symmetry index, %: the asymmetry's own difference error
    where the result has one, else from the per-side expected errors (older results)."""
    try:
        el = r["per_side"]["left"][key]["expected_error"]
        er = r["per_side"]["right"][key]["expected_error"]
        a = r["asymmetry"][key]
        mean = 0.5 * (a["left"] + a["right"])
    except (KeyError, TypeError):
        return None
    if None in (el, er) or not mean:
        return None
    diff_err = a.get("difference_error")
    return (diff_err if diff_err is not None else math.hypot(el, er)) / abs(mean) * 100.0


def _speed_fact(r: dict) -> tuple[str, str]:
    """The clip-facts row on speed: the belt's, or over ground the estimated one."""
    belt = r["options"].get("belt_speed_ms")
    if belt:
        return "Belt speed", f"{belt * KMH_PER_MS:.1f} km/h ({belt:.2f} m/s)"
    speed = estimated_speed_ms(r)
    if r["view"].get("crosses_frame"):
        return "Speed", ("over ground, not measured (give the body height)" if speed is None else
                         f"over ground, about {speed:.1f} m/s (estimated from body height)")
    if r["view"].get("view") in ("rear", "front"):  # no step length from this view at all
        return "Belt speed", "not given"
    return "Belt speed", "not given (step length " + (
        "scaled from body height" if r["options"].get("height_m") else "not measured") + ")"


def _clip_facts(r: dict) -> tuple[tuple[str, str], ...]:
    video, seg = r["video"], r["segment_s"]
    facts = [
        ("Clip", f"{r['source']}"),
        ("Duration", f"{video['duration_s']:.1f} s" if video.get("duration_s") else
         f"{r['pose']['frames'] / r['pose']['fps']:.1f} s"),
        ("Frame rate", f"{r['pose']['fps']:.0f} fps"
         + (f" (slow motion, recorded at {video['capture_fps']:g} fps)" if video.get("capture_fps")
            else "")),
        ("Frame size", f"{r['pose']['size_px'][0]} × {r['pose']['size_px'][1]} px"),
        ("View", f"{r['view']['view']} ({'detected' if r['view'].get('detected_automatically') else 'given'})"),
        ("Gait", r["gait_mode"]),
        _speed_fact(r),
        ("Analysed", f"{seg[0]:.1f}-{seg[1]:.1f} s, {len(r['events'])} foot contacts"),
        ("Person found in", f"{r['pose']['detected_fraction']:.0%} of frames"),
    ]
    region = r["options"].get("region")
    if region:
        facts.append(("Part of frame tracked", region_text(region)))
    return tuple(facts)


def _measurements(r: dict) -> dict[str, Measurement | str]:
    out: dict[str, Measurement | str] = {}
    for key, advice_key in _FINDING_KEYS:
        s = r["summary"].get(key)
        v = _value(s)
        if v is None:
            continue
        n = s["n"]
        if key in _PER_SIDE_KEYS:
            n = min(int((r["per_side"].get(side, {}).get(key) or {}).get("n") or 0)
                    for side in ("left", "right"))
        err = s.get("expected_error")
        spread = None if s.get("q1") is None else 0.5 * (s["q3"] - s["q1"])
        out[advice_key] = Measurement(
            v, detectable_change=None if err is None else DETECTABLE_CHANGE_PER_ERROR * err,
            spread=spread, n_steps=int(n))
    strike = _value(r["summary"].get("foot_strike_angle_deg"))
    if strike is not None:
        n = min(int((r["per_side"].get(side, {}).get("foot_strike_angle_deg") or {}).get("n") or 0)
                for side in ("left", "right"))
        out["foot_strike"] = Measurement(foot_strike_pattern(strike), n_steps=n)
    return out


def _finding_rows(r: dict) -> tuple[FindingRow, ...]:
    fps = float(r["pose"]["fps"])
    measured = _measurements(r)
    assessable_asym, blocked_asym = {}, []
    for key, advice_key in _ASYMMETRY_FINDINGS:
        a = r["asymmetry"].get(key)
        if not a or a.get("symmetry_index_pct") is None:
            continue
        if a["approximate"] and not a["detectable"]:
            blocked_asym.append((advice_key, a))
            continue
        err = _si_error_pct(r, key)
        assessable_asym[advice_key] = Measurement(
            abs(a["symmetry_index_pct"]),
            detectable_change=None if err is None else DETECTABLE_CHANGE_PER_ERROR * err,
            n_steps=min(a["n_left"], a["n_right"]))
    findings = form_findings({**measured, **assessable_asym}, frame_rate_hz=fps)
    rows = [_row(f) for f in findings]
    for advice_key, a in blocked_asym:
        rows.append(FindingRow(
            None, METRICS[advice_key].label,
            f"{typeset(a['symmetry_index_pct'], 1, signed=True)}% "
            f"(L {a['left']:.3g}, R {a['right']:.3g} {a['unit']})",
            "not assessed",
            (Statement("Not assessed: " + a["note"], ("measurement.frame_rate",)),
             statement("asymmetry.not_predictor")),
            None, None))
    return tuple(rows)


def _row(f: Finding) -> FindingRow:
    m = f.measurement
    if isinstance(m.value, str):
        value = m.value
    else:
        dec = 0 if f.unit == "ms" else 1
        unit = "°" if f.unit == "deg" else f" {f.unit}"
        value = f"{typeset(m.value, dec)}{unit}".strip()
        if f.detectable_change_used:
            value += f" (± {f.detectable_change_used:.{dec}f})"
    ref = None if f.reference is None else Statement(f.reference.text, f.reference.claims)
    return FindingRow(f, f.label, value, f.status, f.meaning, f.cue, ref)


def _bilateral(r: dict) -> tuple[dict, ...]:
    rows = []
    for key, label, dec in BILATERAL_ROWS:
        a = r["asymmetry"].get(key)
        if not a or a.get("left") is None or a.get("right") is None:
            continue
        if a["approximate"] and not a["detectable"]:
            verdict = not_assessable_reason(key, a.get("note", ""))
        else:
            verdict = "larger than measurement error" if a["detectable"] else \
                "within measurement error"
        rows.append({"key": key, "label": label, "decimals": dec, "left": a["left"],
                     "right": a["right"], "unit": a["unit"], "difference": a["difference"],
                     "si_pct": (a["symmetry_index_pct"] if key in SYMMETRY_INDEX_METRICS
                                else None), "verdict": verdict,
                     "n_left": a["n_left"], "n_right": a["n_right"]})
    return tuple(rows)


def build_content(result: GaitResult, *, inputs: RunnerInputs = RunnerInputs(),
                  increases_pct: tuple[float, ...] = STUDIED_INCREASES_PCT) -> ReportContent:
    """Decide what the report says about one result.

    Parameters
    ----------
    result : GaitResult
    inputs : RunnerInputs
        What the runner states (for the return-to-run checklist).
    increases_pct : tuple of float
        Cadence increases to prescribe, %.

    Returns
    -------
    ReportContent
    """
    r = result.to_dict()
    cadence = _value(r["summary"].get("cadence_spm"))
    belt = r["options"].get("belt_speed_ms")
    running = r["gait_mode"] == "running"
    prescription = None if cadence is None or not running else cadence_prescription(
        cadence, belt_speed_ms=belt, estimated_speed_ms=estimated_speed_ms(r),
        increases_pct=increases_pct)
    notes = () if running else (
        "This clip shows walking (each foot is on the ground for more than half of the "
        "stride). The cadence prescription and the form references in this report come from "
        "studies of running, so they are left out; the measurements and the left/right "
        "comparison are shown.",)
    a = r["asymmetry"].get("step_time_ms") or {}
    step_si = None
    if a.get("symmetry_index_pct") is not None and (a["detectable"] or not a["approximate"]):
        step_si = abs(a["symmetry_index_pct"])
    # the checklist's cadence baseline and step-time criterion are about running
    checklist = return_to_run_checklist(
        cadence_spm=cadence if running else None, belt_speed_ms=belt,
        step_time_asymmetry_pct=step_si if running else None,
        weekly_distance_km=inputs.weekly_distance_km, pain_0_10=inputs.pain_0_10,
        pain_settled_next_morning=inputs.pain_settled_next_morning,
        two_week_distance_increase_pct=inputs.two_week_distance_increase_pct,
        strength_sessions_per_week=inputs.strength_sessions_per_week)
    if not running:
        walked = {"baseline_at_speed": f"walking cadence {cadence:.0f} steps/min"
                  if cadence is not None else "",
                  "stride_symmetry": f"walking step-time symmetry index "
                  f"{typeset(a['symmetry_index_pct'], 1, signed=True)}%"
                  if a.get("symmetry_index_pct") is not None else ""}
        checklist = [replace(i, basis="this clip shows walking; a clip of the runner running "
                             "answers this" + (f" ({walked[i.key]})" if walked[i.key] else ""))
                     if i.key in walked else i for i in checklist]
    elif a.get("symmetry_index_pct") is not None and step_si is None:
        why = (f"{not_assessable_reason('step_time_ms', a.get('note', ''))} "
               f"({r['pose']['fps']:.0f} fps, side view); film on a treadmill at 120 fps or more "
               "to compare sides")
        checklist = [replace(i, basis=why)
                     if i.key == "stride_symmetry" else i for i in checklist]
    created = r["created_utc"].replace("T", " ").replace("+00:00", " UTC")
    return ReportContent(
        result=result,
        title="Running form report" if running else "Walking gait report",
        subtitle=f"{r['source']} · analysed {created} · gait {r['gait_version']}",
        headline=_headline(r),
        clip_facts=_clip_facts(r),
        warnings=tuple(r["warnings"]),
        prescription=prescription,
        findings=_finding_rows(r) if running else (),
        bilateral=_bilateral(r),
        # both statements are about runners: a walker's comparison stands on its own
        asymmetry_caveat=(statement("asymmetry.healthy"), statement("asymmetry.not_predictor"))
        if running else (),
        checklist=tuple(checklist),
        rules=tuple(listening_rules()),
        inputs=inputs,
        notes=notes,
        metronome_files={} if prescription is None else {
            f"+{t.increase_pct:g}%": metronome_file_name(t.increase_pct)
            for t in prescription.targets},
        lengths_note="" if belt else (NO_SPEED_OVER_GROUND if r["view"].get("crosses_frame")
                                      else NO_BELT_SPEED),
        belt_speed_caveat=(statement("measure.belt_speed_display_secondary"),)
        if belt and _value(r["summary"].get("step_length_m")) is not None else (),
    )
