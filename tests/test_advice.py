"""Cadence prescription, form findings and return-to-run checklist."""

from __future__ import annotations

import json
import math
import re

import pytest

from gait.advice import (
    METRICS,
    Measurement,
    cadence_prescription,
    form_findings,
    high_cadence_threshold_spm,
    listening_rules,
    per_km_change_pct,
    return_to_run_checklist,
    step_length_m,
)
from gait.errors import InvalidOptionError
from gait.evidence import CLAIMS, Statement

NUMBER = re.compile(r"\d+(?:\.\d+)?")
UNIT_CONSTANTS = {60.0, 1000.0}  # s per min and m per km in stated formulas


def _numbers(text: str) -> set[float]:
    return {float(x) for x in NUMBER.findall(text)}


def _claim_numbers(s: Statement) -> set[float]:
    return {float(x) for key in s.claims for x in CLAIMS[key].numbers}


def _assert_numbers_are_cited(statements, runner_numbers: set[float]) -> None:
    """Every number in a statement is a runner-specific value or stated by one of its claims."""
    for s in statements:
        assert s.claims and s.sources, s.text
        loose = _numbers(s.text) - _claim_numbers(s) - runner_numbers - UNIT_CONSTANTS
        assert not loose, f"uncited numbers {sorted(loose)} in: {s.text}"


def _runner_numbers(*values: float | None) -> set[float]:
    out = set()
    for v in values:
        if v is None:
            continue
        for digits in (0, 1, 2):
            out.add(round(float(v), digits))
    return out


# --------------------------------------------------------------------------------------------
# arithmetic
# --------------------------------------------------------------------------------------------


def test_worked_example_from_the_evidence_file():
    """3.0 m/s at 165 spm: 1.09 m and ~917 steps/km; +10% -> 181.5 spm, 0.99 m, ~1008 steps/km."""
    p = cadence_prescription(165.0, belt_speed_ms=3.0, increases_pct=(10.0,))
    assert p.step_length_m == pytest.approx(3.0 * 60 / 165)
    assert round(p.step_length_m, 2) == 1.09
    assert round(p.steps_per_km) == 917
    (t,) = p.targets
    assert t.target_spm == 181.5
    assert t.metronome_bpm == t.target_spm  # one click per step
    assert round(t.step_length_m, 2) == 0.99
    assert round(t.steps_per_km) == 1008
    assert t.steps_per_km / p.steps_per_km == pytest.approx(1.10)
    assert t.steps_per_km_change_pct == pytest.approx(10.0)


def test_step_length_identity():
    assert step_length_m(3.5, 175.0) == pytest.approx(1.2)
    assert step_length_m(2.5, 150.0) == pytest.approx(1.0)


def test_per_km_trade_off():
    assert per_km_change_pct(-14.0, 10.0) == pytest.approx(-5.4)
    assert per_km_change_pct(-26.9, 8.6) == pytest.approx(-20.6, abs=0.05)
    assert per_km_change_pct(0.0, 10.0) == pytest.approx(10.0)  # same load per step: 10% more per km
    assert per_km_change_pct(-10.0, 0.0) == pytest.approx(-10.0)


def test_targets_are_rounded_to_half_a_step_per_minute():
    p = cadence_prescription(168.0, increases_pct=(5.0, 7.5, 10.0))
    exact = [168 * 1.05, 168 * 1.075, 168 * 1.10]
    for t, x in zip(p.targets, exact):
        assert (t.target_spm * 2) == int(t.target_spm * 2)
        assert abs(t.target_spm - x) <= 0.25
    assert [t.increase_pct for t in p.targets] == [5.0, 7.5, 10.0]


def test_without_belt_speed_lengths_are_none_but_step_change_is_known():
    p = cadence_prescription(160.0)
    assert p.step_length_m is None and p.steps_per_km is None
    for t in p.targets:
        assert t.step_length_m is None and t.steps_per_km is None
        assert t.steps_per_km_change_pct == pytest.approx(t.target_spm / 160.0 * 100 - 100)
    assert "unknown" in p.summary.text


