"""Entry point: `streamlit run dashboard.py`. Declares the pages and the shared filters."""
import streamlit as st

import ui

st.set_page_config(page_title="Police and Crime Panel dashboard", page_icon="\U0001F6E1\uFE0F",
                   layout="wide", initial_sidebar_state="expanded")

# An error nobody foresaw shows an apology and a reference; the details go to the server's log.
with ui.apology_for_errors():
    page = st.navigation([
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/areas.py", title="Areas", icon=":material/map:", url_path="areas"),
        st.Page("pages/trends.py", title="Trends", icon=":material/show_chart:", url_path="trends"),
        st.Page("pages/plan.py", title="Plan", icon=":material/flag:", url_path="plan"),
        st.Page("pages/compare.py", title="Compare forces", icon=":material/compare_arrows:", url_path="compare"),
        st.Page("pages/present.py", title="Present", icon=":material/slideshow:", url_path="present"),
        st.Page("pages/methodology.py", title="Methodology", icon=":material/menu_book:", url_path="methodology"),
    ])
    # After st.navigation: were the database still to be built, the menu would otherwise be
    # Streamlit's default one (its file names, in lower case) above the message.
    ui.ensure_database()
    st.session_state["filters"] = ui.shared_filters()
    ui.house_style()
    ui.demo_notice(page.url_path)
    try:
        page.run()
    finally:
        # Set afresh on every run, so a page can tell whether this file ran before it (see ui.filters).
        st.session_state.pop("filters", None)
