"""Printed numbers never show a negative zero ("-0.0 %" for a perfectly symmetric runner)."""

from __future__ import annotations

import pytest

from gait.history.compare_report import _fmt as compare_number
from gait.text_table import table_number as history_number
from gait.number_text import MINUS, fixed, typeset
from gait.report.wording import signed
from gait.web.present import num


@pytest.mark.parametrize("value", [-0.04, -0.0, 0.0, 0.04])
def test_values_that_round_to_zero_print_as_zero(value):
    assert signed(value) == "+0.0"
    assert num(value, 1) == "0.0" and num(value, 1, "%", signed=True) == "+0.0 %"
    assert history_number(value, 1) == "0.0" and history_number(value, 1, signed=True) == "+0.0"
    assert compare_number(value, 1, signed=True) == "+0.0"
    assert fixed(value, 1) == "0.0" and fixed(value, 1, signed=True) == "+0.0"


def test_other_values_keep_their_sign():
    assert signed(-0.05) == "−0.1" and signed(0.05) == "+0.1"
    assert num(-0.06, 1) == "−0.1" and history_number(-0.06, 1, signed=True) == "-0.1"
    assert compare_number(-0.06, 1) == "−0.1" and fixed(-0.06, 2, signed=True) == "-0.06"


def test_typeset_outputs_use_a_true_minus_and_plain_text_the_hyphen():
    assert typeset(-3.64, 1) == f"{MINUS}3.6" and typeset(-0.04, 1, signed=True) == "+0.0"
    assert fixed(-3.64, 1) == "-3.6"
    assert num(-3.64, 1, "deg") == f"{MINUS}3.6 deg"  # web pages are typeset


def test_the_text_summary_never_prints_a_negative_zero():
    from dataclasses import replace

    from gait.pipeline import AnalysisOptions, analyze_track
    from gait.summary import format_summary
    from gait.synth import SynthParams, synthetic_track

    result = analyze_track(synthetic_track(SynthParams(duration_s=6.0, fps=60))[0],
                           options=AnalysisOptions(belt_speed_ms=10 / 3.6))
    shin = {**result.asymmetry["shin_angle_deg"], "left": -0.001, "right": -0.004}
    summary = {**result.summary,
               "shin_angle_deg": {**result.summary["shin_angle_deg"], "value": -0.01}}
    text = format_summary(replace(result, asymmetry={**result.asymmetry, "shin_angle_deg": shin},
                                  summary=summary))
    assert "-0.0" not in text
    line = next(t for t in text.splitlines() if t.strip().startswith("Shin angle at contact")
                and " L " in t)
    assert "L    0.0 deg  R    0.0 deg" in line


def test_an_error_below_the_printed_precision_is_not_printed_as_zero():
    """A cadence known to ±0.05 steps/min printed "166.0 0.0" in the terminal, as if exact;
    the report already said "< 0.1". Both now follow `error_text`."""
    from dataclasses import replace

    from gait.number_text import error_text
    from gait.pipeline import AnalysisOptions, analyze_track
    from gait.summary import format_summary
    from gait.synth import SynthParams, synthetic_track

    assert error_text(0.048, 1) == "< 0.1" and error_text(0.05, 1) == "0.1"
    assert error_text(0.0003, 2) == "< 0.01" and error_text(None, 1) == "?"
    result = analyze_track(synthetic_track(SynthParams(duration_s=6.0, fps=60))[0],
                           options=AnalysisOptions(belt_speed_ms=10 / 3.6))
    summary = {**result.summary,
               "cadence_spm": {**result.summary["cadence_spm"], "expected_error": 0.048},
               "trunk_lean_deg": {**result.summary["trunk_lean_deg"], "expected_error": None}}
    lines = format_summary(replace(result, summary=summary)).splitlines()
    cadence = next(t for t in lines if t.startswith("Cadence")).split()
    assert cadence[2:4] == ["<", "0.1"]
    trunk = next(t for t in lines if t.startswith("Trunk lean")).split()
    assert trunk[3] == "—"
