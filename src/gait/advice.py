"""Evidence-backed advice: cadence prescription, form findings, return-to-run checklist.

Every function here is pure and takes plain numbers (not a result object), so
it can be used before, and independently of, the measurement pipeline. Every
sentence returned is a `gait.evidence.Statement` that carries the registered
claims (and so the sources) behind it; load, risk and norm numbers come only
from those claims.

Units: cadence in steps per minute (spm, one step = one foot contact; a stride
is two steps), speed in m/s, lengths in m or cm, angles in degrees, time in ms.
"""

from __future__ import annotations

import math
from dataclasses import KW_ONLY, dataclass
from types import MappingProxyType
from typing import Literal, Mapping

from .errors import InvalidOptionError
from .evidence import CLAIMS, Statement, statement

# ---------------------------------------------------------------------------------------------
# Numbers taken from the evidence registry (each is stated in the claim named beside it).
# ---------------------------------------------------------------------------------------------

HIGH_CADENCE_SPM = 178.0
"""Cadence of the lowest-knee-force group (norms.cadence_knee_forces), spm."""
HIGH_CADENCE_SPEED_MS = 2.98
"""Belt speed at which `HIGH_CADENCE_SPM` was measured (norms.cadence_knee_forces), m/s."""
CADENCE_PER_SPEED_SPM_PER_MS = 8.0
"""Rise of cadence with speed (norms.cadence_speed_secondary; secondary source), spm per m/s."""
LOW_CADENCE_SPM = 166.0
"""Upper bound of the higher-knee-force group (norms.cadence_knee_forces), spm."""
MIN_STEPS_PER_SIDE = 7
"""Fewest steps per side averaged for an angle (measurement.min_steps)."""
MIN_TIMING_FPS = 120.0
"""Lowest frame rate from which contact time and duty factor are reported (measurement.frame_rate)."""
ASYMMETRY_WATCH_SI_PCT = 3.0
"""Symmetry index above which asymmetry is worth watching (asymmetry.bands), %."""
ASYMMETRY_MARKED_SI_PCT = 10.0
"""Symmetry index above which asymmetry is marked (asymmetry.bands), %."""
SHIN_ANGLE_HEURISTIC_DEG = 10.0
"""Upper end of the unverified 5-10° shin-angle heuristic (overstride.shin_heuristic_unverified)."""
MAX_STUDIED_INCREASE_PCT = 15.0
"""Largest step-rate increase with any data (step_rate.above_10_secondary), %."""
WEEKLY_DISTANCE_KM = 16.0
"""Clinicians' pain-free weekly distance before race training (rtr.weekly_distance_unverified)."""
MAX_TWO_WEEK_INCREASE_PCT = 30.0
"""Largest two-week distance increase without a risk signal (rtr.ten_percent_rule)."""
PAIN_LIMIT_0_10 = 5.0
"""Pain-monitoring model's allowed pain during running (rtr.pain_monitoring_secondary), 0-10."""
MIN_STRENGTH_SESSIONS_PER_WEEK = 2
"""Clinicians' heavy strength sessions a week (rtr.strength_unverified)."""

_MAX_CADENCE_SPM = 300.0
_MAX_BELT_SPEED_MS = 12.0

Status = Literal["within range", "watch", "outside range", "not assessed"]
CheckStatus = Literal["met", "not met", "unknown"]


def _check_positive(name: str, value: float | None, upper: float, unit: str) -> None:
    if value is None:
        return
    if not (isinstance(value, (int, float)) and math.isfinite(value) and 0 < value <= upper):
        raise InvalidOptionError(
            f"{name} must be a number in (0, {upper:g}] {unit}; got {value!r}. "
            f"Check the unit ({unit})."
        )


def _fmt(x: float, digits: int = 1) -> str:
    """Format a number without trailing zeros: 181.5 -> '181.5', 182.0 -> '182'."""
    return f"{x:.{digits}f}".rstrip("0").rstrip(".")


def _sd(text: str, *claims: str) -> Statement:
    return Statement(text, tuple(claims))


# =============================================================================================
# 1. Cadence prescription
# =============================================================================================


@dataclass(frozen=True)
class LoadEffect:
    """What a step-rate increase did to one load measure in a study.

    Parameters
    ----------
    measure : str
        The load measure, e.g. ``"peak patellofemoral joint force"``.
    basis : {"per step", "per km"}
        Whether the change is per step (per stance) or summed per km.
    change_pct : float or None
        Relative change in percent (negative = less load); None where the
        evidence reports only a direction.
    studied_increase_pct : float
        Step-rate increase at which it was measured, percent.
    statement : Statement
        Plain-language statement with its claims.
    formula : str or None
        Arithmetic used for a derived (per-km) value.
    """

    measure: str
    basis: Literal["per step", "per km"]
    change_pct: float | None
    studied_increase_pct: float
    statement: Statement
    formula: str | None = None

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "measure": self.measure,
            "basis": self.basis,
            "change_pct": self.change_pct,
            "studied_increase_pct": self.studied_increase_pct,
            "statement": self.statement.to_dict(),
            "formula": self.formula,
        }


@dataclass(frozen=True)
class CadenceTarget:
    """One cadence target and what the evidence says it does.

    Parameters
    ----------
    increase_pct : float
        Increase over the measured cadence, percent.
    target_spm : float
        Target cadence in steps per minute, rounded to the nearest 0.5 spm.
    metronome_bpm : float
        Metronome setting: equal to `target_spm`, one click per step (two per stride).
    step_length_m : float or None
        Step length at the target at the filmed belt speed, m; None without belt speed.
    steps_per_km : float or None
        Steps per km at the target at the filmed belt speed; None without belt speed.
    steps_per_km_change_pct : float
        Change in steps per km at constant speed (equals the cadence change), percent.
    load_effects : tuple of LoadEffect
        Per-step and per-km load changes measured (or derived) near this increase.
    notes : tuple of Statement
        Caveats, e.g. that this exact increase was not studied.
    """

    increase_pct: float
    target_spm: float
    metronome_bpm: float
    step_length_m: float | None
    steps_per_km: float | None
    steps_per_km_change_pct: float
    load_effects: tuple[LoadEffect, ...]
    notes: tuple[Statement, ...]

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "increase_pct": self.increase_pct,
            "target_spm": self.target_spm,
            "metronome_bpm": self.metronome_bpm,
            "step_length_m": self.step_length_m,
            "steps_per_km": self.steps_per_km,
            "steps_per_km_change_pct": self.steps_per_km_change_pct,
            "load_effects": [e.to_dict() for e in self.load_effects],
            "notes": [n.to_dict() for n in self.notes],
        }


