"""The meeting pack read back as a person (or a search) would read it: its text, its pages, its
contents list; with charts drawn by the installed Chromium, and without a browser."""
import datetime as dt
import re

import duckdb
import pypdf
import pytest

from scrutiny.load.office_files import Peers
from scrutiny.present import change_reason, meeting, pack, pack_html, questions
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
    assert titles[:5] == ["Headline figures", "Changed since the last meeting", "Questions the panel may wish to ask",
                          "The areas compared", "The Plan\u2019s measures and their ratings"]
    # then the areas' amber questions, as an appendix after the sources
    assert titles[-3:-1] == ["Methodology", "The data sources"] and titles[-1].startswith("Appendix: ")
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


@pytest.mark.slow  # reads or makes a meeting pack, about 10 s to make
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


@pytest.mark.parametrize("made", [pytest.param("with_charts", marks=pytest.mark.browser),
                                  pytest.param("without_browser", marks=pytest.mark.slow)])
def test_the_pack_squares_all_crimes_change_with_its_rating_in_the_headlines_and_beside_the_measure(request, made):
    texts = [normalise(t) for t in page_texts(request.getfixturevalue(made)[1])]
    headline_page = next(t for t in texts if "Headline figures" in t and "Crime type" in t)
    assert ALL_CRIME_JANUARY_2024 in headline_page
    assert sum(t.count(ALL_CRIME_JANUARY_2024) for t in texts) == 2
    assert normalise(WHY_THEY_CAN_DIFFER) in " ".join(texts)


# The tagged PDF (PDF/UA-1): what a screen reader finds in its structure tree.

