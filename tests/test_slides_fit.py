"""Every slide of the demo fits a chamber's projector, a laptop and a big screen without scrolling
(the measures are in tests/slide_fit.py). Screenshots are kept in tests/artifacts/ (not committed)."""
import pytest

from tests.slide_fit import SLIDE_SCREENS, assert_every_slide_fits

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width, height", SLIDE_SCREENS, ids=[f"{w}x{h}" for w, h in SLIDE_SCREENS])
def test_every_slide_fits_the_screen_without_scrolling(page, server, artifacts, slide_titles, width, height):
    page.set_viewport_size({"width": width, "height": height})
    assert_every_slide_fits(page, server, "2024-01", slide_titles, width, height,
                            str(artifacts / f"present-{width}x{height}-slide-{{number:02d}}.png"))
    assert "Demonstration data." in page.locator("body").inner_text()  # as the slide's foot line
    # Plain labels: the arrow once, as the button's icon, not the key printed again beside the word.
    for key, label in (("slide-previous", "Previous"), ("slide-next", "Next")):
        button = page.locator(f".st-key-{key} button")
        assert button.locator("kbd").count() == 0
        assert button.inner_text().count(label) == 1 and "\u2190" not in button.inner_text() \
            and "\u2192" not in button.inner_text()