@dataclass(frozen=True)
class CadencePrescription:
    """Cadence targets with their evidence, a retraining plan and the cases to ask about first.

    Parameters
    ----------
    cadence_spm : float
        Measured cadence, steps per minute.
    belt_speed_ms : float or None
        Filmed belt speed, m/s; None if unknown.
    step_length_m : float or None
        Current step length (speed × 60 / cadence), m.
    steps_per_km : float or None
        Current steps per km (1000 / step length).
    already_high : bool
        True when the measured cadence is at or above `high_cadence_threshold_spm`.
    high_cadence_threshold_spm : float
        Threshold used for `already_high` at this speed, spm.
    summary : Statement
        Headline advice.
    targets : tuple of CadenceTarget
        One per requested increase.
    context : tuple of Statement
        Norms and the per-step versus per-km principle.
    plan : tuple of Statement
        Retraining steps (metronome or music, faded feedback).
    ask_first : tuple of Statement
        Questions for the clinician before prescribing (evidence file §1.8).
    """

    cadence_spm: float
    belt_speed_ms: float | None
    step_length_m: float | None
    steps_per_km: float | None
    already_high: bool
    high_cadence_threshold_spm: float
    summary: Statement
    targets: tuple[CadenceTarget, ...]
    context: tuple[Statement, ...]
    plan: tuple[Statement, ...]
    ask_first: tuple[Statement, ...]

    def statements(self) -> tuple[Statement, ...]:
        """Every statement in the prescription, for rendering or auditing."""
        out = [self.summary, *self.context, *self.plan, *self.ask_first]
        for t in self.targets:
            out.extend(e.statement for e in t.load_effects)
            out.extend(t.notes)
        return tuple(out)

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "cadence_spm": self.cadence_spm,
            "belt_speed_ms": self.belt_speed_ms,
            "step_length_m": self.step_length_m,
            "steps_per_km": self.steps_per_km,
            "already_high": self.already_high,
            "high_cadence_threshold_spm": self.high_cadence_threshold_spm,
            "summary": self.summary.to_dict(),
            "targets": [t.to_dict() for t in self.targets],
            "context": [s.to_dict() for s in self.context],
            "plan": [s.to_dict() for s in self.plan],
            "ask_first": [s.to_dict() for s in self.ask_first],
        }


def step_length_m(belt_speed_ms: float, cadence_spm: float) -> float:
    """Step length at a constant speed.

    Parameters
    ----------
    belt_speed_ms : float
        Speed, m/s.
    cadence_spm : float
        Cadence, steps per minute.

    Returns
    -------
    float
        Step length in m: ``speed × 60 / cadence`` (evidence file §7).
    """
    _check_positive("belt_speed_ms", belt_speed_ms, _MAX_BELT_SPEED_MS, "m/s")
    _check_positive("cadence_spm", cadence_spm, _MAX_CADENCE_SPM, "steps/min")
    return belt_speed_ms * 60.0 / cadence_spm


def per_km_change_pct(per_step_change_pct: float, cadence_increase_pct: float) -> float:
    """Per-km load change from a per-step change and a cadence change at constant speed.

    Parameters
    ----------
    per_step_change_pct : float
        Change in load per step, percent (negative = less).
    cadence_increase_pct : float
        Change in cadence (= change in steps per km at constant speed), percent.

    Returns
    -------
    float
        ``((1 + per_step/100) × (1 + cadence/100) − 1) × 100``, percent
        (evidence file §1.6 and §7).
    """
    return ((1.0 + per_step_change_pct / 100.0) * (1.0 + cadence_increase_pct / 100.0) - 1.0) * 100.0


def high_cadence_threshold_spm(belt_speed_ms: float | None = None) -> float:
    """Cadence from which gait treats a runner's cadence as already high for the speed.

    178 spm, the lowest-knee-force group at 2.98 m/s (norms.cadence_knee_forces),
    shifted by 8 spm per m/s of belt speed away from 2.98 m/s
    (norms.cadence_speed_secondary; secondary source). Without a belt speed the
    unshifted 178 spm is used.

    Parameters
    ----------
    belt_speed_ms : float or None
        Running speed, m/s: the belt's on a treadmill.

    Returns
    -------
    float
        Threshold cadence, steps per minute.
    """
    _check_positive("belt_speed_ms", belt_speed_ms, _MAX_BELT_SPEED_MS, "m/s")
    if belt_speed_ms is None:
        return HIGH_CADENCE_SPM
    return HIGH_CADENCE_SPM + CADENCE_PER_SPEED_SPM_PER_MS * (belt_speed_ms - HIGH_CADENCE_SPEED_MS)


def _round_half(x: float) -> float:
    return math.floor(x * 2.0 + 0.5) / 2.0


#: Cadence increases the load studies tested (running-science.md), percent: the default targets.
STUDIED_INCREASES_PCT = (5.0, 7.5, 10.0)


def _load_effects(increase_pct: float) -> tuple[tuple[LoadEffect, ...], tuple[Statement, ...]]:
    """Load effects studied at (or nearest to) one increase, and caveats."""
    effects: list[LoadEffect] = []
    notes: list[Statement] = []
    nearest = min(STUDIED_INCREASES_PCT, key=lambda s: (abs(s - increase_pct), s))
    if abs(nearest - increase_pct) > 1e-9:
        notes.append(
            _sd(
                f"No study tested exactly +{_fmt(increase_pct)}%; the effects shown were measured "
                f"at +{_fmt(nearest)}%, the nearest studied increase. The studied range is +5-10%.",
                "step_rate.increment",
            )
        )
    if increase_pct > 10.0:
        notes.append(statement("step_rate.above_10_secondary"))
    if nearest == 5.0:
        effects.append(
            LoadEffect(
                "knee energy absorption in loading response",
                "per step",
                None,
                5.0,
                statement("step_rate.heiderscheit_knee_hip"),
            )
        )
        effects.append(
            LoadEffect(
                "knee energy absorption in loading response (size)",
                "per step",
                -20.0,
                5.0,
                statement("step_rate.heiderscheit_sizes_secondary"),
            )
        )
        effects.append(
            LoadEffect(
                "peak Achilles tendon stress and strain",
                "per step",
                None,
                5.0,
                statement("step_rate.lyght_achilles_secondary"),
            )
        )
    elif nearest == 7.5:
        effects.append(
            LoadEffect(
                "knee eccentric work",
                "per step",
                -26.9,
                8.6,
                statement("step_rate.willy2016"),
            )
        )
        effects.append(
            LoadEffect(
                "knee eccentric work",
                "per km",
                -21.1,
                8.6,
                _sd(
                    "Measured per km, not derived: knee eccentric work fell 21.1% per km at the "
                    "+8.6% actually achieved when cued to +7.5%.",
                    "step_rate.willy2016",
                    "load.willy_check",
                ),
            )
        )
    else:
        pfj_per_km = per_km_change_pct(-14.0, 10.0)
        effects.append(
            LoadEffect(
                "peak patellofemoral joint force",
                "per step",
                -14.0,
                10.0,
                statement("step_rate.lenhart_pfj"),
            )
        )
        effects.append(
            LoadEffect(
                "peak patellofemoral joint force, summed",
                "per km",
                round(pfj_per_km, 1),
                10.0,
                statement("load.lenhart_per_km"),
                formula=CLAIMS["load.lenhart_per_km"].formula,
            )
        )
        effects.append(
            LoadEffect(
                "knee and hip energy absorption in loading response",
                "per step",
                None,
                10.0,
                statement("step_rate.heiderscheit_knee_hip"),
            )
        )
        effects.append(
            LoadEffect(
                "knee energy absorption in loading response (size)",
                "per step",
                -34.0,
                10.0,
                statement("step_rate.heiderscheit_sizes_secondary"),
            )
        )
        effects.append(
            LoadEffect(
                "knee energy absorption in loading response, summed (size)",
                "per km",
                -27.0,
                10.0,
                statement("step_rate.heiderscheit_per_km_secondary"),
                formula=CLAIMS["step_rate.heiderscheit_per_km_secondary"].formula,
            )
        )
    return tuple(effects), tuple(notes)