def test_an_estimated_speed_sets_the_threshold_only_without_a_belt_speed():
    """180 steps/min is already high at the 2.98 m/s assumed without a speed, not at an
    estimated 3.6 m/s; a belt speed, when given, is the one used."""
    assumed = cadence_prescription(180.0)
    estimated = cadence_prescription(180.0, estimated_speed_ms=3.6)
    belt = cadence_prescription(180.0, belt_speed_ms=2.5, estimated_speed_ms=3.6)
    assert assumed.already_high and not estimated.already_high and belt.already_high
    assert estimated.high_cadence_threshold_spm == pytest.approx(high_cadence_threshold_spm(3.6))
    assert belt.high_cadence_threshold_spm == pytest.approx(high_cadence_threshold_spm(2.5))
    assert "about 3.6 m/s, the speed estimated" in estimated.summary.text
    assert estimated.step_length_m is None  # lengths still need the belt speed


# --------------------------------------------------------------------------------------------
# evidence attached to the prescription
# --------------------------------------------------------------------------------------------


def test_load_effects_per_target_carry_their_sources():
    p = cadence_prescription(165.0, belt_speed_ms=3.0)
    by_inc = {t.increase_pct: t for t in p.targets}

    ten = {(e.basis, e.measure): e for e in by_inc[10.0].load_effects}
    pfj_step = ten[("per step", "peak patellofemoral joint force")]
    pfj_km = ten[("per km", "peak patellofemoral joint force, summed")]
    assert pfj_step.change_pct == -14.0 and "lenhart2014" in pfj_step.statement.sources
    assert pfj_km.change_pct == pytest.approx(round(per_km_change_pct(-14.0, 10.0), 1))
    assert pfj_km.statement.grade == "D" and pfj_km.formula

    willy = [e for e in by_inc[7.5].load_effects if e.basis == "per km"]
    assert willy and willy[0].change_pct == -21.1 and willy[0].studied_increase_pct == 8.6
    assert "willy2016" in willy[0].statement.sources

    five = by_inc[5.0].load_effects
    assert any("heiderscheit2011" in e.statement.sources and e.change_pct is None for e in five)
    # The −20% size exists only in a secondary source and must be graded so.
    sized = [e for e in five if e.change_pct is not None]
    assert sized and all(e.statement.grade == "S" for e in sized)
    assert all("secondary source" in e.statement.text.lower() for e in sized)


def test_every_number_in_the_prescription_is_cited_or_the_runners_own():
    for cadence, speed in ((165.0, 3.0), (182.0, 3.0), (171.0, None), (158.0, 2.5)):
        p = cadence_prescription(cadence, belt_speed_ms=speed, increases_pct=(5.0, 6.0, 7.5, 10.0, 12.0))
        runner = _runner_numbers(
            cadence, speed, p.step_length_m, p.steps_per_km, p.high_cadence_threshold_spm, 2.98, 178
        )
        for t in p.targets:
            runner |= _runner_numbers(t.increase_pct, t.target_spm, t.step_length_m, t.steps_per_km)
        runner |= {5.0, 7.5, 10.0}  # studied increases named in "nearest studied" notes
        _assert_numbers_are_cited(p.statements(), runner)
        assert all(e.statement.claims for t in p.targets for e in t.load_effects)


def test_plan_says_one_click_per_step_and_uses_faded_feedback_templates():
    p = cadence_prescription(165.0, belt_speed_ms=3.0)
    text = " ".join(s.text for s in p.plan)
    assert "one click per step" in text
    assert "181.5" in text and "173.5" in text
    cited = {c for s in p.plan for c in s.claims}
    assert {"retraining.willy2012_template", "retraining.davis2020_faded", "retraining.bramah2019"} <= cited


def test_ask_first_covers_every_section_1_8_case_as_questions():
    p = cadence_prescription(165.0, belt_speed_ms=3.0)
    caution = {k for k, c in CLAIMS.items() if c.section == "1.8"}
    cited = {c for s in p.ask_first for c in s.claims}
    assert caution <= cited
    assert all("?" in s.text for s in p.ask_first)


def test_already_high_cadence_is_not_prescribed_blindly():
    threshold = high_cadence_threshold_spm(3.0)
    assert threshold == pytest.approx(178 + 8 * (3.0 - 2.98))
    high = cadence_prescription(threshold + 4, belt_speed_ms=3.0)
    assert high.already_high
    assert "caution.already_high" in high.summary.claims
    assert "may bring little" in high.summary.text and "not a prescription" in high.summary.text
    low = cadence_prescription(threshold - 10, belt_speed_ms=3.0)
    assert not low.already_high
    assert "caution.already_high" not in low.summary.claims


