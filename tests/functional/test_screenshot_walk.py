"""`firstresponse screenshots` walks to every screen, so screens/ (shown in the README) has
one picture of each."""

from __future__ import annotations

from firstresponse.tui.screenshot_shots import all_shots
from tests.functional.test_snapshots import BASES, _screen_classes


def test_every_screen_has_a_shot() -> None:
    shots = all_shots()
    assert len({shot.name for shot in shots}) == len(shots), "two shots save the same file"
    classes = _screen_classes() - BASES
    shown = {shot.screen for shot in shots}
    assert classes - shown == set(), "screens with no picture in screens/"
    assert shown - classes == set(), "shots of screens that no longer exist"


def test_the_readme_lists_every_picture() -> None:
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    missing = [shot.name for shot in all_shots() if f"(screens/{shot.name}.svg)" not in readme]
    assert missing == []