def structure(reader) -> list[tuple[str, str | None]]:
    """Every element of the structure tree in reading order: (tag, alternative text)."""
    found = []

    def walk(node):
        node = node.get_object()
        if not isinstance(node, pypdf.generic.DictionaryObject):
            return  # a marked-content number: the page's text itself
        if "/S" in node:
            found.append((str(node["/S"])[1:], node.get("/Alt")))
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids] if kids is not None else []):
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.fixture(scope="module")
def themes(demo_db):
    """The Plan's themes in order, with how many measures each shows: a heading for each."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        plan = meeting.plan(meeting.runner(con), JANUARY_2024)
    return [(theme.name, sum(len(o.measures) for o in theme.objectives if not o.office))
            for theme in meeting.plan_tree(plan)]


def expected_headings(themes) -> list[str]:
    from scrutiny.rate import methodology
    headings = ["H1", "H2",  # the title, "Where the figures come from"
                "H1", "H1", "H1", "H1", "H1", "H1"]  # contents, headlines, changes, questions, areas, measures
    for _, measures in themes:
        headings += ["H2"] + ["H3"] * measures
    headings += ["H1"] + ["H2"] * (len(methodology.SECTIONS) + 1)  # its sections and the rating rules
    return headings + ["H1", "H1"]  # the data sources; the appendix of the areas' amber ratings' questions


@pytest.mark.parametrize("made", [pytest.param("with_charts", marks=pytest.mark.browser),
                                  pytest.param("without_browser", marks=pytest.mark.slow)])
def test_the_pack_is_a_tagged_pdf_with_its_language_title_and_headings_in_order(request, made, themes):
    reader = request.getfixturevalue(made)[1]
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/MarkInfo"]["/Marked"] is True or catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert reader.metadata.title == "Police and Crime Panel meeting pack, January 2024"
    tags = [tag for tag, _ in structure(reader)]
    assert tags[0] == "Document"
    assert [t for t in tags if t in ("H1", "H2", "H3")] == expected_headings(themes)
    assert sum(measures for _, measures in themes) == 10


@pytest.mark.parametrize("made, tables", [pytest.param("with_charts", 4, marks=pytest.mark.browser),
                                          pytest.param("without_browser", 4 + 10, marks=pytest.mark.slow)])
def test_every_table_is_tagged_with_header_cells_and_data_cells(request, made, tables, demo_con):
    # The sources (title page and last section), the headline figures, the areas; without a browser
    # also each of the ten measures' figures; and beside each force-wide red or amber crime measure
    # whose peers are rated, the peers' table (five columns: place, rating, pattern, count, usual level).
    peers = [p for p in pack.peer_patterns(meeting.runner(demo_con), dt.date(2024, 1, 1), "leicestershire",
                                           ["all_crime", "neighbourhood_crime", "burglary", "violence_sexual_offences",
                                            "anti_social_behaviour"], Peers()).values() if p.rated]
    assert peers  # the demo's engine rates its peer forces
    tables += len(peers)
    tree = structure(request.getfixturevalue(made)[1])
    tags = [tag for tag, _ in tree]
    # WeasyPrint tags a table that runs over a page once per page, each part with its header row,
    # so the long tables of figures (without a browser) count more than once.
    assert tags.count("Table") == tables if made == "with_charts" else tags.count("Table") >= tables
    assert tags.count("THead") == tags.count("TBody") == tags.count("Table")
    starts = [i for i, tag in enumerate(tags) if tag == "Table"] + [len(tags)]
    peer_tables = 0
    for start, end in zip(starts, starts[1:]):
        inside = tags[start:end]
        # a peers' table, the only one with a caption: five columns (place, rating, pattern, count,
        # usual level) and under its header a row for this force, then one for each of the demo's
        # five peer forces
        if "Caption" in inside:
            assert (inside.count("TH"), inside.count("TR")) == (5, 1 + 1 + 5)
            peer_tables += 1
        assert inside.count("TH") >= 5
        assert "TR" in inside and "TD" in inside
    assert peer_tables == len(peers)


@pytest.mark.browser
def test_every_chart_is_a_figure_with_words_that_say_what_it_shows(with_charts, force_explanations):
    figures = [alt for tag, alt in structure(with_charts[1]) if tag == "Figure"]
    assert len(figures) == 12
    assert all(alt and len(alt) > 60 and "<" not in alt for alt in figures)
    assert figures[0].startswith("Bar chart: All crime fell in 8 of 8 areas.")
    assert "Melton and Rutland \u221210.0% (421 against 468)" in figures[0]
    assert figures[1].startswith("Map of the areas.")
    for measure, explanation in force_explanations.items():
        assert any(alt.startswith(f"Chart of {measure},") and alt.endswith(explanation) for alt in figures[2:]), measure


@pytest.mark.browser
def test_no_page_holds_a_chart_without_words_beside_it(with_charts):
    for number, page in enumerate(with_charts[1].pages, start=1):
        if drawn_images(page):
            words_on_page = re.sub(r"Meeting pack, January 2024\s*Page \d+ of \d+", "", page.extract_text())
            assert len(normalise(words_on_page)) >= 200, f"page {number} holds a chart alone"


@pytest.mark.parametrize("made", [pytest.param("with_charts", marks=pytest.mark.browser),
                                  pytest.param("without_browser", marks=pytest.mark.slow)])
def test_no_markup_shows_as_text(request, made):
    text = " ".join(page_texts(request.getfixturevalue(made)[1]))
    assert not re.search(r"<\s*/?\s*(br|b|i|span)\b|&(lt|gt|amp|nbsp);", text)


@pytest.mark.slow  # reads or makes a meeting pack, about 10 s to make
def test_the_sources_table_says_when_each_source_was_loaded(without_browser):
    title_page = normalise(page_texts(without_browser[1])[0])
    # The demo's three sources (street counts, peer forces, returns) are built without a time.
    assert title_page.count(normalise(pack_html.NOT_DATED)) == 3
    assert pack_html.loaded_words(dt.datetime(2024, 2, 19, 14, 30)) == "19 February 2024"


@pytest.mark.slow  # reads or makes a meeting pack, about 10 s to make
def test_the_changes_since_the_last_meeting_give_both_ratings_and_why_each_moved(without_browser, demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        changes = meeting.rating_changes(meeting.runner(con), JANUARY_2024, dt.date(2023, 11, 1))
    text = normalise(" ".join(page_texts(without_browser[1])))
    text = re.sub(r"Meeting pack, January 2024 Page \d+ of \d+ ", "", text)
    assert "The ratings that changed between November 2023, the month the panel last looked at, and January 2024" in text
    assert len(changes) > 0
    start = text.index("Changed since the last meeting", text.index("Headline figures", text.index("Contents") + 200))
    section = text[start:text.index("Questions the panel may wish to ask", start)]
    for row in changes.itertuples():
        assert f"{row.measure_name}, {row.area_name}: " in section
        assert normalise(change_reason.why(row)) in section
        # compact: the two full explanations are not repeated here
        assert normalise(row.explanation_before) not in section
    # by hand: November 2023's red was a run of 9 months above the usual level (its stored evidence)
    assert ("Neighbourhood crime, Leicester, Leicestershire and Rutland: \u2716 Red: Concern in November 2023 \u2192 "
            "\u25cf Amber: No clear change in January 2024. It changed because the run of 9 months above its usual "
            "level ended.") in section


def test_without_pango_the_pack_says_it_cannot_be_made_in_one_line(monkeypatch, demo_db, tmp_path):
    import builtins
    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    with duckdb.connect(str(demo_db), read_only=True) as con, pytest.raises(pack.PackUnavailable) as raised:
        pack.build_pack(meeting.runner(con), JANUARY_2024, tmp_path / "pack.pdf", browser=False)
    assert str(raised.value) == pack.NO_PANGO and "\n" not in pack.NO_PANGO
    assert not (tmp_path / "pack.pdf").exists()


@pytest.mark.slow  # reads or makes a meeting pack, about 10 s to make
def test_the_questions_section_asks_every_question_in_the_overviews_order_and_split(demo_db, without_browser):
    # The Overview's questions: those it shows first, numbered, then the areas' amber ones; only
    # the officers' own are labelled (with their measure and area), a drafted one names them itself.
    with duckdb.connect(str(demo_db), read_only=True) as con:
        asked = questions.for_month(meeting.runner(con), JANUARY_2024)
    first, more = questions.first_and_more(asked)
    assert (len(first), len(more)) == (14, 42)  # by hand: 56 in all, 14 on the Overview's first list
    text = normalise(" ".join(page_texts(without_browser[1])))
    text = re.sub(r"Meeting pack, January 2024 Page \d+ of \d+ ", "", text)
    # Each heading is in the contents first, then over its section.
    start = text.index("Questions the panel may wish to ask", text.index("The areas compared"))
    section = text[start:text.index("The areas compared", start)]
    assert "The areas\u2019 other amber ratings have 42 more questions" in section
    appendix = text[text.index("Appendix: 42 more questions, on the areas\u2019 amber ratings", start):]
    assert [section.index(normalise(q.text)) for q in first] == sorted(section.index(normalise(q.text)) for q in first)
    assert [appendix.index(normalise(q.text)) for q in more] == sorted(appendix.index(normalise(q.text)) for q in more)
    assert not any(normalise(q.text) in section for q in more)
    assert "(drafted from the rating)" not in section
    assert section.count("(Written by the panel's officers)") == 2
