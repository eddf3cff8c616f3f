"""Trends: the monthly series for the chosen area and crime type."""
import streamlit as st

import ui
from scrutiny.show import charts
from scrutiny.core.months import months_of
from scrutiny.core.vocab import COUNT, LOWER
from scrutiny.present import meeting, trend

chosen = ui.filters()
area_name, crime_type = chosen["area_name"], chosen["crime_type"]

st.title("Trends")
st.markdown(f"**{ui.escape_markdown(crime_type)}** in **{ui.escape_markdown(area_name)}**, every month from the start "
            f"of the data to {chosen['month'].label}. "
            "Comparing each month with the same month a year before keeps seasonal patterns "
            "from being read as change.")

series = trend.up_to(ui.query("trends/monthly_series", area=chosen["area"], crime_type=crime_type), chosen["month"])
ui.chart(charts.trend_chart, series, crime_type, area_name)
if series.rolling_12_month_total.notna().any():  # else the note below says why there is none yet
    ui.chart(charts.rolling_total_chart, series, crime_type, area_name)
if no_total := trend.rolling_total_note(series, chosen["month"]):
    st.info(no_total, icon=":material/info:")

st.header("Is the latest month unusual?")
latest = trend.latest_window(series, chosen["month"], ui.query("trends/step_changes", crime_type=crime_type),
                             meeting.left_out_months(ui.query, chosen["area"]))
st.markdown(
    "A statistical process control chart of the three years to the chosen month: months inside the "
    "**normal range** (the dashed lines) are the usual ups and downs. Marked months are a **special "
    "cause**, a pattern unlikely to be chance: a diamond is a concern (more crime), a triangle an "
    "improvement. Where the Plan records a step change, the range is worked out afresh from it. "
    "The Methodology page explains the rules.")
if latest is None:
    st.info(f"There are no figures for {ui.escape_markdown(crime_type)} in {ui.escape_markdown(area_name)} "
            "up to the chosen month, so there is no chart.")
else:
    st.markdown(f"**{ui.escape_markdown(latest.answer(chosen['month']))}**")
    ui.spc_chart_and_table(
        latest.result, table_label="The normal range and unusual months as a table",
        file_name=f"spc-{chosen['area']}-{crime_type.lower().replace(' ', '-')}.csv",
        improvement=LOWER, unit=COUNT, title=f"{crime_type} in {area_name}: normal range and unusual months",
        subtitle=f"{latest.span_words}; fewer crimes is better")

with st.expander("Every month's figures as a table (the first two charts)"):
    table = series.assign(month=[m.label for m in months_of(series.month)]).rename(columns={
        "month": "Month", "crime_count": "Count", "count_previous_year": "Same month a year before",
        "rolling_12_month_total": "12-month total"})
    ui.table(table, {"Count": "localized", "Same month a year before": "localized", "12-month total": "localized"})
    ui.download_csv(series.assign(month=[m.key for m in months_of(series.month)]),
                    f"trend-{chosen['area']}-{crime_type.lower().replace(' ', '-')}.csv")