def test_already_high_depends_on_speed():
    # 182 spm is high at 2.7 m/s but ordinary at 4.2 m/s (cadence rises with speed).
    assert cadence_prescription(182.0, belt_speed_ms=2.7).already_high
    assert not cadence_prescription(182.0, belt_speed_ms=4.2).already_high
    assert high_cadence_threshold_spm(4.2) > high_cadence_threshold_spm(2.7)
    assert high_cadence_threshold_spm(None) == 178.0
    assert cadence_prescription(178.0).already_high


def test_unstudied_and_large_increases_get_caveats():
    p = cadence_prescription(160.0, increases_pct=(6.0, 12.0))
    six, twelve = p.targets
    assert any("exactly +6%" in n.text for n in six.notes)
    assert any("step_rate.above_10_secondary" in n.claims for n in twelve.notes)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"cadence_spm": 0.0},
        {"cadence_spm": -170.0},
        {"cadence_spm": 400.0},
        {"cadence_spm": math.nan},
        {"cadence_spm": 170.0, "belt_speed_ms": 0.0},
        {"cadence_spm": 170.0, "belt_speed_ms": 30.0},
        {"cadence_spm": 170.0, "increases_pct": ()},
        {"cadence_spm": 170.0, "increases_pct": (0.0,)},
        {"cadence_spm": 170.0, "increases_pct": (20.0,)},
        {"cadence_spm": 290.0, "increases_pct": (10.0,)},
    ],
)
def test_invalid_prescription_options_raise(kwargs):
    cadence = kwargs.pop("cadence_spm")
    with pytest.raises(InvalidOptionError):
        cadence_prescription(cadence, **kwargs)


def test_prescription_to_dict_is_json():
    d = json.loads(json.dumps(cadence_prescription(165.0, belt_speed_ms=3.0).to_dict()))
    assert d["targets"][2]["target_spm"] == 181.5
    assert d["targets"][2]["load_effects"][0]["statement"]["citations"]


# --------------------------------------------------------------------------------------------
# form findings
# --------------------------------------------------------------------------------------------


def _one(metric: str, m, **kw):
    (f,) = form_findings({metric: m}, **kw)
    return f


def test_difference_smaller_than_detectable_change_is_not_a_finding():
    # Contact-time reference 271-284 ms: 290 ms is 6 ms out.
    assert _one("contact_time_ms", Measurement(290.0, detectable_change=10.0)).status == "within range"
    assert _one("contact_time_ms", Measurement(290.0, detectable_change=2.0)).status == "outside range"
    # Knee flexion at contact, reference ~21°: the literature SDD (3.8°) is a floor even if the
    # caller claims a smaller detectable change.
    f = _one("knee_flexion_ic_deg", Measurement(18.0, detectable_change=1.0, n_steps=10))
    assert f.status == "within range" and f.detectable_change_used == 3.8
    assert "less than the measurement can detect" in f.meaning[0].text
    f = _one("knee_flexion_ic_deg", Measurement(14.0, detectable_change=1.0, n_steps=10))
    assert f.status == "outside range" and "bramah2018" in f.sources
    # Asymmetry: 5% SI is above the 3% band, but not by more than a 3-point detectable change.
    assert _one("step_time_si_pct", Measurement(5.0, detectable_change=3.0)).status == "within range"
    assert _one("step_time_si_pct", Measurement(5.0, detectable_change=1.0)).status == "watch"
    assert _one("step_time_si_pct", Measurement(12.0, detectable_change=1.0)).status == "outside range"
    assert _one("step_time_si_pct", Measurement(12.0, detectable_change=3.0)).status == "watch"
    # Cadence: 164 spm is under 166 by less than a 3 spm error.
    assert _one("cadence_spm", Measurement(164.0, detectable_change=3.0)).status == "within range"
    assert _one("cadence_spm", Measurement(160.0, detectable_change=3.0)).status == "watch"


def test_angles_need_seven_steps_per_side():
    for metric in ("knee_flexion_ic_deg", "peak_knee_flexion_stance_deg", "shin_angle_ic_deg", "trunk_lean_deg"):
        f = _one(metric, Measurement(30.0, n_steps=6))
        assert f.status == "not assessed" and "too few steps" in f.meaning[0].text
        assert "dingenen2018" in f.sources
        assert _one(metric, Measurement(30.0, n_steps=7)).status != "not assessed" or metric == "trunk_lean_deg"
    f = _one("foot_strike", Measurement("rearfoot", n_steps=3))
    assert f.status == "not assessed"


