"""The logic package stays free of Streamlit, so it can be tested and reused without a browser."""
import re

from scrutiny.core.paths import REPO_ROOT


def test_no_module_of_the_scrutiny_package_imports_streamlit():
    offenders = [str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "scrutiny").rglob("*.py")
                 if re.search(r"^\s*(import|from)\s+streamlit\b", p.read_text(), re.M)]
    assert offenders == []


def test_pages_only_arrange_what_users_see_and_run_no_sql():
    offenders = [str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "pages").glob("*.py")
                 if re.search(r"\b(duckdb|execute\()", p.read_text())]
    assert offenders == []
