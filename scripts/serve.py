"""`streamlit run dashboard.py ARGS...`, with the modules the pages use imported first.

Streamlit imports a page's modules when the first visitor opens it: on a 2-core machine that was
several seconds (scipy's statistics alone take about 2 s) added to the first visitor's wait. Here
they are imported before the server starts, so the server answers only once they are ready. The
modules are read from the imports of dashboard.py, ui.py and pages/*.py, so a new page needs no
change here. scripts/serve-dashboard.sh runs this; extra arguments go to `streamlit run`.
"""
from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# Imported where they are used, on purpose: the PDF library only when a meeting pack is made.
LOADED_WHEN_USED = ("scrutiny.present.pack",)


def page_modules() -> list[str]:
    """The modules that dashboard.py, ui.py and the pages import, in the order first named."""
    names: list[str] = []
    for script in [REPO_ROOT / "dashboard.py", REPO_ROOT / "ui.py", *sorted((REPO_ROOT / "pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(script.read_text(), str(script))):
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                # `from scrutiny.show import charts`: charts may be a module of its own
                found = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            else:
                continue
            names.extend(name for name in found if name not in names and not name.startswith(LOADED_WHEN_USED))
    return names


def import_all(names: list[str]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:  # `from package import function`: the function is no module, and that is fine
            continue


def main() -> int:
    sys.path.insert(0, str(REPO_ROOT))  # as `streamlit run` puts the script's folder on the path
    import_all(page_modules())
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(REPO_ROOT / "dashboard.py"), *sys.argv[1:]]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
