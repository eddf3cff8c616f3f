"""The package's layers import one way and never Streamlit; pages and the Streamlit glue import only what they show."""
import ast
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
    import logging

    from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports  # a developer tool: requirements-dev.txt

    # import-linter configures logging with dictConfig, which disables every logger that already
    # exists; other tests in this process (the app's error log, scrutiny.app) need theirs back.
    loggers = [logger for logger in logging.root.manager.loggerDict.values()
               if isinstance(logger, logging.Logger) and not logger.disabled]
    try:
        return lint_imports(str(config), no_cache=True, no_logo=True, is_debug_mode=True) == EXIT_STATUS_SUCCESS
    finally:
        for logger in loggers:
            logger.disabled = False


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


# What the Streamlit side may import from the package. Pages only arrange what users see: they get
# their figures from present (what people are shown) and show (charts, maps, laid-out tables),
# and their words from core. The few modules of rate they use give words, and the one rating window.
PAGES_MAY_IMPORT = {
    "scrutiny.core": "months, formatting and every definition in words",
    "scrutiny.show": "charts, maps and what a page lays out",
    "scrutiny.present": "what people are shown, worked out from the query files",
    "scrutiny.rate.rag": "a rating's word, icon and colour",
    "scrutiny.rate.story": "the sentence that squares a change on a year before with a rating",
    "scrutiny.rate.yoy": "the word for a notable change, and the order from strongest change to weakest",
    "scrutiny.rate.methodology": "the method in words, quoting the rating engine's constants",
    "scrutiny.rate.window": "the one rating window, so the Plan page's chart is the analysis its rating came from",
}
# ui.py is the glue between Streamlit and the package: it also opens the database and runs the
# query files (store), and builds the demo database on a fresh clone's first run (demo).
UI_MAY_ALSO_IMPORT = {
    "scrutiny.store.db": "the cached read-only snapshot, and the upgrade of an old database",
    "scrutiny.store.queries": "runs the query files",
    "scrutiny.store.handover": "which file the runs read while a new one is made ready",
    "scrutiny.demo.build": "the demo database, built on first use",
}
# Imports a page has that it should not, tolerated until they move (none now: keep it that way).
NOT_YET_MOVED: dict[str, set[str]] = {}


def _module_exists(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def scrutiny_imports(path) -> set[str]:
    """The scrutiny modules a file imports, anywhere in it (lazy imports too), by AST: for
    `from scrutiny.rate import yoy` the module scrutiny.rate.yoy, for `from scrutiny.core.months
    import Month` scrutiny.core.months."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if _module_exists(submodule) else node.module)
    return {name for name in found if name == "scrutiny" or name.startswith("scrutiny.")}


def _allowed(module: str, allowed) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in allowed)


def _offences(path, allowed) -> list[str]:
    name = str(path.relative_to(REPO_ROOT))
    tolerated = NOT_YET_MOVED.get(name, set())
    return [f"{name} imports {module}" for module in sorted(scrutiny_imports(path))
            if not _allowed(module, allowed) and module not in tolerated]


def test_pages_import_only_present_show_core_and_the_words_of_rate():
    offenders = [offence for page in sorted((REPO_ROOT / "pages").glob("*.py"))
                 for offence in _offences(page, PAGES_MAY_IMPORT)]
    assert offenders == []


def test_the_streamlit_glue_imports_only_what_pages_may_and_the_database_and_demo_builder():
    offenders = [offence for path in (REPO_ROOT / "ui.py", REPO_ROOT / "dashboard.py")
                 for offence in _offences(path, PAGES_MAY_IMPORT | UI_MAY_ALSO_IMPORT)]
    assert offenders == []


def test_the_page_import_check_finds_a_forbidden_import(tmp_path):
    # A page that reaches past present and show into the plan file and the SPC engine, once at the
    # top and once lazily inside a function: both are found, and an allowed import is not.
    page = tmp_path / "page.py"
    page.write_text("import streamlit as st\nfrom scrutiny.plan.plan_file import objective_rating\n"
                    "from scrutiny.present import meeting\n\ndef f():\n    from scrutiny.rate import spc\n")
    found = scrutiny_imports(page)
    assert found == {"scrutiny.plan.plan_file", "scrutiny.present.meeting", "scrutiny.rate.spc"}
    assert [m for m in sorted(found) if not _allowed(m, PAGES_MAY_IMPORT)] == [
        "scrutiny.plan.plan_file", "scrutiny.rate.spc"]
