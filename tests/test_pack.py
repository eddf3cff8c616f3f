"""The meeting pack read back as a person (or a search) would read it: its text, its pages, its
contents list; with charts drawn by the installed Chromium, and without a browser."""
import datetime as dt
import re

import duckdb
import pypdf
import pytest

from scrutiny.present import meeting, pack
from scrutiny.rate.rag import STYLES
from scrutiny.core.words import WHY_THEY_CAN_DIFFER
from tests.helpers import ALL_CRIME_JANUARY_2024

JANUARY_2024 = dt.date(2024, 1, 1)
# A contents line: the heading, dot leaders, the page number (pypdf's layout mode keeps the line;
# a long heading may touch its leader).
CONTENTS_LINE = re.compile(r"^\s*(\S.*?)\s*(?:\.\s*){3,}(\d+)\s*$")


def normalise(text: str) -> str:
    """Text as extracted, without line breaks, hyphenation at line ends or doubled spaces."""
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text.replace("\u00a0", " "))
    return re.sub(r"\s+", " ", text).strip()


def make_pack(demo_db, path, **options):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        result = pack.build_pack(meeting.runner(con), JANUARY_2024, path, made_on=dt.date(2024, 2, 20), **options)
    return result, pypdf.PdfReader(path)


# The pack with its charts drawn by Chromium (through kaleido): its tests are marked browser.
@pytest.fixture(scope="module")
def with_charts(demo_db, tmp_path_factory, artifacts):
    path = artifacts / "meeting-pack-2024-01.pdf"
    return make_pack(demo_db, path)


@pytest.fixture(scope="module")
def without_browser(pack_without_browser):
    result, path = pack_without_browser  # as on a computer with no browser (conftest.py)
    return result, pypdf.PdfReader(path)


