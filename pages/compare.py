"""Compare forces: every force, or every Community Safety Partnership, on a funnel plot."""
import streamlit as st

import ui
from scrutiny.core import formatting, words
from scrutiny.core.crime_types import STREET_MEASURES
from scrutiny.core.paths import database_path
from scrutiny.present import comparison, peer_pattern
from scrutiny.show import compare_view as view, map_views, peer_view
from scrutiny.rate.rag import place_rating_label
from scrutiny.show.plan_view import key_html
from scrutiny.show.compare_view import LEVELS, LIMITS, PERIODS, VERDICT_WORDS
from scrutiny.show.funnel_chart import funnel_chart

# No month warnings: they say no area's change on a year before is called notable, and this page
# shows none (its periods' counts are in the figures below, with what they cover).
chosen = ui.filters(uses={"crime_type", "month"}, unused_why={
    "area": "whole forces, or whole partnership areas, are compared."}, month_warnings=False)
month, crime_type = chosen["month"], chosen["crime_type"]

st.title("Compare forces")

forces = ui.query("compare/force_rates", crime_type=crime_type, first_month=month, last_month=month)
if len(forces) < 2:
    st.info(f"Only one force is loaded ({ui.escape_markdown(chosen['force_name'])}), so there is nothing to "
            "compare it with yet. Import other forces' figures to use this page: data.police.uk street-level "
            "crime files for the forces to compare with (for example the forces of the most similar group), "
            "or Home Office recorded crime tables by Community Safety Partnership, with each area's "
            "population. The README's \u201cLoading real data\u201d section says how.", icon=":material/info:")
    st.stop()



def choice(key: str, options: dict, label: str, what: str) -> str:
    """One of this page's choices, as radio buttons, kept in the link like the shared filters."""
    return ui.linked_choice(key, list(options), what=what, label=label, widget=st.radio, widget_key=f"compare_{key}",
                            format_func=options.get, horizontal=True)


# Opened from a rating's link to its peers' ratings (the Plan's, the Overview's), the grid comes
# first, above even this page's choices: Streamlit drops the link's #ratings when it rewrites the
# address, after the funnel the grid sat some 1,300 px down, and below the choices its first row was
# still at the foot of a laptop's screen. `top` holds it there (drawn once the choices are known).
grid_first = ui.opened_with("ratings_of", widget_key="compare_ratings_of")
top = st.container()
left, middle, right = st.columns([2, 2, 3])
with left:
    level = choice("level", LEVELS, "Compare", "the comparison")
with middle:
    months = PERIODS[choice("period", {k: view.period_label(month, v) for k, v in PERIODS.items()}, "Period",
                            "the period")]
with right:
    method = choice("limits", LIMITS, "Limits", "the limits")

unit_word = view.unit_word(level)
peers = comparison.peer_group(database_path())


def ratings_grid() -> None:
    """One measure's ratings across the peer group over the last 12 months: is it just us?"""
    st.header("Ratings across the peer group", anchor="ratings")
    names = {measure_id: name for measure_id, name, _ in STREET_MEASURES}
    measure_id = ui.linked_choice("ratings_of", list(names), what="the measure", label="Measure",
                                  default=peer_pattern.street_measure_of_crime_type(crime_type),
                                  widget_key="compare_ratings_of", format_func=names.get)
    grid = peer_pattern.grid(ui.query, peers, measure_id, level, month)
    if grid.rag.isna().all():
        st.info(f"No {unit_word} are rated for {names[measure_id].lower()} in the 12 months to {month.label} yet.",
                icon=":material/info:")
        return
    # A link from an area's rating names the area: its partnership's row is marked, and said so.
    area = peer_pattern.area_unit(ui.query, st.query_params.get(peer_pattern.AREA_PARAM)) if level == "csps" else None
    st.markdown(f"Each {'force' if level == 'forces' else 'partnership area'}’s rating of "
                f"**{ui.escape_markdown(names[measure_id].lower())}** in each of the 12 months to {month.label}, by the "
                "same rules as the Plan’s ratings, so you can see whether a rise here is shared.")
    if names[measure_id] != crime_type:  # the link's measure, or the reader's: say which shows which
        st.markdown(words.RATINGS_GRID_OTHER_MEASURE.format(grid_measure=names[measure_id].lower(),
                                                            page_measure=crime_type.lower()))
    if area is not None:
        said = words.RATINGS_GRID_AREA_SAME if area.area_name == area.unit_name else words.RATINGS_GRID_AREA_IN
        st.markdown(ui.escape_markdown(said.format(area=area.area_name, unit=area.unit_name)))
    st.html(f"<p>Key: {key_html(label=place_rating_label)}</p>" + peer_view.grid_html(
        grid, peer_pattern.grid_months(month), names[measure_id], marked=None if area is None else area.unit_id,
        marked_note="" if area is None else words.RATINGS_GRID_AREA_MARK.format(area=area.area_name)))
    st.caption(words.RATINGS_GRID_RUN)


if grid_first:
    with top:
        ratings_grid()
        st.header("Rates across the peer group")


# Worked out once per database file and choices for every session (ui.derived): the funnel, and
# below, the quarters outside the range, were a third of this page's time on every view.
over = ui.derived(comparison.peers_over_periods, level, peers, crime_type, month, months,
                  tuple(PERIODS.values()), method)
compared, units = over.comparison, over.units
home_name = next(iter(units[units.is_home].force_name), chosen["force_name"])
synthetic = units[units.is_demo_peer]
if over.months != months:
    st.info(ui.escape_markdown(view.shorter_period_note(over.wanted.left_out, unit_word,
                                                        view.period_label(month, months),
                                                        view.period_label(month, over.months))),
            icon=":material/info:")
    months = over.months