def test_asymmetry_is_never_presented_as_an_injury_predictor():
    for metric in ("step_time_si_pct", "contact_time_si_pct", "step_length_si_pct"):
        for value in (1.0, 6.0, 20.0):
            f = _one(metric, Measurement(value, detectable_change=0.5))
            assert "malisoux2024" in f.sources
            text = " ".join(s.text for s in f.statements()).lower()
            assert "not, by itself, an injury predictor" in text


def test_overstride_is_descriptive_and_shin_angle_only_an_unverified_heuristic():
    for metric in ("overstride_cm", "overstride_pct_leg"):
        f = _one(metric, Measurement(25.0, n_steps=10))
        assert f.status == "not assessed" and f.reference is None
        assert "overstride.no_cutoff" in {c for s in f.meaning for c in s.claims}
        assert "souza2016" in f.sources
    shin = _one("shin_angle_ic_deg", Measurement(18.0, detectable_change=1.0, n_steps=10))
    assert shin.status == "watch"  # never "outside range": there is no validated cut-off
    assert shin.meaning[0].grade == "U" and "unverified" in shin.meaning[0].text
    assert "unverified" in shin.reference.text
    assert _one("shin_angle_ic_deg", Measurement(12.0, n_steps=10)).status == "within range"  # within 4.8° SDD


def test_contact_timing_needs_a_high_frame_rate():
    m = {"contact_time_ms": 250.0, "duty_factor_pct": 40.0, "cadence_spm": 170.0, "contact_time_si_pct": 2.0}
    low = {f.metric: f for f in form_findings(m, frame_rate_hz=30.0)}
    assert low["contact_time_ms"].status == "not assessed"
    assert low["duty_factor_pct"].status == "not assessed"
    assert low["contact_time_si_pct"].status == "not assessed"
    assert "ismj_framerate" in low["contact_time_ms"].sources
    assert low["cadence_spm"].status == "within range"
    high = {f.metric: f for f in form_findings(m, frame_rate_hz=240.0)}
    assert high["contact_time_ms"].status == "outside range"
    assert "vanhooren2024" in high["contact_time_ms"].sources  # not an economy target


def test_all_metrics_covered_and_numbers_cited():
    metrics = {
        "cadence_spm": Measurement(158.0, detectable_change=1.0, n_steps=40),
        "contact_time_ms": Measurement(300.0, detectable_change=8.0, n_steps=40),
        "duty_factor_pct": Measurement(42.0, detectable_change=1.0),
        "vertical_oscillation_cm": Measurement(17.0, detectable_change=0.5, spread=1.0),
        "overstride_cm": Measurement(22.0, detectable_change=3.0, n_steps=12),
        "overstride_pct_leg": Measurement(25.0, detectable_change=3.0, n_steps=12),
        "shin_angle_ic_deg": Measurement(17.0, detectable_change=2.0, n_steps=12),
        "knee_flexion_ic_deg": Measurement(12.0, detectable_change=2.0, n_steps=12),
        "peak_knee_flexion_stance_deg": Measurement(45.0, detectable_change=2.0, n_steps=12),
        "trunk_lean_deg": Measurement(9.0, detectable_change=2.0, n_steps=12),
        "foot_strike": Measurement("rearfoot", n_steps=12),
        "step_time_si_pct": Measurement(4.0, detectable_change=0.5),
        "contact_time_si_pct": Measurement(11.0, detectable_change=0.5),
        "step_length_si_pct": Measurement(1.0, detectable_change=0.5),
    }
    assert set(metrics) == set(METRICS)
    findings = form_findings(metrics, frame_rate_hz=240.0)
    assert [f.metric for f in findings] == list(METRICS)
    runner = _runner_numbers(*(m.value for m in metrics.values() if not isinstance(m.value, str)), 240)
    for f in findings:
        assert f.sources, f.metric
        assert f.meaning
        _assert_numbers_are_cited(f.statements(), runner)
    status = {f.metric: f.status for f in findings}
    assert status["peak_knee_flexion_stance_deg"] == "outside range"
    assert status["vertical_oscillation_cm"] == "outside range"
    assert status["step_length_si_pct"] == "within range"
    assert status["trunk_lean_deg"] == "not assessed"
    json.dumps([f.to_dict() for f in findings])