def cadence_prescription(
    cadence_spm: float,
    *,
    belt_speed_ms: float | None = None,
    estimated_speed_ms: float | None = None,
    increases_pct: tuple[float, ...] = STUDIED_INCREASES_PCT,
) -> CadencePrescription:
    """Cadence targets, their evidence, a retraining plan and questions for the clinician.

    Parameters
    ----------
    cadence_spm : float
        Measured cadence, steps per minute (both feet counted).
    belt_speed_ms : float, optional
        Belt speed during filming, m/s. Needed for step lengths and steps per km
        and to judge cadence against speed.
    estimated_speed_ms : float, optional
        Running speed estimated from the video (image speed scaled by the
        body height: approximate), m/s. Without a belt speed it sets the
        threshold for an already high cadence, said to be estimated; step
        lengths and steps per km still need the belt speed.
    increases_pct : tuple of float, default `STUDIED_INCREASES_PCT` (5, 7.5 and 10)
        Cadence increases to prescribe, percent; each in (0, 15].

    Returns
    -------
    CadencePrescription
        Targets rounded to 0.5 spm; metronome BPM equal to the target (one click
        per step). When the cadence is already high for the speed (see
        `high_cadence_threshold_spm`), targets are still listed for the clinician
        but the summary says the benefit may be small instead of prescribing.

    Raises
    ------
    InvalidOptionError
        If cadence, speed or an increase is outside its valid range.
    """
    _check_positive("cadence_spm", cadence_spm, _MAX_CADENCE_SPM, "steps/min")
    _check_positive("belt_speed_ms", belt_speed_ms, _MAX_BELT_SPEED_MS, "m/s")
    _check_positive("estimated_speed_ms", estimated_speed_ms, _MAX_BELT_SPEED_MS, "m/s")
    if not increases_pct:
        raise InvalidOptionError("increases_pct is empty; give at least one increase, e.g. (5.0, 10.0).")
    for inc in increases_pct:
        _check_positive("each of increases_pct", inc, MAX_STUDIED_INCREASE_PCT, "%")

    now_step_m = None if belt_speed_ms is None else step_length_m(belt_speed_ms, cadence_spm)
    now_per_km = None if now_step_m is None else 1000.0 / now_step_m

    targets = []
    for inc in sorted(increases_pct):
        target = _round_half(cadence_spm * (1.0 + inc / 100.0))
        if target > _MAX_CADENCE_SPM:
            raise InvalidOptionError(
                f"+{_fmt(inc)}% on {_fmt(cadence_spm)} steps/min gives {_fmt(target)} steps/min, "
                f"above {_MAX_CADENCE_SPM:g}; is the cadence in steps (not strides) per minute?"
            )
        sl = None if belt_speed_ms is None else step_length_m(belt_speed_ms, target)
        effects, notes = _load_effects(inc)
        targets.append(
            CadenceTarget(
                increase_pct=float(inc),
                target_spm=target,
                metronome_bpm=target,
                step_length_m=sl,
                steps_per_km=None if sl is None else 1000.0 / sl,
                steps_per_km_change_pct=(target / cadence_spm - 1.0) * 100.0,
                load_effects=effects,
                notes=notes,
            )
        )

    speed_ms = belt_speed_ms if belt_speed_ms is not None else estimated_speed_ms
    threshold = high_cadence_threshold_spm(speed_ms)
    already_high = cadence_spm >= threshold
    if belt_speed_ms is not None:
        speed_text = f"at {_fmt(belt_speed_ms, 2)} m/s the threshold is {_fmt(threshold)} steps/min"
    elif estimated_speed_ms is not None:
        speed_text = (f"at about {_fmt(estimated_speed_ms, 1)} m/s, the speed estimated from the "
                      f"video and the body height, the threshold is {_fmt(threshold)} steps/min")
    else:
        speed_text = "the running speed is unknown, so 178 steps/min (measured at 2.98 m/s) is used"
    if already_high:
        summary = _sd(
            f"Cadence is {_fmt(cadence_spm)} steps/min, already high for the speed "
            f"({speed_text}). Raising it further may bring little mechanical benefit while "
            "adding effort; the targets below are for the clinician to weigh, not a prescription.",
            "norms.already_high_rule_secondary",
            "norms.cadence_knee_forces",
            "caution.already_high",
            "step_rate.anderson_costs",
        )
    else:
        summary = _sd(
            f"Cadence is {_fmt(cadence_spm)} steps/min ({speed_text}; not already high). The "
            "most-studied form change is +5-10% at the same running speed, which lowers knee "
            "load per step; because it adds steps, the saving per km is smaller.",
            "norms.already_high_rule_secondary",
            "step_rate.increment",
            "load.per_km_principle",
            "caution.same_speed",
        )

    context = [
        statement("load.per_km_principle"),
        statement("load.willson2014"),
        statement("load.edwards2009"),
        statement("load.petersen_same_speed"),
        statement("step_rate.lieberman"),
        statement("step_rate.anderson_effects"),
        statement("step_rate.anderson_costs"),
        statement("norms.cadence_knee_forces"),
        statement("norms.cadence_speed_secondary"),
        statement("norms.cadence_novice"),
        statement("norms.cadence_optimum"),
        statement("norms.cadence_range_secondary"),
    ]
    if now_step_m is not None:
        context.insert(
            0,
            _sd(
                f"At the filmed {_fmt(belt_speed_ms, 2)} m/s, the current step is "
                f"{now_step_m:.2f} m (speed × 60 / cadence), about {now_per_km:.0f} steps per km "
                "(1000 / step length); at constant speed, steps per km rise by the same percentage "
                "as cadence.",
                "load.worked_example",
                "load.per_km_principle",
            ),
        )

    ladder = ", ".join(f"{_fmt(t.target_spm)} (+{_fmt(t.increase_pct)}%)" for t in targets)
    plan = (
        _sd(
            f"Targets in steps per minute: {ladder}. Set a metronome (or music) to the target "
            "BPM: one click per step, i.e. every foot contact lands on a click; the accented "
            "click marks every second step, so each foot has its own sound.",
            "step_rate.increment",
            "retraining.hafer2015",
        ),
        _sd(
            "Change gradually with the cue 'shorter, quicker, lighter steps', keeping the same "
            "speed (on a treadmill, the same belt speed).",
            "step_rate.barton_experts",
            "caution.same_speed",
        ),
        statement("retraining.bramah2019"),
        statement("retraining.willy2012_template"),
        statement("retraining.davis2020_faded"),
        _sd(
            "Afterwards, check the cadence with a watch during normal runs and re-film at the "
            "same belt speed to confirm the change held.",
            "retraining.bramah2019",
            "caution.same_speed",
        ),
    )

    ask_first = (
        _sd(
            "Is the runner uninjured with no related complaint? If so, a form change is not "
            "proven to prevent injury; discuss whether to change anything.",
            "caution.uninjured",
        ),
        _sd(
            "Is the cadence already high for the speed, or does the foot not land ahead of the "
            "body? Then the benefit may be small and the extra effort not worth it.",
            "caution.already_high",
            "norms.already_high_rule_secondary",
        ),
        _sd(
            "Is there a hamstring or hip-flexor problem (for example proximal hamstring "
            "tendinopathy or a recent hamstring strain)? Raising cadence adds swing-phase load "
            "there; progress slowly if at all.",
            "caution.hamstring_hip_flexor",
        ),
        _sd(
            "Does the runner have calf or Achilles symptoms, or switch to a forefoot strike when "
            "cued? Watch for this, especially at larger increases.",
            "caution.foot_strike_switch_secondary",
        ),
        _sd(
            "Is there an unhealed bone stress injury or acute pain? Then the return-to-run "
            "progression comes first, not a cadence change.",
            "caution.bone_stress",
        ),
        _sd(
            "Is an important race close? Adapting can feel awkward and tiring at first; "
            "consider waiting until after it.",
            "caution.race_secondary",
        ),
        _sd(
            "Will training and re-testing happen at the filmed speed (on a treadmill, the same "
            "belt speed)? Cadence targets are only valid at an unchanged speed.",
            "caution.same_speed",
            "load.petersen_same_speed",
        ),
    )

    return CadencePrescription(
        cadence_spm=float(cadence_spm),
        belt_speed_ms=None if belt_speed_ms is None else float(belt_speed_ms),
        step_length_m=now_step_m,
        steps_per_km=now_per_km,
        already_high=already_high,
        high_cadence_threshold_spm=threshold,
        summary=summary,
        targets=tuple(targets),
        context=tuple(context),
        plan=plan,
        ask_first=ask_first,
    )


