"""Printed numbers never show a negative zero ("-0.0 %" for a perfectly symmetric runner)."""

from __future__ import annotations

import pytest

from gait.history.compare_report import _fmt as compare_number
from gait.history.text import _fmt as history_number
from gait.number_text import fixed
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
    assert num(-0.06, 1) == "-0.1" and history_number(-0.06, 1, signed=True) == "-0.1"
    assert compare_number(-0.06, 1) == "−0.1" and fixed(-0.06, 2, signed=True) == "-0.06"
