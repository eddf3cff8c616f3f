"""Compare forces: every force, or every Community Safety Partnership, on a funnel plot."""
import streamlit as st

import ui
from scrutiny.core import formatting
from scrutiny.rate import funnel
from scrutiny.show import compare_view as view, map_views
from scrutiny.show.compare_view import LEVELS, LIMITS, PERIODS, VERDICT_WORDS
from scrutiny.show.funnel_chart import funnel_chart

chosen = ui.filters()
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


left, middle, right = st.columns([2, 2, 3])
with left:
    level = choice("level", LEVELS, "Compare", "the comparison")
with middle:
    months = PERIODS[choice("period", {k: view.period_label(month, v) for k, v in PERIODS.items()}, "Period",
                            "the period")]
with right:
    method = choice("limits", LIMITS, "Limits", "the limits")

period = view.period_label(month, months)
units = ui.query(f"compare/{'force' if level == 'forces' else 'csp'}_rates", crime_type=crime_type,
                 first_month=view.first_month(month, months), last_month=month)
kept, left_out = funnel.comparable(units)
unit_word = view.unit_word(level)
home_name = next(iter(units[units.is_home].force_name), chosen["force_name"])
synthetic = units[units.is_demo_peer]

st.markdown(f"**{crime_type}** per 1,000 residents in {view.period_words(month, months)}, for every "
            f"{'force' if level == 'forces' else 'Community Safety Partnership'} loaded. "
            "Change the crime type and month in the sidebar.")
if not synthetic.empty:
    st.warning(f"**Synthetic peer forces.** {', '.join(sorted(set(synthetic.force_name)))} are invented for the "
               "demonstration, with made-up populations and counts. They are not real forces, and their figures "
               "say nothing about any real force.", icon=":material/science:")

if len(kept) < 2:
    st.warning(f"There are not enough {unit_word} with figures for every month of the {period} "
               "to compare. Choose a later month or a shorter period.", icon=":material/info:")
    st.stop()

table, fitted = funnel.funnel_table(kept, method)
ui.chart(funnel_chart, table, fitted, crime_type=crime_type, period=period, unit_word=unit_word,
         home_name=home_name, others_name=view.others_name(level, kept))

outside = view.outside_998(table)
by_chance = funnel.expected_outside(len(table), "99.8%")
if method == "poisson" and outside >= 3 and outside > 10 * by_chance:
    st.info(f"**{outside} of {len(table)} {unit_word} are outside the 99.8% limits**, where chance alone would put "
            f"about {by_chance:.1f}. So these {unit_word} really do differ, for reasons beyond chance (a city centre "
            "has more crime per resident than a village). Being outside these limits says a difference is real, "
            f"not that it is unusual among {unit_word} like these: choose \u201c{LIMITS['overdispersed']}\u201d "
            "to see which stand out from the usual spread.", icon=":material/lightbulb:")
if method == "overdispersed":
    if fitted.uses_poisson:
        st.caption(f"These {unit_word} differ no more than chance would make them, so the limits are from chance alone.")
    elif len(table) < 10:
        st.caption(f"With only {len(table)} {unit_word}, the usual spread between them is only roughly known: "
                   "read verdicts near a limit with care.")

st.subheader("How to read this chart")
if fitted.uses_poisson:
    lines_mean = ("The curved lines show how far from the average a rate could fall **by chance alone**: small "
                  "places vary more, so the funnel is wider on the left.")
    outside_means = ("A point **above the upper 99.8% line** is higher than chance would give (chance puts a place "
                     "there about 1 time in 1,000). Between the 95% and the 99.8% lines is worth a question, but "
                     "could be chance: out of 20 places, about one lands outside the 95% lines by chance.")
    not_why = "Outside the limits says a difference is unlikely to be chance, not why."
else:
    lines_mean = ("The curved lines show how far from the average a rate usually falls, allowing both for chance "
                  f"and for **the usual differences between places**, estimated from how much these {len(table)} "
                  f"{unit_word} differ. Small places vary more, so the funnel is wider on the left.")
    outside_means = ("A point **above the upper 99.8% line** stands out even from the usual differences between "
                     "places. Between the 95% and the 99.8% lines is worth a question, but may be an ordinary "
                     "difference.")
    not_why = "Outside the limits says a place is unusual, not why."
if not table.is_home.any():
    home_is = f"{ui.escape_markdown(home_name)} has no figures to compare for this period."
else:
    home_is = f"{ui.escape_markdown(home_name)} {'is the **orange diamond**' if level == 'forces' else 'has the **orange diamonds**'}, labelled."
st.markdown(f"""
- Each point is one of the {len(table)} {unit_word}: **across**, how many people live there; **up**, its
  rate of {crime_type.lower()} per 1,000 residents over the period. {home_is}
- The straight line is the **average** of them all. {lines_mean}
- {outside_means}
- {not_why} Check the counts and the populations below, and whether the places record crime the same way.
""")

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
grouping = view.home_grouping_note(table, home_name) if level == "csps" else None
if grouping:
    st.caption(ui.escape_markdown(grouping))
shown = view.figures_table(table, level)
st.dataframe(shown, hide_index=True, width="stretch", height=35 * (len(shown) + 1) + 3, column_config={
    "Crimes": st.column_config.NumberColumn(format="localized"),
    "Residents": st.column_config.NumberColumn(format="localized"),
    "Rate per 1,000 residents": st.column_config.NumberColumn(format=formatting.RATE_COLUMN_FORMAT),
})
st.caption(f"The download has each place's limits too. The average is {fitted.centre_per_1000:.2f} per 1,000 "
           f"({formatting.count(table.crime_count.sum())} crimes among {formatting.count(table.population.sum())} residents). "
           f"Residents: {ui.escape_markdown(view.population_sources(table))}.")
if (note := view.left_out_note(left_out)):
    st.caption(ui.escape_markdown(note))
ui.download_csv(view.download_table(table, month, months, crime_type, method),
                view.download_name(level, crime_type, months, month))
