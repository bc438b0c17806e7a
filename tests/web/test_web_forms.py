"""The upload form's text fields: numbers, units and ranges."""

from __future__ import annotations

import shutil

import pytest

from gait.errors import InvalidOptionError
from gait.web.forms import form_values, parse_upload_form
from gait.web.uploads import check_video


@pytest.mark.parametrize("unit, speed, ms", [("kmh", "1.1", 1.1 / 3.6), ("kmh", "43.2", 12.0),
                                             ("mph", "26.8", 26.8 * 0.44704),
                                             ("mph", "0.7", 0.7 * 0.44704),
                                             ("kmh", "10,5", 10.5 / 3.6)])
def test_belt_speeds_in_range_for_their_unit_are_taken(unit, speed, ms):
    options = parse_upload_form({"belt_speed": speed, "speed_unit": unit}).options
    assert options["belt_speed_ms"] == pytest.approx(ms)


@pytest.mark.parametrize("unit, speed, message", [
    ("kmh", "1", "Belt speed: 1 km/h is outside 1.1-43.2 km/h"),
    ("mph", "43", "Belt speed: 43 mph is outside 0.7-26.8 mph"),
    ("mph", "50", "Belt speed: 50 mph is outside 0.7-26.8 mph"),
])
def test_belt_speed_range_is_checked_in_the_unit_given(unit, speed, message):
    """The analysis takes 0.3-12 m/s; the form says so in the user's unit, not in CLI terms."""
    with pytest.raises(InvalidOptionError) as exc:
        parse_upload_form({"belt_speed": speed, "speed_unit": unit})
    assert str(exc.value) == message


@pytest.mark.parametrize("text", ["1,000", "12,345,678"])
def test_thousands_separators_are_not_read_as_decimals(text):
    with pytest.raises(InvalidOptionError, match="could be read two ways"):
        parse_upload_form({"weekly_distance_km": text})


@pytest.mark.parametrize("text", ["1_0", "1e3", "ten", "10 km", "--5"])
def test_only_plain_decimal_numbers_are_numbers(text):
    with pytest.raises(InvalidOptionError, match="expected a number"):
        parse_upload_form({"weekly_distance_km": text})


def test_capture_rate_beyond_any_camera_is_refused_on_the_form():
    with pytest.raises(InvalidOptionError, match="Capture frame rate: 2000 fps is outside 1-1000"):
        parse_upload_form({"capture_fps": "2000"})
    assert parse_upload_form({"capture_fps": "960"}).options["capture_fps"] == 960.0


def test_a_capture_rate_below_the_clip_names_the_users_file(tiny_video, tmp_path):
    """The upload is stored as video.mp4; the message names the file the user chose."""
    stored = tmp_path / "video.mp4"
    shutil.copy(tiny_video, stored)
    with pytest.raises(InvalidOptionError) as exc:
        check_video(stored, original_name="patient run.mp4", capture_fps=5.0)
    assert "patient run.mp4" in str(exc.value) and "video.mp4" not in str(exc.value)


@pytest.mark.parametrize("fields", [
    {},
    {"belt_speed": "10", "speed_unit": "kmh", "label": "before retraining"},
    {"belt_speed": "6.5", "speed_unit": "mph", "height_cm": "172.5", "view": "side-left"},
    {"capture_fps": "239.76", "weekly_distance_km": "32.5", "pain_0_10": "3",
     "pain_settled_next_morning": "no", "two_week_distance_increase_pct": "-20",
     "strength_sessions_per_week": "2"},
    {"pain_settled_next_morning": "yes", "belt_speed": "43.2"},
    {"region": "0,0.4,1,1", "height_cm": "165"},
    {"region": "0.05,0.45,0.9,1"},  # a region set on the command line
])
def test_the_form_filled_from_a_job_gives_the_same_job_again(fields):
    parsed = parse_upload_form(fields)
    again = parse_upload_form(form_values(parsed))
    assert again.label == parsed.label and again.checklist == parsed.checklist
    assert again.options.keys() == parsed.options.keys()
    for name, value in parsed.options.items():
        assert again.options[name] == (pytest.approx(value, abs=1e-3 / 3.6)
                                       if isinstance(value, float) else value), name


def test_the_refilled_form_reads_as_typed():
    values = form_values(parse_upload_form({"belt_speed": "10", "height_cm": "180",
                                            "pain_settled_next_morning": "yes"}))
    assert values["belt_speed"] == "10" and values["speed_unit"] == "kmh"
    assert values["height_cm"] == "180" and values["pain_settled_next_morning"] == "yes"
    assert values["capture_fps"] == "" and values["view"] == "auto"


def test_the_runners_part_of_the_frame_is_an_analysis_option():
    from gait.pipeline import AnalysisOptions
    from gait.web.forms import REGION_CHOICES, region_choices

    for value, _ in REGION_CHOICES:
        options = parse_upload_form({"region": value}).options
        assert AnalysisOptions(**options).region == (
            None if not value else tuple(float(v) for v in value.split(",")))
    with pytest.raises(InvalidOptionError, match="too small"):
        parse_upload_form({"region": "0,0.95,1,1"})
    assert form_values(parse_upload_form({}))["region"] == ""
    # a region the page does not list (from the command line) is offered again as it was
    assert region_choices("0.05,0.45,0.9,1")[-1] == ("0.05,0.45,0.9,1", "As before: 0.05,0.45,0.9,1")
    assert region_choices("0,0.4,1,1") == REGION_CHOICES