# =============================================================================================
# 2. Form findings
# =============================================================================================


@dataclass(frozen=True)
class Measurement:
    """One summarised metric as measured, with how sure the measurement is.

    Parameters
    ----------
    value : float or str
        Summary value in the metric's unit (see `METRICS`); a string for the
        foot-strike pattern (``"rearfoot"``, ``"midfoot"``, ``"forefoot"``).
    detectable_change : float, optional
        Smallest change the measurement can detect (SDC), or its expected error
        if larger, in the metric's unit. A difference from a reference smaller
        than this is not called a finding.
    spread : float, optional
        Between-step spread (IQR or CI half-width), in the metric's unit; reported only.
    n_steps : int, optional
        Steps used; for angles and foot strike, steps per side (the fewer side).
    """

    value: float | str
    _: KW_ONLY
    detectable_change: float | None = None
    spread: float | None = None
    n_steps: int | None = None

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "value": self.value,
            "detectable_change": self.detectable_change,
            "spread": self.spread,
            "n_steps": self.n_steps,
        }


@dataclass(frozen=True)
class ReferenceRange:
    """A reference against which a metric is read.

    Parameters
    ----------
    low, high : float or None
        Bounds in the metric's unit; a point reference has ``low == high``; None
        where open.
    unit : str
        Unit of the bounds.
    text : str
        How the report prints the reference, e.g. ``"271-284 ms (recreational
        runners near 2.7 m/s)"``.
    claims : tuple of str
        Claim keys the reference comes from.
    """

    low: float | None
    high: float | None
    unit: str
    text: str
    claims: tuple[str, ...]

    def to_dict(self) -> dict:
        """JSON-ready dict with the citing statement."""
        return {
            "low": self.low,
            "high": self.high,
            "unit": self.unit,
            "text": self.text,
            "statement": Statement(self.text, self.claims).to_dict(),
        }


@dataclass(frozen=True)
class Finding:
    """How one measured metric reads against its evidence-based reference.

    Parameters
    ----------
    metric : str
        Metric key, e.g. ``"contact_time_ms"``.
    label : str
        Plain-language name.
    unit : str
        Unit of `value`.
    measurement : Measurement
        The input value with its uncertainty.
    reference : ReferenceRange or None
        The reference used; None where the evidence gives none.
    status : {"within range", "watch", "outside range", "not assessed"}
        ``"within range"`` also covers differences smaller than the detectable
        change. ``"watch"``: beyond the reference by more than the detectable
        change in a direction the evidence links to more load, or in the
        asymmetry watch band, or flagged by an unverified heuristic.
        ``"outside range"``: beyond a typical range by more than the detectable
        change (descriptive) or a marked asymmetry. ``"not assessed"``: too few
        steps, frame rate too low, or no validated reference (value shown
        descriptively).
    detectable_change_used : float or None
        The larger of the caller's detectable change and the literature's
        smallest detectable difference for this metric.
    meaning : tuple of Statement
        What the reading means, each sentence with its evidence.
    cue : Statement or None
        A cue or drill with evidence, where the evidence gives one.
    """

    metric: str
    label: str
    unit: str
    measurement: Measurement
    reference: ReferenceRange | None
    status: Status
    detectable_change_used: float | None
    meaning: tuple[Statement, ...]
    cue: Statement | None

    @property
    def sources(self) -> tuple[str, ...]:
        """Source keys behind the reference, meaning and cue."""
        return tuple(dict.fromkeys(k for s in self.statements() for k in s.sources))

    def statements(self) -> tuple[Statement, ...]:
        """Every statement in the finding, for rendering or auditing."""
        out = list(self.meaning)
        if self.cue is not None:
            out.append(self.cue)
        if self.reference is not None:
            out.append(Statement(self.reference.text, self.reference.claims))
        return tuple(out)

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "metric": self.metric,
            "label": self.label,
            "unit": self.unit,
            "measurement": self.measurement.to_dict(),
            "reference": None if self.reference is None else self.reference.to_dict(),
            "status": self.status,
            "detectable_change_used": self.detectable_change_used,
            "meaning": [s.to_dict() for s in self.meaning],
            "cue": None if self.cue is None else self.cue.to_dict(),
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class _MetricSpec:
    label: str
    unit: str
    reference: ReferenceRange | None
    literature_sdd: float | None  # smallest detectable difference from the evidence, same unit
    is_angle: bool  # needs >= MIN_STEPS_PER_SIDE steps per side
    needs_high_fps: bool  # contact-time based: needs >= MIN_TIMING_FPS
    concern: Literal["low", "high", "none"]  # direction the evidence links to more load
    beyond_status: Status  # status when beyond the reference by more than the detectable change
    about: tuple[str, ...]  # claims always shown
    low_meaning: Statement | None
    high_meaning: Statement | None
    cue: Statement | None


