"""Areas: every neighbourhood policing area for the chosen month and crime type."""
import streamlit as st

import ui
from scrutiny import charts
from scrutiny.months import month_key, month_label

chosen = ui.filters()
month, crime_type = chosen["month"], chosen["crime_type"]

st.title("Areas")
st.markdown(f"**{ui.escape_markdown(crime_type)}** in each neighbourhood policing area, {month_label(month)} compared "
            f"with the same month a year before. Change the crime type and month in the sidebar.")

table = ui.query("areas/area_comparison", month=month, crime_type=crime_type)
ui.chart(charts.area_comparison_chart, table, crime_type, month)
st.caption("Each bar is labelled with the change and both counts. \u201cNotable\u201d means "
           "Z = 2(\u221anow \u2212 \u221athen) is 2 or more in size: a change unlikely to be chance alone.")

st.header("The same figures as a table")
shown = table.assign(notable=table.notable.map({True: "Yes", False: "No"})).rename(columns={
    "area_name": "Area", "crime_count": month_label(month),
    "count_previous_year": month_label(month.replace(year=month.year - 1)),
    "change_pct": "Change (%)", "rate_per_1000": "Rate per 1,000 residents", "z": "Z",
    "notable": "Notable change",
}).drop(columns=["area_id"])
st.dataframe(shown, hide_index=True, width="stretch", column_config={
    "Change (%)": st.column_config.NumberColumn(format="%.1f%%"),
    "Rate per 1,000 residents": st.column_config.NumberColumn(format="%.2f"),
    "Z": st.column_config.NumberColumn(format="%.2f"),
    month_label(month): st.column_config.NumberColumn(format="localized"),
    month_label(month.replace(year=month.year - 1)): st.column_config.NumberColumn(format="localized"),
})
ui.download_csv(table, f"areas-{crime_type.lower().replace(' ', '-')}-{month_key(month)}.csv")