@pytest.fixture(scope="module")
def force_explanations(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        return dict(con.execute("""
            select m.measure_name, r.explanation from ratings r join measures m using (measure_id)
            join home_areas a using (area_id)
            where r.month = '2024-01-01' and a.area_level = 'force' order by m.sort_order""").fetchall())


def drawn_images(page) -> int:
    """Images painted on a page ('/name Do' in its content). pypdf's page.images lists every image
    the page's resources name, and WeasyPrint gives all pages one resource dictionary."""
    return len(re.findall(rb"/\S+ Do\b", page.get_contents().get_data()))


def page_texts(reader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def contents(reader) -> list[tuple[str, int]]:
    entries = []
    for page in reader.pages[1:3]:
        for line in page.extract_text(extraction_mode="layout").splitlines():
            if match := CONTENTS_LINE.match(line):
                entries.append((match.group(1).strip(), int(match.group(2))))
    return entries


@pytest.mark.browser
def test_the_pack_has_every_measures_explanation(with_charts, force_explanations):
    text = normalise(" ".join(page_texts(with_charts[1])))
    assert len(force_explanations) == 10
    for measure, explanation in force_explanations.items():
        assert normalise(explanation) in text, measure


@pytest.mark.browser
def test_the_page_count_is_what_the_contents_say_and_every_page_is_numbered(with_charts):
    result, reader = with_charts
    texts = page_texts(reader)
    stated = re.search(r"This pack has (\d+) pages", normalise(texts[1]))
    assert stated and int(stated.group(1)) == len(reader.pages) == result.pages
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(reader.pages)}" in text


@pytest.mark.browser
def test_the_contents_give_the_page_of_every_section_theme_and_measure(with_charts, force_explanations):
    _, reader = with_charts
    entries = contents(reader)
    titles = [title for title, _ in entries]
    assert titles[:4] == ["Headline figures", "Changed since the last meeting", "The areas compared",
                          "The Plan\u2019s measures and their ratings"]
    assert titles[-2:] == ["Methodology", "The data sources"]
    assert set(force_explanations) <= set(titles)
    texts = [normalise(t) for t in page_texts(reader)]
    for title, page in entries:
        assert title in texts[page - 1], f"{title!r} is not on page {page}"
    # The PDF's bookmarks agree with the printed contents.
    outline = [(item.title, reader.get_destination_page_number(item) + 1)
               for item in _flatten(reader.outline)]
    assert outline == entries


def _flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


@pytest.mark.browser
def test_the_title_page_gives_the_as_of_date_and_where_the_figures_come_from(with_charts):
    title_page = normalise(page_texts(with_charts[1])[0])
    assert "Meeting pack: performance in January 2024" in title_page
    assert "Data as of January 2024" in title_page and "Made on 20 February 2024" in title_page
    assert "Where the figures come from" in title_page and "Demonstration data" in title_page
    assert "6,832" in title_page  # the provenance table's row count


@pytest.mark.browser
def test_charts_are_drawn_by_the_installed_chromium(with_charts):
    result, reader = with_charts
    assert result.charts_drawn and result.note == ""
    images = sum(drawn_images(page) for page in reader.pages)
    assert images == 12  # the areas, the areas on the (tile) map and every one of the ten measures


@pytest.mark.browser
def test_ratings_carry_an_icon_and_a_word_for_black_and_white_printing(with_charts):
    text = normalise(" ".join(page_texts(with_charts[1])))
    for rating, style in STYLES.items():
        assert f"{style.icon} {rating.capitalize()}: {style.word}" in text


def test_without_a_browser_the_pack_has_tables_instead_of_charts_and_says_so(without_browser, force_explanations):
    result, reader = without_browser
    texts = [normalise(t) for t in page_texts(reader)]
    assert not result.charts_drawn and result.note == pack.NO_BROWSER
    assert normalise(pack.NO_BROWSER) in texts[0] and "Charts shown as tables" in texts[0]
    assert sum(drawn_images(page) for page in reader.pages) == 0
    everything = " ".join(texts)
    for explanation in force_explanations.values():
        assert normalise(explanation) in everything
    assert "The chart\u2019s figures, month by month" in everything
    assert f"This pack has {len(reader.pages)} pages" in texts[1]


def test_find_browser_never_guesses_a_missing_path(monkeypatch, tmp_path):
    monkeypatch.delenv("SCRUTINY_CHROMIUM", raising=False)
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert pack.find_browser() is None
    fake = tmp_path / "chromium"
    fake.write_text("")
    fake.chmod(0o755)
    assert pack.find_browser() == str(fake)


@pytest.mark.slow
def test_the_pack_command_writes_a_pdf(cli, demo_db, tmp_path):
    out = tmp_path / "pack.pdf"
    result = cli("pack", "--month", "2024-01", "--out", str(out), "--no-charts", db=demo_db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Wrote the meeting pack for January 2024 to ")
    assert out.read_bytes().startswith(b"%PDF")
    assert not list(tmp_path.glob(".*partial"))


@pytest.mark.parametrize("args, message", [
    (["--month", "2030-01"], "error: no figures for 2030-01; the database has 2019-01 to 2024-01"),
    (["--month", "January"], "error: 'January' is not a month in the form YYYY-MM"),
])
def test_the_pack_command_refuses_a_bad_month_in_one_line(cli, demo_db, tmp_path, args, message):
    result = cli("pack", *args, "--out", str(tmp_path / "x.pdf"), db=demo_db)
    assert (result.returncode, result.stderr.strip()) == (2, message)
    assert not (tmp_path / "x.pdf").exists()


def test_the_pack_command_refuses_a_missing_folder(cli, demo_db, tmp_path):
    result = cli("pack", "--month", "2024-01", "--out", str(tmp_path / "nowhere" / "x.pdf"), db=demo_db)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "no such folder" in result.stderr


@pytest.mark.parametrize("made", [pytest.param("with_charts", marks=pytest.mark.browser), "without_browser"])
def test_the_pack_squares_all_crimes_change_with_its_rating_in_the_headlines_and_beside_the_measure(request, made):
    texts = [normalise(t) for t in page_texts(request.getfixturevalue(made)[1])]
    headline_page = next(t for t in texts if "Headline figures" in t and "Crime type" in t)
    assert ALL_CRIME_JANUARY_2024 in headline_page
    assert sum(t.count(ALL_CRIME_JANUARY_2024) for t in texts) == 2
    assert normalise(WHY_THEY_CAN_DIFFER) in " ".join(texts)
