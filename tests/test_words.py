"""Each user-facing definition is written once (scrutiny.core.words, scrutiny.rate.methodology)
and the Methodology page, the other pages and the meeting pack all render that one text."""
import importlib
import re

import pypdf
import pytest
from streamlit.testing.v1 import AppTest

from scrutiny.core import words
from scrutiny.core.paths import REPO_ROOT
from scrutiny.core.words import Items, Section
from scrutiny.rate import methodology, rag, spc


def normalise(text: str) -> str:
    # The pack breaks lines only at real hyphens (WeasyPrint does not hyphenate): a line that ends in
    # one goes on with the same word ("Safety-and-" / "Quality").
    return re.sub(r"\s+", " ", re.sub(r"(\w-)\n(\w)", r"\1\2", text.replace("\u00a0", " "))).strip()


def every_text() -> list[str]:
    """Every paragraph and list item of the methodology, and the rating rules."""
    texts = [methodology.INTRO, methodology.RULES_INTRO, words.RATINGS_STORED]
    for section in methodology.SECTIONS:
        for block in section.blocks:
            texts.extend(block.items if isinstance(block, Items) else [block])
    return texts + [rule for _, rule in rag.RULES_IN_WORDS]


@pytest.fixture(scope="module")
def pack_text(pack_without_browser) -> str:
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(pack_without_browser[1]).pages)
    # Each page's running footer falls inside a paragraph that crosses a page break: take it out.
    return normalise(re.sub(r"Meeting pack, [A-Z][a-z]+ \d{4}\s*Page \d+ of \d+", " ", text))


@pytest.fixture(scope="module")
def methodology_page(demo_db):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SCRUTINY_DB", str(demo_db))
        at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60)
        at.run()
        at.switch_page("pages/methodology.py").run()
    assert not at.exception
    return at


@pytest.mark.slow  # reads the meeting pack (pack_without_browser), about 10 s to make, shared with slow tests only
def test_the_pack_has_every_methodology_paragraph_and_rule_word_for_word(pack_text):
    for text in every_text():
        assert normalise(words.as_plain(text)) in pack_text


@pytest.mark.slow  # reads the meeting pack (pack_without_browser), about 10 s to make, shared with slow tests only
def test_the_pack_has_the_notable_definition_and_the_demo_notice(pack_text):
    assert normalise(words.as_plain(words.NOTABLE)) in pack_text
    assert normalise(words.as_plain(words.DEMO_NOTICE)) in pack_text


def test_the_methodology_page_renders_the_same_sections(methodology_page):
    shown = [m.value for m in methodology_page.markdown]
    headers = [h.value for h in methodology_page.header]
    for section in methodology.SECTIONS:
        assert section.heading in headers
        assert words.as_markdown(section) in shown
    assert methodology.INTRO in shown and words.RATINGS_STORED in shown
    for name, rule in rag.RULES_IN_WORDS:
        assert any(m.startswith(f"- **{rag.STYLES[name.lower()].icon} {name}") and m.endswith(rule) for m in shown)


def test_overview_and_areas_give_the_one_notable_definition(app):
    at = app(month="2024-01")
    at.run()
    assert any(words.NOTABLE in c.value for c in at.caption)
    assert words.DEMO_NOTICE in [i.value for i in at.info]
    at.switch_page("pages/areas.py").run()
    assert any(c.value.endswith(words.NOTABLE) for c in at.caption)
    assert "Z" not in at.dataframe[0].value.columns  # the test statistic is for analysts (in the CSV)


def test_fewer_than_min_points_follows_the_engines_constant(monkeypatch):
    monkeypatch.setattr(spc, "MIN_POINTS", 20)
    try:
        importlib.reload(rag)
        importlib.reload(methodology)
        assert rag.RULES_IN_WORDS[0] == ("Not rated", "fewer than 20 months of figures: too few to tell a real "
                                                      "change from chance.")
        assert "**fewer than 20 months of figures**" in words.as_markdown(methodology.NORMAL_RANGE)
    finally:
        monkeypatch.undo()
        importlib.reload(rag)
        importlib.reload(methodology)
    assert rag.RULES_IN_WORDS[0][1].startswith("fewer than 13 months")


# Phrases of each definition: a second copy anywhere in the package or the pages is a copy that can drift.
DEFINITION_PHRASES = ["1 time in 20", "synthetic, calibrated to published", "fewer than 13", "Z = 2",
                      "\u221anow", "is where a measure's figures usually fall", "pattern in the figures that is unlikely"]


def test_no_definition_is_written_outside_the_words_modules():
    sources = [*REPO_ROOT.glob("pages/*.py"), REPO_ROOT / "ui.py", *REPO_ROOT.glob("scrutiny/**/*.py")]
    allowed = {REPO_ROOT / "scrutiny/core/words.py", REPO_ROOT / "scrutiny/rate/methodology.py"}
    copies = [(path.relative_to(REPO_ROOT).as_posix(), phrase) for path in sources if path not in allowed
              for phrase in DEFINITION_PHRASES if phrase in path.read_text().encode().decode("unicode_escape", "ignore")]
    assert copies == []


def test_markup_becomes_pdf_html_and_plain_text():
    text = "A **notable** change & an *improvement* <here>"
    assert words.as_html(text) == "A <b>notable</b> change &amp; an <i>improvement</i> &lt;here&gt;"
    assert words.as_plain(text) == "A notable change & an improvement <here>"


def test_a_section_becomes_markdown_paragraphs_and_lists():
    section = Section("Heading", ("First.", Items(("a", "b")), Items(("one", "two"), numbered=True)))
    assert words.as_markdown(section) == "First.\n\n- a\n- b\n\n1. one\n2. two"
