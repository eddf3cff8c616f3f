"""Titles are plain text where people read them as text (slides, the pack) and marked up only for
Plotly, which reads a little HTML: no '<br>' or '&amp;' ever reaches a slide or a page of the pack."""
import datetime as dt

import pandas as pd

from scrutiny.show.charts import area_comparison_title, figure_text


def areas():
    return pd.DataFrame({"area_name": ["Hinckley & Bosworth", "Melton", "Rutland"], "change_pct": [-4.0, 12.5, 3.0]})


def test_the_areas_compared_title_is_plain_text():
    title, subtitle = area_comparison_title(areas(), "All crime", dt.date(2024, 1, 1))
    assert title == "All crime rose in 2 of 3 areas"
    assert subtitle == "January 2024 against January 2023; the biggest change was in Melton (+12.5%)"


def test_a_figure_gets_the_text_escaped_and_broken_after_its_first_semicolon():
    assert figure_text("A & B; C; D") == "A &amp; B;<br>C; D"


def test_the_slides_areas_subtitle_has_no_markup(demo_db):
    import duckdb

    from scrutiny.present import meeting, slides

    with duckdb.connect(str(demo_db), read_only=True) as con:
        query = meeting.runner(con)
        for slide in (slides.areas_slide(query, dt.date(2024, 1, 1)), slides.map_slide(query, dt.date(2024, 1, 1))):
            assert "<br>" not in slide.subtitle and "&amp;" not in slide.subtitle, slide.subtitle
            assert "the biggest change was in Melton and Rutland (\u221210.0%)" in slide.subtitle
