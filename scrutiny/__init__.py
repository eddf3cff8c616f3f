"""scrutiny: the logic behind a Police and Crime Panel performance dashboard.

Nothing in this package imports Streamlit, so it can be tested and reused without a browser.
"""
