"""Compare forces: every force, or every Community Safety Partnership, on a funnel plot."""
import streamlit as st

import ui
from scrutiny.core import formatting
from scrutiny.rate import funnel
from scrutiny.show import map_views
from scrutiny.show.funnel_chart import funnel_chart
from scrutiny.core.months import add_months, month_key, month_label

LEVELS = {"forces": "Forces", "csps": "Community Safety Partnerships"}
PERIODS = {"12": 12, "3": 3, "1": 1}
LIMITS = {"poisson": "Chance alone", "overdispersed": "Allowing for the usual differences between places"}
VERDICT_WORDS = {"above 99.8%": "\u25B2\u25B2 Above the 99.8% limit", "above 95%": "\u25B2 Above the 95% limit",
                 "within": "\u25CF Within both limits", "below 95%": "\u25BC Below the 95% limit",
                 "below 99.8%": "\u25BC\u25BC Below the 99.8% limit"}

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


def period_label(months: int) -> str:
    return month_label(month) if months == 1 else f"{months} months to {month_label(month)}"


def and_list(names: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    names = [ui.escape_markdown(n) for n in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def remembered(key: str, options: dict, label: str, what: str) -> str:
    """A choice of this page, kept in the link like the shared filters."""
    value = ui.choice_from_link(key, list(options), next(iter(options)), what)
    value = st.radio(label, list(options), index=list(options).index(value), key=f"compare_{key}",
                     format_func=options.get, horizontal=True)
    st.query_params[key] = value
    return value


left, middle, right = st.columns([2, 2, 3])
with left:
    level = remembered("level", LEVELS, "Compare", "the comparison")
with middle:
    months = PERIODS[remembered("period", {k: period_label(v) for k, v in PERIODS.items()}, "Period", "the period")]
with right:
    method = remembered("limits", LIMITS, "Limits", "the limits")

first_month = add_months(month, -(months - 1))
units = ui.query(f"compare/{'force' if level == 'forces' else 'csp'}_rates", crime_type=crime_type,
                 first_month=first_month, last_month=month)
kept, left_out = funnel.comparable(units)
unit_word = "forces" if level == "forces" else "partnership areas"
home_name = next(iter(units[units.is_home].force_name), chosen["force_name"])
synthetic = units[units.is_demo_peer]

when = f"the {period_label(months)} ({month_label(first_month)} to {month_label(month)})" if months > 1 else month_label(month)
st.markdown(f"**{crime_type}** per 1,000 residents in {when}, for every "
            f"{'force' if level == 'forces' else 'Community Safety Partnership'} loaded. "
            "Change the crime type and month in the sidebar.")
if not synthetic.empty:
    st.warning(f"**Synthetic peer forces.** {', '.join(sorted(set(synthetic.force_name)))} are invented for the "
               "demonstration, with made-up populations and counts. They are not real forces, and their figures "
               "say nothing about any real force.", icon=":material/science:")

if len(kept) < 2:
    st.warning(f"There are not enough {unit_word} with figures for every month of the {period_label(months)} "
               "to compare. Choose a later month or a shorter period.", icon=":material/info:")
    st.stop()

table, fitted = funnel.funnel_table(kept, method)
others = kept[~kept.is_home]
others_name = (f"Other {unit_word}" if level == "forces" else "Other forces' partnership areas") + \
    (" (synthetic)" if not others.empty and others.is_demo_peer.all() else "")
ui.chart(funnel_chart, table, fitted, crime_type=crime_type, period=period_label(months), unit_word=unit_word,
         home_name=home_name, others_name=others_name)

outside = int(table.verdict.isin(["above 99.8%", "below 99.8%"]).sum())
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
    shapes = shapes.assign(unit_id=shapes.code.where(shapes.code.isin(table.unit_id)),
                           name=shapes.get("name", shapes.code))
else:
    tiles = False
    members = table[["unit_id", "area_ids"]].dropna().assign(code=lambda t: t.area_ids.str.split("; ")).explode("code")
    shapes = ui.query("maps/area_unit_shapes").merge(members[["unit_id", "code"]], on="code", how="left")
    shapes = shapes.assign(name=shapes.code)
if shapes.empty:
    st.info(ui.NO_BOUNDARIES + (" Partnership areas are drawn from district boundaries." if level == "csps" else ""),
            icon=":material/info:")
else:
    ui.chart(map_views.unit_map, table, shapes, crime_type, period_label(months), unit_word, VERDICT_WORDS,
             tiles=tiles)
    if tiles:
        st.caption("A tile map: one square per force, because no force boundaries are loaded. The peer forces of "
                   "the demonstration are invented and lie nowhere.")
    else:
        drawn = set(shapes.unit_id.dropna())
        missing = sorted(set(table.unit_name[~table.unit_id.isin(drawn)]))
        st.caption("Grey: not compared. Point at a place for its figures." + (
            f" Not on the map (no outline loaded): {ui.escape_markdown(', '.join(missing))}." if missing else ""))

st.subheader("The figures behind every point")
if level == "csps" and table.npas.notna().any():
    home_units = table[table.npas.notna()]
    made = [f"{ui.escape_markdown(r.unit_name)} is {and_list(r.npas.split('; '))}"
            for r in home_units.itertuples() if r.npas != r.unit_name]
    covers = [f"{ui.escape_markdown(r.unit_name)} covers {and_list(r.csps.split('; '))} partnerships"
              for r in home_units.itertuples() if isinstance(r.csps, str) and "; " in r.csps]
    st.caption(f"{ui.escape_markdown(home_name)}'s figures are kept by neighbourhood policing area (NPA), so here its "
               "NPAs are grouped into whole Community Safety Partnerships: " + "; ".join(made + covers) + ".")
shown = table.sort_values("rate_per_1000", ascending=False).assign(verdict=lambda t: t.verdict.map(VERDICT_WORDS))
columns = {"unit_name": "Name", "crime_count": "Crimes", "population": "Residents",
           "rate_per_1000": "Rate per 1,000 residents", "verdict": "Against the limits", "force_name": "Force"}
if level == "forces":
    del columns["force_name"]
st.dataframe(shown[list(columns)].rename(columns=columns), hide_index=True, width="stretch",
             height=35 * (len(shown) + 1) + 3, column_config={
                 "Crimes": st.column_config.NumberColumn(format="localized"),
                 "Residents": st.column_config.NumberColumn(format="localized"),
                 "Rate per 1,000 residents": st.column_config.NumberColumn(format="%.2f"),
             })
st.caption(f"The download has each place's limits too. The average is {fitted.centre_per_1000:.2f} per 1,000 "
           f"({formatting.count(table.crime_count.sum())} crimes among {formatting.count(table.population.sum())} residents). "
           "Residents: " + "; ".join(f"{ui.escape_markdown(source)} ({and_list(sorted(set(group.force_name)))})"
                                     for source, group in table.fillna({"population_source": "source not recorded"})
                                     .groupby("population_source", sort=False)) + ".")
if not left_out.empty:
    st.caption("Left out, because their rates would not be comparable: " + "; ".join(
        f"{ui.escape_markdown(r.unit_name)} ({r.reason})" for r in left_out.itertuples()) + ".")
download = table.assign(first_month=month_key(first_month), last_month=month_key(month), crime_type=crime_type,
                        limits=method).round({c: 2 for c in ("rate_per_1000", "lower_95", "upper_95", "lower_99_8", "upper_99_8")})
ui.download_csv(download[["unit_name", "force_name", "is_home", "is_demo_peer", "csps", "npas", "crime_type",
                          "first_month", "last_month", "crime_count", "population", "rate_per_1000", "lower_95",
                          "upper_95", "lower_99_8", "upper_99_8", "verdict", "limits"]],
                f"compare-{level}-{crime_type.lower().replace(' ', '-')}-{months}m-{month_key(month)}.csv")
