"""Tables for download, safe to open in a spreadsheet."""
import pandas as pd

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets
# (CSV injection). A leading apostrophe makes them show it as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv(table: pd.DataFrame) -> bytes:
    """CSV bytes (UTF-8) of `table` with every text cell that could run as a formula neutralised.
    Numbers are left as numbers: a negative change is data, not a formula."""
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe.to_csv(index=False).encode("utf-8")
