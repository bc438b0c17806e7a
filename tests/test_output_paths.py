"""Output destinations: checked before any work, replaced atomically."""

from __future__ import annotations

import pytest
from unwritable import unwritable_folder

from gait.errors import InvalidOptionError
from gait.output_paths import check_writable_file, check_writable_folder, replacing


def test_writable_destinations_pass(tmp_path):
    check_writable_folder(tmp_path / "new" / "deeper", "-o")
    check_writable_file(tmp_path / "new" / "x.json", "-o")
    (tmp_path / "x.json").write_text("{}")
    check_writable_file(tmp_path / "x.json", "-o")  # whether to replace it is the caller's call
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.json"]  # nothing was created


def test_a_file_in_the_way_is_named(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(InvalidOptionError, match=f"^{afile}: is a file, not a folder; "
                                                 "choose another -o$"):
        check_writable_folder(afile, "-o")
    with pytest.raises(InvalidOptionError, match=f"^{afile / 'x.png'}: {afile} is a file"):
        check_writable_file(afile / "x.png", "--figure")
    with pytest.raises(InvalidOptionError, match=f"{afile} is a file"):
        check_writable_folder(afile / "a" / "b", "-o")


def test_a_folder_is_not_a_file(tmp_path):
    with pytest.raises(InvalidOptionError, match=f"^{tmp_path}: is a folder, not a file"):
        check_writable_file(tmp_path, "--figure")


def test_an_unwritable_folder_is_named(tmp_path):
    with unwritable_folder(tmp_path / "ro") as ro:
        with pytest.raises(InvalidOptionError, match=f"folder {ro} is not writable"):
            check_writable_file(ro / "x.png", "--figure")
        with pytest.raises(InvalidOptionError, match=f"folder {ro} is not writable"):
            check_writable_folder(ro / "new", "-o")


@pytest.mark.parametrize("error", [KeyboardInterrupt, OSError])
def test_replacing_keeps_the_earlier_file_and_no_temporary_file_on_failure(error, tmp_path):
    path = tmp_path / "x.json"
    path.write_text("earlier")
    with pytest.raises(error), replacing(path) as tmp:
        tmp.write_text("half")
        raise error
    assert path.read_text() == "earlier" and sorted(tmp_path.iterdir()) == [path]
    with replacing(path) as tmp:
        tmp.write_text("new")
    assert path.read_text() == "new" and sorted(tmp_path.iterdir()) == [path]


def test_files_being_replaced_are_not_offered_by_the_web_app(tmp_path):
    from gait.output_paths import is_temporary
    from gait.web.present import list_outputs

    (tmp_path / "report.pdf").write_bytes(b"%PDF done")
    with replacing(tmp_path / "report.pdf") as tmp:
        tmp.write_bytes(b"%PDF half")
        assert is_temporary(tmp) and tmp.suffix == ".pdf"
        assert list_outputs(tmp_path).all == {"report.pdf"}
    assert not is_temporary(tmp_path / "report.pdf")
    assert not is_temporary(tmp_path / "my.tmpl.json")