_CADENCE_CUE = _sd(
    "See the cadence prescription: +5-10% at the same speed with a metronome, cue 'shorter, "
    "quicker, lighter steps'.",
    "step_rate.increment",
    "step_rate.barton_experts",
)

_ASYM_ABOUT = ("asymmetry.bands", "asymmetry.healthy", "asymmetry.not_predictor")
_ASYM_CUE = _sd(
    "Compare with the injured side, symptoms and earlier sessions at the same speed; if a "
    "stride change the runner notices persists, see the physical therapist.",
    "asymmetry.not_predictor",
    "rtr.stride_change_unverified",
)


def _asym_spec(label: str, *, needs_high_fps: bool) -> _MetricSpec:
    return _MetricSpec(
        label=label,
        unit="% SI",
        reference=ReferenceRange(
            0.0,
            ASYMMETRY_WATCH_SI_PCT,
            "% SI",
            "up to about 3% symmetry index (watch above 3%, marked above 10%; not validated)",
            ("asymmetry.bands",),
        ),
        literature_sdd=None,
        is_angle=False,
        needs_high_fps=needs_high_fps,
        concern="high",
        beyond_status="outside range",
        about=_ASYM_ABOUT,
        low_meaning=None,
        high_meaning=None,
        cue=_ASYM_CUE,
    )


METRICS: Mapping[str, _MetricSpec] = MappingProxyType({
    "cadence_spm": _MetricSpec(
        label="Cadence (steps per minute, both feet)",
        unit="steps/min",
        reference=ReferenceRange(
            LOW_CADENCE_SPM,
            None,
            "steps/min",
            "above 166 steps/min (at 2.98 m/s, 166 or fewer went with higher knee forces; "
            "cadence rises with speed)",
            ("norms.cadence_knee_forces", "norms.cadence_speed_secondary"),
        ),
        literature_sdd=None,
        is_angle=False,
        needs_high_fps=False,
        concern="low",
        beyond_status="watch",
        about=("norms.cadence_knee_forces", "norms.cadence_speed_secondary", "norms.cadence_optimum"),
        low_meaning=_sd(
            "Cadence is in the range that went with higher knee forces in a cross-sectional "
            "study; a +5-10% increase is the most-studied change (check the speed first).",
            "norms.cadence_knee_forces",
            "step_rate.increment",
        ),
        high_meaning=None,
        cue=_CADENCE_CUE,
    ),
    "contact_time_ms": _MetricSpec(
        label="Ground contact time",
        unit="ms",
        reference=ReferenceRange(
            271.0, 284.0, "ms", "about 271-284 ms (recreational runners near 2.7 m/s)", ("norms.contact_time",)
        ),
        literature_sdd=None,
        is_angle=False,
        needs_high_fps=True,
        concern="none",
        beyond_status="outside range",
        about=("norms.contact_time", "norms.contact_time_economy", "norms.contact_time_secondary"),
        low_meaning=_sd(
            "Shorter than the recreational reference, as expected at faster speeds; contact time "
            "is not an economy target.",
            "norms.contact_time_secondary",
            "norms.contact_time_economy",
        ),
        high_meaning=_sd(
            "Longer than the recreational reference; contact time is not an economy target, so "
            "read it with speed and the other findings.",
            "norms.contact_time_economy",
        ),
        cue=None,
    ),
    "duty_factor_pct": _MetricSpec(
        label="Duty factor (contact time / stride time)",
        unit="%",
        reference=ReferenceRange(
            35.5, 38.9, "%", "about 35.5-38.9% (recreational runners at jogging speed)", ("norms.duty_factor",)
        ),
        literature_sdd=None,
        is_angle=False,
        needs_high_fps=True,
        concern="none",
        beyond_status="outside range",
        about=("norms.duty_factor",),
        low_meaning=_sd(
            "Lower than the recreational reference: a more 'bouncy' style; low and high duty "
            "factors are equally economical.",
            "norms.duty_factor",
        ),
        high_meaning=_sd(
            "Higher than the recreational reference: a more 'gliding' style; low and high duty "
            "factors are equally economical.",
            "norms.duty_factor",
        ),
        cue=None,
    ),
    "vertical_oscillation_cm": _MetricSpec(
        label="Vertical oscillation (up-and-down movement of the trunk)",
        unit="cm",
        reference=ReferenceRange(
            6.0,
            15.0,
            "cm",
            "about 6-15 cm (consumer devices; secondary source)",
            ("norms.vertical_oscillation_secondary",),
        ),
        literature_sdd=None,
        is_angle=False,
        needs_high_fps=False,
        concern="high",
        beyond_status="outside range",
        about=("norms.vertical_oscillation_secondary", "norms.vertical_oscillation_economy"),
        low_meaning=None,
        high_meaning=_sd(
            "More up-and-down movement than typical; less pelvis movement during contact went "
            "with better economy, and a higher step rate lowers it.",
            "norms.vertical_oscillation_economy",
        ),
        cue=_CADENCE_CUE,
    ),
    "overstride_cm": _MetricSpec(
        label="Overstride: heel ahead of hip at initial contact",
        unit="cm",
        reference=None,
        literature_sdd=None,
        is_angle=True,
        needs_high_fps=False,
        concern="none",
        beyond_status="not assessed",
        about=("overstride.definition", "overstride.no_cutoff", "overstride.reproducibility", "overstride.kinetics"),
        low_meaning=None,
        high_meaning=None,
        cue=_sd(
            "Shown for comparison between sessions at the same speed; a higher step rate "
            "brings the foot's landing closer to the hip.",
            "step_rate.lieberman",
            "caution.same_speed",
        ),
    ),
    "overstride_pct_leg": _MetricSpec(
        label="Overstride: heel ahead of hip at initial contact, % of leg length",
        unit="% leg length",
        reference=None,
        literature_sdd=None,
        is_angle=True,
        needs_high_fps=False,
        concern="none",
        beyond_status="not assessed",
        about=("overstride.definition", "overstride.no_cutoff", "overstride.reproducibility"),
        low_meaning=None,
        high_meaning=None,
        cue=_sd(
            "Shown for comparison between sessions at the same speed; a higher step rate "
            "brings the foot's landing closer to the hip.",
            "step_rate.lieberman",
            "caution.same_speed",
        ),
    ),
    "shin_angle_ic_deg": _MetricSpec(
        label="Shin angle at initial contact (forward of vertical)",
        unit="deg",
        reference=ReferenceRange(
            None,
            SHIN_ANGLE_HEURISTIC_DEG,
            "deg",
            "no more than about 5-10° forward of vertical (unverified heuristic, not validated)",
            ("overstride.shin_heuristic_unverified", "overstride.no_cutoff"),
        ),
        literature_sdd=4.8,
        is_angle=True,
        needs_high_fps=False,
        concern="high",
        beyond_status="watch",
        about=("overstride.no_cutoff", "overstride.shin_heuristic_unverified", "measurement.angle_sdd"),
        low_meaning=None,
        high_meaning=_sd(
            "The shin is tilted further forward at contact than an unverified clinical heuristic "
            "suggests; this may indicate reaching ahead (overstriding), but no cut-off is validated.",
            "overstride.shin_heuristic_unverified",
            "overstride.no_cutoff",
        ),
        cue=_sd(
            "Cue 'shorter, quicker, lighter steps' and land with a near-vertical shin.",
            "step_rate.barton_experts",
            "step_rate.lieberman",
        ),
    ),
    "knee_flexion_ic_deg": _MetricSpec(
        label="Knee bend at initial contact",
        unit="deg",
        reference=ReferenceRange(21.0, 21.0, "deg", "about 21° (3D, level treadmill)", ("norms.knee_angles",)),
        literature_sdd=3.8,
        is_angle=True,
        needs_high_fps=False,
        concern="low",
        beyond_status="outside range",
        about=("norms.knee_angles", "measurement.angle_sdd"),
        low_meaning=_sd(
            "A straighter knee at contact than the reference; injured runners showed a "
            "straighter knee at contact in a study that looked back in time (not shown to be a cause).",
            "norms.injured_runners",
        ),
        high_meaning=_sd(
            "More knee bend at contact than the reference; the evidence links no concern to this.",
            "norms.knee_angles",
        ),
        cue=None,
    ),
    "peak_knee_flexion_stance_deg": _MetricSpec(
        label="Peak knee bend in stance",
        unit="deg",
        reference=ReferenceRange(36.0, 36.0, "deg", "about 36° (3D, level treadmill)", ("norms.knee_angles",)),
        literature_sdd=3.8,
        is_angle=True,
        needs_high_fps=False,
        concern="high",
        beyond_status="outside range",
        about=("norms.knee_angles", "measurement.angle_sdd"),
        low_meaning=_sd(
            "Less knee bend in stance than the reference; the evidence links no concern to this.",
            "norms.knee_angles",
        ),
        high_meaning=_sd(
            "More knee bend in stance than the reference; less stance knee bend explained most "
            "of the lower kneecap load at a higher step rate, and a higher step rate reduces it.",
            "step_rate.lenhart_pfj",
            "step_rate.anderson_effects",
        ),
        cue=_CADENCE_CUE,
    ),
    "trunk_lean_deg": _MetricSpec(
        label="Forward trunk lean",
        unit="deg",
        reference=None,
        literature_sdd=None,
        is_angle=True,
        needs_high_fps=False,
        concern="none",
        beyond_status="not assessed",
        about=("norms.injured_runners",),
        low_meaning=None,
        high_meaning=None,
        cue=None,
    ),
    "foot_strike": _MetricSpec(
        label="Foot-strike pattern",
        unit="",
        reference=None,
        literature_sdd=None,
        is_angle=True,
        needs_high_fps=False,
        concern="none",
        beyond_status="not assessed",
        about=("norms.foot_strike", "norms.foot_strike_change", "measurement.foot_strike_error"),
        low_meaning=None,
        high_meaning=None,
        cue=None,
    ),
    "step_time_si_pct": _asym_spec("Left/right step-time asymmetry (symmetry index)", needs_high_fps=False),
    "contact_time_si_pct": _asym_spec(
        "Left/right contact-time asymmetry (symmetry index)", needs_high_fps=True
    ),
    "step_length_si_pct": _asym_spec("Left/right step-length asymmetry (symmetry index)", needs_high_fps=False),
})
"""Metrics `form_findings` understands, by key (units in the key)."""

