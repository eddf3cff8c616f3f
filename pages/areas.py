"""Areas: every area of the home force (its neighbourhood policing areas, or partnerships) for the
chosen month and crime type."""
import streamlit as st

import ui
from scrutiny.core import formatting, words
from scrutiny.show import charts, map_views
from scrutiny.present import meeting
from scrutiny.rate import yoy

chosen = ui.filters(uses={"crime_type", "month"}, unused_why={
    "area": "this page shows every area; the neighbourhoods section below has its own choice of area."})
month, crime_type = chosen["month"], chosen["crime_type"]

st.title("Areas")
kind = words.area_kind(ui.query("common/areas").area_level)
st.markdown(f"**{ui.escape_markdown(crime_type)}** in each {kind}, {month.label} compared "
            f"with the same month a year before. Change the crime type and month in the sidebar.")

table = meeting.areas(ui.query, month, crime_type)
with_force = meeting.areas_and_force(ui.query, month, crime_type)  # the table's lines add up to the force
if meeting.has_year_before(table):
    ui.chart(charts.area_comparison_chart, table, crime_type, month)
    st.caption("Each bar is labelled with the change and both counts. " + words.NOTABLE)
    st.header("The same figures as a table")
else:
    st.info(words.NO_YEAR_BEFORE.format(year_before=month.year_before.label, month=month.label),
            icon=":material/info:")
    st.header(f"The counts for {month.label}")
st.caption("The last lines are the records that could not be placed in an area, and the force as a whole, "
           "which counts them: the lines above it add up to it.")
shown = with_force.assign(notable=with_force.notable.map(yoy.notable_word)).rename(columns={
    "area_name": "Area", "crime_count": month.label,
    "count_previous_year": month.year_before.label,
    "change_pct": "Change (%)", "rate_per_1000": "Rate per 1,000 residents",
    "notable": "Notable change", "population": "Residents",
}).drop(columns=["area_id", "population_year", "p_value", "line", "not_tested"])  # in the download, for analysts
ui.table(shown, {
    "Change (%)": "%.1f%%",
    "Rate per 1,000 residents": formatting.RATE_COLUMN_FORMAT,
    "Residents": "localized",
    month.label: "localized",
    month.year_before.label: "localized",
})
ui.download_csv(with_force, f"areas-{crime_type.lower().replace(' ', '-')}-{month.key}.csv")
st.caption(ui.escape_markdown(map_views.population_note(ui.query("maps/population_years"))))

st.header("On a map")
MEASURES = {"change": "Change on a year before", "rate": "Rate per 1,000 residents"}
measure = ui.linked_choice("map", list(MEASURES), what="the map", label="Colour the areas by", widget=st.radio,
                           widget_key="areas_map", format_func=MEASURES.get, horizontal=True,
                           # with no year before, every area would be grey: the rate, then
                           default="change" if meeting.has_year_before(table) else "rate")
shapes, tiles = ui.map_shapes("maps/area_shapes", "area", table.area_id)
if shapes.empty:
    st.info(ui.NO_BOUNDARIES, icon=":material/info:")
    ui.for_analysts(ui.LOAD_BOUNDARIES)
else:
    ui.chart(map_views.area_map, table, shapes, measure, crime_type, month, tiles=tiles)
if tiles:
    st.caption("A tile map: one square per area, placed roughly as the areas lie, not to scale, because no "
               "boundaries are loaded. Once the office loads them, this is a map of the real areas. Point at an "
               "area for its counts.")
    ui.for_analysts(ui.LOAD_BOUNDARIES)
elif not shapes.empty:
    missing = sorted(set(table.area_name) - set(shapes.name))
    st.caption("Outlines: " + ui.escape_markdown("; ".join(sorted(set(shapes.source)))) + ". Point at an area "
               "for its counts." + (f" Not on the map (no outline loaded): {ui.escape_markdown(', '.join(missing))}."
                                    if missing else ""))

st.header("Where crime is within an area")
npas = dict(zip(table.area_id, table.area_name))
by_name = sorted(npas, key=npas.get)
default_area = chosen["area"] if chosen["area"] in npas else by_name[0]
area_id = ui.linked_choice("hotspots", by_name, what="the area", label="Area", default=default_area,
                           widget_key="areas_hotspots", format_func=npas.get)
first = month.plus(1 - map_views.HOTSPOT_MONTHS)
period, short_of_months = map_views.hotspot_period(month, ui.query("common/months").month)
lsoas = ui.query("maps/lsoa_hotspots", area_id=area_id, crime_type=crime_type, first_month=first, last_month=month)
if short_of_months and not lsoas.empty:
    st.info(short_of_months, icon=":material/info:")
if lsoas.empty:
    st.info("Crime by neighbourhood (LSOA) comes from data.police.uk street files, which place each crime in an "
            "LSOA. This database has counts by area only (the demonstration data is made that way). Once the office "
            "loads street files and LSOA boundaries, it shows here.", icon=":material/info:")
    ui.for_analysts("Import street files with `python -m scrutiny import police-uk`, and LSOA boundaries or "
                    "centroids with `python -m scrutiny import boundaries FILE --level lsoa`: the README's "
                    "\u201cLoading real data\u201d and \u201cMaps\u201d sections say how.")
elif lsoas.geometry.isna().all():
    st.info("No LSOA boundaries are loaded, so the LSOAs cannot be drawn. The busiest LSOAs are listed below.",
            icon=":material/info:")
    ui.for_analysts("Load LSOA boundaries or centroids with `python -m scrutiny import boundaries FILE --level lsoa` "
                    "(the README's \u201cMaps\u201d section).")
else:
    outline = shapes.set_index("code").geometry.get(area_id) if not tiles and not shapes.empty else None
    ui.chart(map_views.lsoa_map, lsoas, outline, npas[area_id], crime_type, period)
    unmapped = lsoas[lsoas.geometry.isna()]
    st.caption(f"Each shape is one LSOA, a neighbourhood of about 1,500 residents; counts over the {period}."
               + (f" {len(unmapped)} LSOAs with records have no shape or centroid loaded (the table lists "
                  "them with the rest)." if len(unmapped) else ""))
if not lsoas.empty:
    busiest = lsoas.head(10)[["lsoa_name", "lsoa_code", "crime_count"]].rename(columns={
        "lsoa_name": "LSOA", "lsoa_code": "Code", "crime_count": f"Crimes, {period}"})
    st.markdown(f"**The ten LSOAs of {ui.escape_markdown(npas[area_id])} with the most crimes**")
    st.dataframe(busiest, hide_index=True, width="stretch",
                 column_config={f"Crimes, {period}": st.column_config.NumberColumn(format="localized")})
    ui.download_csv(lsoas.drop(columns=["geometry", "geometry_type"]),
                    f"lsoas-{area_id}-{crime_type.lower().replace(' ', '-')}-{month.key}.csv")
