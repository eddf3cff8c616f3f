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


def _contracts_hold(config) -> bool:
    """import-linter's own command, in process; in debug mode a configuration it cannot read
    raises rather than counting as a broken contract."""
    from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports  # a developer tool: requirements-dev.txt

    return lint_imports(str(config), no_cache=True, no_logo=True, is_debug_mode=True) == EXIT_STATUS_SUCCESS


def test_the_package_layers_import_one_way_and_never_streamlit_by_the_import_linter_contracts():
    assert _contracts_hold(REPO_ROOT / ".importlinter")


def test_a_contract_that_the_imports_break_is_reported_as_broken(tmp_path):
    # The one-way rule as written in .importlinter, turned upside down for two layers that do
    # import each other (show draws what rate computed): the run must fail.
    config = tmp_path / "upside_down.ini"
    config.write_text("[importlinter]\nroot_package = scrutiny\n\n"
                      "[importlinter:contract:upside-down]\nname = rate above show\ntype = layers\n"
                      "layers =\n    scrutiny.rate\n    scrutiny.show\n")
    assert not _contracts_hold(config)