_FOOT_STRIKES = ("rearfoot", "midfoot", "forefoot")


def _as_measurement(name: str, raw: Measurement | float | str) -> Measurement:
    m = raw if isinstance(raw, Measurement) else Measurement(raw)
    if name == "foot_strike":
        if m.value not in _FOOT_STRIKES:
            raise InvalidOptionError(f"foot_strike must be one of {_FOOT_STRIKES}; got {m.value!r}.")
    elif isinstance(m.value, bool) or not isinstance(m.value, (int, float)) or not math.isfinite(m.value):
        raise InvalidOptionError(f"{name} must be a finite number; got {m.value!r}.")
    if m.detectable_change is not None and not (m.detectable_change >= 0 and math.isfinite(m.detectable_change)):
        raise InvalidOptionError(f"{name}: detectable_change must be >= 0; got {m.detectable_change!r}.")
    if m.n_steps is not None and (not isinstance(m.n_steps, int) or m.n_steps < 0):
        raise InvalidOptionError(f"{name}: n_steps must be a non-negative integer; got {m.n_steps!r}.")
    return m


def _finding(name: str, spec: _MetricSpec, m: Measurement, frame_rate_hz: float | None) -> Finding:
    about = tuple(statement(k) for k in spec.about)

    def make(status: Status, meaning: tuple[Statement, ...], d: float | None, cue: Statement | None) -> Finding:
        return Finding(name, spec.label, spec.unit, m, spec.reference, status, d, meaning, cue)

    if spec.is_angle and m.n_steps is not None and m.n_steps < MIN_STEPS_PER_SIDE:
        why = _sd(
            f"Not assessed: too few steps ({m.n_steps} per side; at least 7 per side are needed "
            "for a stable average).",
            "measurement.min_steps",
        )
        return make("not assessed", (why,), None, None)
    if spec.needs_high_fps and frame_rate_hz is not None and frame_rate_hz < MIN_TIMING_FPS:
        why = _sd(
            f"Not assessed: the video has {_fmt(frame_rate_hz)} frames per second; contact timing "
            "needs at least 120.",
            "measurement.frame_rate",
        )
        return make("not assessed", (why,), None, None)

    if name == "foot_strike":
        text = f"Foot strike: {m.value}. All three patterns are common in runners; rearfoot is the most common."
        return make("within range", (_sd(text, "norms.foot_strike"), *about), None, None)

    if spec.reference is None:
        why = _sd(
            "Shown descriptively: the evidence gives no validated reference range for this "
            "measure, so no status is assigned.",
            *spec.about,
        )
        return make("not assessed", (why, *about), m.detectable_change, spec.cue)

    candidates = [x for x in (m.detectable_change, spec.literature_sdd) if x is not None]
    d = max(candidates) if candidates else 0.0
    value = float(m.value)
    if name.endswith("_si_pct"):
        excess = value - ASYMMETRY_WATCH_SI_PCT
        if excess <= d:
            band, status = "within the typical band (or closer to it than the measurement can tell)", "within range"
        elif value - ASYMMETRY_MARKED_SI_PCT > d:
            band, status = "marked (above 10%)", "outside range"
        else:
            band, status = "worth watching (above about 3%)", "watch"
        text = f"{_fmt(value)}% symmetry index: {band}."
        meaning = (_sd(text, "asymmetry.bands"), *about)
        return make(status, meaning, d, spec.cue if status != "within range" else None)

    low, high = spec.reference.low, spec.reference.high
    below = low is not None and value < low - d
    above = high is not None and value > high + d
    near = not below and not above and (
        (low is not None and value < low) or (high is not None and value > high)
    )
    if below or above:
        flagged = spec.concern == ("low" if below else "high")
        directional = spec.low_meaning if below else spec.high_meaning
        if directional is None:
            directional = Statement(
                f"{'Below' if below else 'Above'} the reference by more than the measurement can "
                "detect; the evidence links no concern to this direction.",
                spec.reference.claims,
            )
        return make(spec.beyond_status, (directional, *about), d, spec.cue if flagged else None)
    text = (
        "Differs from the reference by less than the measurement can detect, so this is not a finding."
        if near
        else "Within the reference."
    )
    first = Statement(text, spec.reference.claims + (("measurement.angle_sdd",) if spec.literature_sdd else ()))
    return make("within range", (first, *about), d, None)