period = view.period_label(month, months)

st.markdown(f"**{crime_type}** per 1,000 residents in {view.period_words(month, months)}, for every "
            f"{'force' if level == 'forces' else 'Community Safety Partnership'} loaded. "
            "Change the crime type and month in the sidebar.")
if peers.chosen:
    st.caption("Compared with the office's peer group (the peers file beside the database), and the home force.")
force_months = ui.query("compare/force_months")
if gaps := comparison.missing_months_note(force_months):
    st.caption(ui.escape_markdown(gaps))  # every force's gaps: the sidebar names only the home force's
if not synthetic.empty:
    st.warning(f"**Synthetic peer forces.** {', '.join(sorted(set(synthetic.force_name)))} are invented for the "
               "demonstration, with made-up populations and counts. They are not real forces, and their figures "
               "say nothing about any real force.", icon=":material/science:")



if not compared.enough:
    st.warning(ui.escape_markdown(view.nothing_to_compare(compared.left_out, unit_word, month, months)),
               icon=":material/info:")
    if not grid_first:
        ratings_grid()
    st.stop()

table, fitted = compared.table, compared.fitted
ui.chart(funnel_chart, table, fitted, crime_type=crime_type, period=period, unit_word=unit_word,
         home_name=home_name, others_name=view.others_name(level, compared.kept))

if compared.differ_beyond_chance:
    st.info(words.FUNNEL_BEYOND_CHANCE.format(
        outside=compared.outside_998, units=len(table), unit_word=unit_word, other_limits=LIMITS["overdispersed"],
        by_chance=view.chance_count(compared.by_chance)), icon=":material/lightbulb:")
if method == "overdispersed":
    if fitted.uses_poisson:
        st.caption(words.FUNNEL_NO_MORE_THAN_CHANCE.format(unit_word=unit_word))
    elif len(table) < 10:
        st.caption(words.FUNNEL_FEW_UNITS.format(units=len(table), unit_word=unit_word))

if not grid_first:
    ratings_grid()

st.subheader("Two quarters outside the range of similar areas")
flags = ui.derived(comparison.peers_inspection_watch, level, peers, min(force_months.month).date(), month)
for flag in flags:
    st.warning(ui.escape_markdown(comparison.inspection_sentence(flag)), icon=":material/policy:")
if not flags:
    st.markdown(ui.escape_markdown(comparison.no_flags_sentence(unit_word, min(force_months.month).date(), month)))
st.caption(words.INSPECTION_HOW.format(unit_word_one="force" if level == "forces" else "partnership area"))

st.subheader("How to read this chart")
reading = words.FUNNEL_BY_CHANCE if fitted.uses_poisson else words.FUNNEL_USUAL_SPREAD
home_is = (words.FUNNEL_HOME_MISSING if not table.is_home.any() else
           words.FUNNEL_HOME_FORCE if level == "forces" else words.FUNNEL_HOME_PARTNERSHIPS)
st.markdown(words.FUNNEL_HOW_TO_READ.format(
    units=len(table), unit_word=unit_word, crime_type=crime_type.lower(),
    home_is=home_is.format(home=ui.escape_markdown(home_name)),
    lines=reading.lines.format(units=len(table), unit_word=unit_word), outside=reading.outside,
    not_why=reading.not_why))

st.subheader("On a map")
if level == "forces":
    shapes, tiles = ui.map_shapes("maps/force_shapes", "force", table.unit_id)
    shapes = view.force_shapes(shapes, table)
else:
    tiles = False
    shapes = view.partnership_shapes(ui.query("maps/area_unit_shapes"), table)
if shapes.empty:
    st.info(ui.NO_BOUNDARIES + (" Partnership areas are drawn from district boundaries." if level == "csps" else ""),
            icon=":material/info:")
else:
    ui.chart(map_views.unit_map, table, shapes, crime_type, period, unit_word, VERDICT_WORDS,
             tiles=tiles)
    if tiles:
        st.caption("A tile map: one square per force, because no force boundaries are loaded. The peer forces of "
                   "the demonstration are invented and lie nowhere.")
    else:
        missing = view.not_drawn(table, shapes)
        st.caption("Grey: not compared. Point at a place for its figures." + (
            f" Not on the map (no outline loaded): {ui.escape_markdown(', '.join(missing))}." if missing else ""))

st.subheader("The figures behind every point")
grouping = view.home_grouping_note(table) if level == "csps" else None
if grouping:
    st.caption(ui.escape_markdown(grouping))
shown = view.figures_table(table, level, peer_pattern.ratings_by_unit(
    ui.query, peer_pattern.street_measure_of_crime_type(crime_type), level, month), month.label, crime_type)
st.dataframe(shown, hide_index=True, width="stretch", height=35 * (len(shown) + 1) + 3, column_config={
    "Crimes": st.column_config.NumberColumn(format="localized"),
    "Residents": st.column_config.NumberColumn(format="localized"),
    "Rate per 1,000 residents": st.column_config.NumberColumn(format=formatting.RATE_COLUMN_FORMAT),
})
st.caption(f"The download has each place's limits too. The average is {fitted.centre_per_1000:.2f} per 1,000 "
           f"({formatting.count(table.crime_count.sum())} crimes among {formatting.count(table.population.sum())} residents). "
           f"Residents: {ui.escape_markdown(view.population_sources(table))}.")
if (note := view.left_out_note(compared.left_out)):
    st.caption(ui.escape_markdown(note))
ui.download_csv(view.download_table(table, month, months, crime_type, method),
                view.download_name(level, crime_type, months, month))