def test_bare_values_are_accepted_and_bad_input_rejected():
    assert _one("cadence_spm", 175.0).status == "within range"
    with pytest.raises(InvalidOptionError):
        form_findings({"cadance_spm": 170.0})
    with pytest.raises(InvalidOptionError):
        form_findings({"foot_strike": "toes"})
    with pytest.raises(InvalidOptionError):
        form_findings({"cadence_spm": math.nan})
    with pytest.raises(InvalidOptionError):
        form_findings({"cadence_spm": Measurement(170.0, detectable_change=-1.0)})
    with pytest.raises(InvalidOptionError):
        form_findings({"cadence_spm": 170.0}, frame_rate_hz=0.0)
    with pytest.raises(TypeError):
        Measurement(170.0, 2.0)  # options are keyword-only


# --------------------------------------------------------------------------------------------
# return to run
# --------------------------------------------------------------------------------------------


def test_checklist_fills_what_it_knows_and_asks_the_rest():
    items = {i.key: i for i in return_to_run_checklist()}
    assert all(i.status == "unknown" for i in items.values())
    assert {"weekly_distance", "progression", "pain_response", "strength", "single_leg_hops",
            "jump_programme", "stride_symmetry", "baseline_at_speed", "warm_up", "bone_stress"} <= set(items)

    items = {
        i.key: i
        for i in return_to_run_checklist(
            cadence_spm=170.0,
            belt_speed_ms=3.0,
            step_time_asymmetry_pct=12.0,
            weekly_distance_km=20.0,
            pain_0_10=0.0,
            pain_settled_next_morning=True,
            two_week_distance_increase_pct=45.0,
            strength_sessions_per_week=3,
            single_leg_hops_pain_free=False,
        )
    }
    assert items["weekly_distance"].status == "met"
    assert items["pain_response"].status == "met"
    assert items["progression"].status == "not met"
    assert items["strength"].status == "met"
    assert items["single_leg_hops"].status == "not met"
    assert items["jump_programme"].status == "unknown"
    assert items["stride_symmetry"].status == "not met"
    assert "malisoux2024" in items["stride_symmetry"].evidence.sources
    assert items["baseline_at_speed"].status == "met"
    assert items["warm_up"].status == "unknown"


def test_checklist_rules():
    def status(key, **kw):
        return {i.key: i.status for i in return_to_run_checklist(**kw)}[key]

    assert status("weekly_distance", weekly_distance_km=10.0) == "not met"  # short, pain unknown
    assert status("weekly_distance", weekly_distance_km=20.0) == "unknown"  # pain unknown
    assert status("weekly_distance", weekly_distance_km=20.0, pain_0_10=3.0) == "not met"
    assert status("pain_response", pain_0_10=6.0) == "not met"
    assert status("pain_response", pain_0_10=4.0, pain_settled_next_morning=False) == "not met"
    assert status("pain_response", pain_0_10=4.0, pain_settled_next_morning=True) == "met"
    assert status("progression", two_week_distance_increase_pct=30.0) == "met"
    assert status("stride_symmetry", step_time_asymmetry_pct=9.0) == "met"
    assert status("baseline_at_speed", cadence_spm=170.0) == "unknown"  # speed needed to compare
    with pytest.raises(InvalidOptionError):
        return_to_run_checklist(pain_0_10=11.0)
    with pytest.raises(InvalidOptionError):
        return_to_run_checklist(weekly_distance_km=-5.0)


def test_unverified_clinician_criteria_are_labelled():
    items = {i.key: i for i in return_to_run_checklist()}
    for key in ("weekly_distance", "strength", "single_leg_hops", "warm_up"):
        assert items[key].evidence.grade == "U"
        assert "unverified" in items[key].evidence.text.lower()
    runner = _runner_numbers(16, 10, 30, 5, 2, 3)  # thresholds named in the questions
    for i in items.values():
        _assert_numbers_are_cited([i.evidence], set())
        loose = _numbers(i.question) - _claim_numbers(i.evidence)
        assert not loose, (i.key, loose)
        assert _numbers(i.question) <= runner | _claim_numbers(i.evidence)
    json.dumps([i.to_dict() for i in items.values()])


def test_listening_rules_have_sources_and_labels():
    rules = listening_rules()
    keys = {c for r in rules for c in r.claims}
    assert {"rtr.pain_monitoring_secondary", "rtr.soreness_unverified", "rtr.symptoms_no_progress"} <= keys
    _assert_numbers_are_cited(rules, set())
    for r in rules:
        if r.grade == "S":
            assert "secondary source" in r.text.lower()
        if r.grade == "U":
            assert "unverified" in r.text.lower()