def form_findings(
    metrics: Mapping[str, Measurement | float | str],
    *,
    frame_rate_hz: float | None = None,
) -> list[Finding]:
    """Read measured metrics against their evidence-based references.

    Parameters
    ----------
    metrics : mapping of str to Measurement (or a bare value)
        Keys from `METRICS`: ``cadence_spm``, ``contact_time_ms``,
        ``duty_factor_pct``, ``vertical_oscillation_cm``, ``overstride_cm``,
        ``overstride_pct_leg``, ``shin_angle_ic_deg``, ``knee_flexion_ic_deg``,
        ``peak_knee_flexion_stance_deg``, ``trunk_lean_deg``, ``foot_strike``,
        ``step_time_si_pct``, ``contact_time_si_pct``, ``step_length_si_pct``.
        Metrics not given are not reported.
    frame_rate_hz : float, optional
        Video frame rate; below 120 fps, contact time, duty factor and
        contact-time asymmetry are not assessed.

    Returns
    -------
    list of Finding
        In the order of `METRICS`.

    Notes
    -----
    A difference from a reference is a finding only if it exceeds the detectable
    change ``d = max(measurement.detectable_change, literature SDD)``, where the
    literature SDD is the upper Dingenen 2018 value for that 2D angle. Angles and
    foot strike from fewer than 7 steps per side are "not assessed". Asymmetry
    findings always carry the statement that asymmetry is not an injury
    predictor. Overstride distance and trunk lean have no validated cut-off and
    are shown descriptively; the shin angle is read only against an unverified
    heuristic, labelled as such.

    Raises
    ------
    InvalidOptionError
        For an unknown metric key or an invalid value.
    """
    unknown = sorted(set(metrics) - set(METRICS))
    if unknown:
        raise InvalidOptionError(f"unknown metrics {unknown}; expected some of {sorted(METRICS)}.")
    _check_positive("frame_rate_hz", frame_rate_hz, 10000.0, "frames per second")
    return [
        _finding(name, spec, _as_measurement(name, metrics[name]), frame_rate_hz)
        for name, spec in METRICS.items()
        if name in metrics
    ]


# =============================================================================================
# 3. Return-to-run checklist
# =============================================================================================


@dataclass(frozen=True)
class ChecklistItem:
    """One return-to-run readiness item.

    Parameters
    ----------
    key : str
        Stable identifier.
    question : str
        The item as a question for the runner and clinician.
    status : {"met", "not met", "unknown"}
        ``"unknown"`` when gait neither measured it nor was told.
    basis : str
        What the status rests on (the measured or stated value), or what to ask.
    evidence : Statement
        The criterion with its sources; unverified clinician criteria say so.
    """

    key: str
    question: str
    status: CheckStatus
    basis: str
    evidence: Statement

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "key": self.key,
            "question": self.question,
            "status": self.status,
            "basis": self.basis,
            "evidence": self.evidence.to_dict(),
        }


def _status(ok: bool | None) -> CheckStatus:
    return "unknown" if ok is None else ("met" if ok else "not met")


