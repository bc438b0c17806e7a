"""The upload form's text fields: numbers, units and ranges."""

from __future__ import annotations

import shutil

import pytest

from gait.errors import InvalidOptionError
from gait.web.forms import parse_upload_form
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