def return_to_run_checklist(
    *,
    cadence_spm: float | None = None,
    belt_speed_ms: float | None = None,
    step_time_asymmetry_pct: float | None = None,
    weekly_distance_km: float | None = None,
    pain_0_10: float | None = None,
    pain_settled_next_morning: bool | None = None,
    two_week_distance_increase_pct: float | None = None,
    strength_sessions_per_week: int | None = None,
    single_leg_hops_pain_free: bool | None = None,
    jump_programme_completed: bool | None = None,
) -> list[ChecklistItem]:
    """Return-to-run readiness checklist from ``return-to-run.md`` and §5 of the evidence.

    Parameters
    ----------
    cadence_spm : float, optional
        Measured cadence, steps per minute.
    belt_speed_ms : float, optional
        Belt speed of the filmed run, m/s.
    step_time_asymmetry_pct : float, optional
        Measured step-time symmetry index, %.
    weekly_distance_km : float, optional
        Stated current weekly running distance, km.
    pain_0_10 : float, optional
        Stated pain during running on a 0-10 scale.
    pain_settled_next_morning : bool, optional
        Stated: pain after running settles by the next morning.
    two_week_distance_increase_pct : float, optional
        Stated increase of running distance over the last two weeks, %.
    strength_sessions_per_week : int, optional
        Stated heavy strength sessions per week.
    single_leg_hops_pain_free : bool, optional
        Stated: 3 sets of 30 s single-leg hops done pain-free.
    jump_programme_completed : bool, optional
        Stated: a progressive jump (plyometric) programme completed.

    Returns
    -------
    list of ChecklistItem
        Items gait can fill are "met"/"not met"; the rest are "unknown" and
        worded as questions. Clinician criteria without a primary source are
        labelled unverified in their evidence statement.

    Raises
    ------
    InvalidOptionError
        For out-of-range values (e.g. pain outside 0-10, negative distance).
    """
    _check_positive("cadence_spm", cadence_spm, _MAX_CADENCE_SPM, "steps/min")
    _check_positive("belt_speed_ms", belt_speed_ms, _MAX_BELT_SPEED_MS, "m/s")
    if pain_0_10 is not None and not (0 <= pain_0_10 <= 10):
        raise InvalidOptionError(f"pain_0_10 must be between 0 and 10; got {pain_0_10!r}.")
    for name, v in (
        ("weekly_distance_km", weekly_distance_km),
        ("step_time_asymmetry_pct", step_time_asymmetry_pct),
        ("strength_sessions_per_week", strength_sessions_per_week),
    ):
        if v is not None and not (math.isfinite(v) and v >= 0):
            raise InvalidOptionError(f"{name} must be a number >= 0; got {v!r}.")
    if two_week_distance_increase_pct is not None and not math.isfinite(two_week_distance_increase_pct):
        raise InvalidOptionError(
            f"two_week_distance_increase_pct must be finite; got {two_week_distance_increase_pct!r}."
        )

    items: list[ChecklistItem] = []

    # Pain-free weekly distance (clinician criterion, unverified).
    if weekly_distance_km is not None and weekly_distance_km < WEEKLY_DISTANCE_KM:
        ok, basis = False, f"stated {_fmt(weekly_distance_km)} km a week"
    elif weekly_distance_km is not None and pain_0_10 is not None:
        ok = pain_0_10 == 0
        basis = f"stated {_fmt(weekly_distance_km)} km a week with pain {_fmt(pain_0_10)}/10"
    else:
        ok, basis = None, "ask: weekly distance and pain while running"
    items.append(
        ChecklistItem(
            "weekly_distance",
            "Running at least 16 km (10 miles) a week without pain before race-specific training?",
            _status(ok),
            basis,
            statement("rtr.weekly_distance_unverified"),
        )
    )

    # Progression.
    inc = two_week_distance_increase_pct
    items.append(
        ChecklistItem(
            "progression",
            "Has running distance grown by no more than about 30% over the last two weeks?",
            _status(None if inc is None else inc <= MAX_TWO_WEEK_INCREASE_PCT),
            "ask: distance now versus two weeks ago" if inc is None else f"stated +{_fmt(inc)}% over two weeks",
            _sd(
                "Jumps above about 30% over two weeks went with more distance-related injuries; "
                "the 10% weekly rule is a convention without trial support.",
                "rtr.ten_percent_rule",
                "rtr.progression",
            ),
        )
    )

    # Pain monitoring.
    if (pain_0_10 is not None and pain_0_10 > PAIN_LIMIT_0_10) or pain_settled_next_morning is False:
        ok = False
    elif pain_0_10 is not None and pain_settled_next_morning is True:
        ok = True
    else:
        ok = None
    parts = []
    if pain_0_10 is not None:
        parts.append(f"stated pain {_fmt(pain_0_10)}/10 while running")
    if pain_settled_next_morning is not None:
        parts.append("settles by next morning" if pain_settled_next_morning else "does not settle by next morning")
    items.append(
        ChecklistItem(
            "pain_response",
            "Is pain while running at most 5/10, and has it settled by the next morning?",
            _status(ok),
            "; ".join(parts) if parts else "ask: pain while running and the next morning",
            statement("rtr.pain_monitoring_secondary"),
        )
    )

    # Strength.
    s = strength_sessions_per_week
    items.append(
        ChecklistItem(
            "strength",
            "Heavy resistance strength training at least 2 times a week?",
            _status(None if s is None else s >= MIN_STRENGTH_SESSIONS_PER_WEEK),
            "ask: strength sessions a week and loads" if s is None else f"stated {s} sessions a week",
            statement("rtr.strength_unverified"),
        )
    )

    # Hops and jump programme.
    items.append(
        ChecklistItem(
            "single_leg_hops",
            "Can the runner do 3 sets of 30-second single-leg hops on each leg without pain?",
            _status(single_leg_hops_pain_free),
            "ask" if single_leg_hops_pain_free is None else "stated",
            statement("rtr.hops_unverified"),
        )
    )
    items.append(
        ChecklistItem(
            "jump_programme",
            "Has a progressive jump (plyometric) programme been completed?",
            _status(jump_programme_completed),
            "ask" if jump_programme_completed is None else "stated",
            statement("rtr.hops_unverified"),
        )
    )

    # Measured: stride symmetry.
    a = step_time_asymmetry_pct
    items.append(
        ChecklistItem(
            "stride_symmetry",
            "Is there no marked left/right difference in step time (symmetry index at most 10%)?",
            _status(None if a is None else a <= ASYMMETRY_MARKED_SI_PCT),
            "not measured" if a is None else f"measured {_fmt(a)}% symmetry index",
            _sd(
                "Above 10% is marked, but asymmetry is not by itself an injury predictor; read it "
                "with the injured side and symptoms, and see the physical therapist if a noticed "
                "stride change persists.",
                "asymmetry.bands",
                "asymmetry.not_predictor",
                "rtr.stride_change_unverified",
            ),
        )
    )

    # Measured: baseline at a known speed.
    have_baseline = cadence_spm is not None and belt_speed_ms is not None
    items.append(
        ChecklistItem(
            "baseline_at_speed",
            "Is a baseline cadence recorded at the runner's usual speed (on a treadmill, belt "
            "speed), so later sessions can be compared at the same speed?",
            "met" if have_baseline else "unknown",
            (
                f"measured {_fmt(cadence_spm)} steps/min at {_fmt(belt_speed_ms, 2)} m/s"
                if have_baseline
                else "cadence and belt speed both needed"
            ),
            statement("load.petersen_same_speed"),
        )
    )

    # Questions only.
    for key, question, claim in (
        ("warm_up", "Is there a dynamic warm-up tailored to the runner's own mobility and strength deficits?",
         "rtr.warm_up_unverified"),
        ("graded_plan", "Is there a run-walk plan on one soft, even surface, with strength and mobility work kept up?",
         "rtr.surface_unverified"),
        ("bone_stress", "If returning from a bone stress injury: are bony tenderness gone, walking pain-free, "
         "healing confirmed where needed, and strength and hop tests passed?", "rtr.bone_stress"),
        ("acl", "If returning after ACL reconstruction: are full range of motion, no swelling, little or no pain, "
         "and strength and hop symmetry criteria met?", "rtr.acl_criteria_secondary"),
    ):
        items.append(ChecklistItem(key, question, "unknown", "ask", statement(claim)))
    return items


def listening_rules() -> list[Statement]:
    """The 'listen to your body' rules for the report, each with its sources.

    Returns
    -------
    list of Statement
        Pain-monitoring model, 24-48 h rules, when not to progress, progression
        size and noticed stride changes. Secondary and unverified items say so
        in their text.
    """
    return [
        statement("rtr.pain_monitoring_secondary"),
        statement("rtr.symptoms_no_progress"),
        statement("rtr.pain_24h_secondary"),
        statement("rtr.soreness_unverified"),
        statement("rtr.progression"),
        statement("rtr.stride_change_unverified"),
        statement("rtr.walk_run"),
    ]
