"""Streamlit glue shared by the pages: the cached database, the shared filters, the notices.

The logic lives in the scrutiny package; this module only connects it to Streamlit.
"""
from __future__ import annotations

import contextlib
import functools
import importlib
import html
import logging
import re
import threading
import urllib.parse
import uuid
from pathlib import Path
from typing import Callable

import pandas as pd
import streamlit as st

from scrutiny.core.errors import UserError
from scrutiny.store import queries
from scrutiny.store.db import FileReplaced, ReadOnlySnapshot, file_version
from scrutiny.store.handover import Handover
from scrutiny.core.export import safe_csv
from scrutiny.show import plan_view
from scrutiny.show.spc_chart import spc_chart, spc_table, spc_table_shown
from scrutiny.core.crime_types import ALL_CRIME
from scrutiny.demo.build import build_demo
from scrutiny.core.months import Month, missing_summary, months_of
from scrutiny.core import formatting, paths, words
from scrutiny.core.turns import OneAtATime
from scrutiny.core.paths import DEMO_DIR, database_path
from scrutiny.core.vocab import COUNT

FILTER_KEYS = ("area", "crime_type", "month")


def ensure_database() -> Path:
    """The database to serve, pinned for this run (see pin_snapshot). The start script builds the
    demo database before the server starts; a server started another way builds it here, on first
    use, saying so."""
    path = database_path()
    if not path.exists():
        if path != paths.DEFAULT_DB:
            # the file's name only: the server's folders are not for every visitor to read
            st.error(f"The database named by SCRUTINY_DB, {path.name}, does not exist.")
            st.stop()
        _build_demo_database(path)
    pin_snapshot(path)
    return path


_DEMO_BUILD = threading.Lock()


def _build_demo_database(path: Path) -> None:
    """Build the demo database for the first visitor, once however many arrive together. The
    build runs in a thread of its own, so a tab closed meanwhile does not stop it (and it writes a
    new file renamed into place when whole: a server stopped meanwhile leaves no half-file)."""
    with st.spinner(words.DEMO_BEING_BUILT):
        with _DEMO_BUILD:
            if not path.exists():
                builder = threading.Thread(target=build_demo, args=(path, DEMO_DIR), name="demo-database")
                builder.start()
                builder.join()
    if not path.exists():  # the build failed: its error is in the server's log
        st.error(words.DEMO_NOT_BUILT, icon=":material/error:")
        st.stop()


def pin_snapshot(path: Path) -> None:
    """Choose, once at the start of each run, the database file that every query of the run reads.

    An import renames a new file into place at any moment. Looking at the file on every query let
    one page view mix two files (one file's demo notice beside the other's figures, or a KeyError
    when a later query found what an earlier one had not). A new file shows up whole, a few seconds
    after it arrives: once what the runs asked of the file before is ready for it (the handover,
    scrutiny.store.handover), so that no view waits while everything is worked out again. A file
    made by an earlier version is read as upgraded, in memory: the app never writes."""
    handover = _handover(str(path))
    for _attempt in range(20):  # a retry only if a new file arrives between two system calls
        newest = file_version(path)
        # the file before it, while this one's figures are made ready (scrutiny.store.handover)
        version = handover.version_to_read(newest, functools.partial(_make_ready, str(path)))
        try:
            snapshot = _connection(str(path), version)
        except FileReplaced:
            if version != newest:  # the old file's connection was let go: the new file, then
                handover.read_newest(newest)
            continue
        except UserError as error:  # damaged, or not a scrutiny database: one line, no traceback
            # The file's name, not the server's folders, is shown to whoever opens the page.
            st.error(words.DATABASE_UNREADABLE.format(what=escape_markdown(str(error).replace(str(path), path.name))),
                     icon=":material/error:")
            st.stop()
        st.session_state["database"] = (str(path), version)
        if snapshot.upgraded:
            st.warning(words.OLD_DATABASE, icon=":material/update:")
        return
    st.error("The data is being updated right now: reload the page in a moment.")
    st.stop()


@st.cache_resource(show_spinner=False)
def _handover(path: str) -> Handover:
    return Handover()


def _make_ready(path: str, version: tuple[int, int], asked: list) -> bool:
    """Work out, for the file VERSION, what the runs asked of the file before it (in the handover's
    thread, while the runs go on reading that one). False if a newer file replaced it meanwhile:
    then it stops, and the newer file is made ready instead."""
    try:
        _connection(path, version)
    except FileReplaced:
        return False
    except UserError:  # damaged, or not a scrutiny database: the runs will say so
        return True
    for kind, *key in asked:
        try:
            if file_version(Path(path)) != version:
                return False
            if kind == "query":
                name, params = key
                _cached_query(name, path, version, params)
            else:
                module, name, args, kwargs = key
                _derived(path, version, module, name, args, dict(kwargs))
        except (FileReplaced, FileNotFoundError):
            return False
        except Exception:  # e.g. a query the new file cannot answer: the run that asks will say
            log.debug("Not made ready: %s", key, exc_info=True)
    return True


@st.cache_resource(max_entries=6, show_spinner=False)  # no spinner: the handover's thread calls it too
def _connection(path: str, version: tuple[int, int]) -> ReadOnlySnapshot:
    # Keyed on the file's inode and modification time: the next run after an import opens the new
    # file, while runs part-way through keep the old one. The snapshot knows the version of the
    # file it opened, so it is never cached under another file's version.
    snapshot = ReadOnlySnapshot(Path(path), upgrade_in_memory=True)
    if snapshot.version != version:
        snapshot.close()
        raise FileReplaced(path)
    return snapshot


log = logging.getLogger("scrutiny.app")


@contextlib.contextmanager
def apology_for_errors():
    """An error nobody foresaw shows a short apology and a reference, never a traceback with the
    server's paths (client.showErrorDetails is off too); the details go to the server's log under
    that reference, so the analyst can find them. Streamlit's st.stop and st.rerun are not errors
    (they are BaseExceptions, not Exceptions) and pass through."""
    try:
        yield
    except Exception:
        reference = uuid.uuid4().hex[:8].upper()
        log.exception("Unexpected error in a page view, reference %s", reference)
        st.error(words.UNEXPECTED_ERROR.format(reference=reference), icon=":material/error:")


def _pinned() -> tuple[str, tuple[int, int]]:
    return st.session_state["database"]


@st.cache_resource(ttl=600, max_entries=512, show_spinner=False)
def _cached_query(name: str, path: str, version: tuple[int, int], params: tuple) -> pd.DataFrame:
    # One frame for every session: st.cache_data would unpickle a copy on every read, which was a
    # fifth of a page view's time with the results cached. query() hands out shallow copies.
    return queries.run(_connection(path, version), name, **dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """Run a query file on this run's database; results are cached per database file and
    parameters. The frame is the caller's own: a shallow copy of the cached one, and pandas
    copies on write, so changing it (a column added, a value set) leaves the cache as it was."""
    path, version = _pinned()
    key = tuple(sorted(params.items()))
    _handover(path).remember(("query", name, key))
    try:
        return _cached_query(name, path, version, key).copy(deep=False)
    except FileReplaced:  # only if six newer files came and went during this one run
        st.error("The data was updated while this page was being drawn: reload the page to see it.")
        st.stop()


@st.cache_resource(ttl=600, max_entries=256, show_spinner=False)
def _derived(path: str, version: tuple[int, int], module: str, name: str, args: tuple, kwargs: dict):
    def query_of_that_file(query_name: str, **params) -> pd.DataFrame:
        return _cached_query(query_name, path, version, tuple(sorted(params.items()))).copy(deep=False)

    return getattr(importlib.import_module(module), name)(query_of_that_file, *args, **kwargs)


def derived(function: Callable, *args, **kwargs):
    """function(query, *args, **kwargs) (scrutiny's functions that take the query function first:
    a slide, the outline of the slides), worked out once per database file and arguments for every
    session, as query results are. Do not mutate what it returns."""
    path, version = _pinned()
    _handover(path).remember(("derived", function.__module__, function.__qualname__, args,
                              tuple(sorted(kwargs.items()))))
    return _derived(path, version, function.__module__, function.__qualname__, args, kwargs)


def _options() -> tuple[dict[str, str], list[str], list[Month]]:
    areas = query("common/areas")
    area_names = dict(zip(areas.area_id, areas.area_name))
    crime_types = list(query("common/crime_types").crime_type)
    months = months_of(query("common/months").month)
    return area_names, crime_types, months


def map_shapes(query_name: str, tile_level: str, codes) -> tuple[pd.DataFrame, bool]:
    """(shapes, are_tiles) for a map: see scrutiny.show.map_views.shapes_or_tiles."""
    from scrutiny.show.map_views import shapes_or_tiles

    return shapes_or_tiles(query, query_name, tile_level, codes)


NO_BOUNDARIES = words.NO_MAP
LOAD_BOUNDARIES = ("Load boundaries with `python -m scrutiny import boundaries FILE` (the README\u2019s "
                   "\u201cMaps\u201d section says where the ONS files are).")


def with_the_readers_filters(link: str) -> str:
    """A link to another page ('plan?measure=...&month=...'), carrying the reader's sidebar Area and
    Crime type as the Plan matrix's cells do: a link that reloads the page would otherwise reset them."""
    page, _, rest = link.partition("?")
    kept = urllib.parse.urlencode({key: st.session_state[key] for key in ("area", "crime_type")
                                   if key in st.session_state})
    return f"{page}?{kept}&{rest}" if kept else link


def escape(text) -> str:
    """Text from data files or the plan, made safe to put inside HTML."""
    return html.escape(str(text))


def escape_markdown(text) -> str:
    """Text from data files shown literally in st.markdown: no markup, links or HTML run."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", str(text))


def choice_from_link(key: str, valid: list[str], default: str, what: str) -> str:
    """A filter's value from the link, if the link names a known one; else the default, with a
    friendly note (a mistyped or outdated link must not break the page)."""
    value = st.query_params.get(key)
    if value is None:
        return default
    if value in valid:
        return value
    st.warning(f"The link asked for {what} \u201c{escape_markdown(value)}\u201d, which this dashboard does not have, "
               f"so the page shows the default instead.", icon=":material/info:")
    return default


def linked_choice(key: str, options: list, *, what: str, label: str | None = None, default=None,
                  widget: Callable | None = st.selectbox, widget_key: str | None = None,
                  link_text: Callable[[object], str] = str, **widget_options):
    """A page's own choice, kept in the link like the shared filters (`?key=...`).

    The link's value is read (an unknown one gives a friendly note and the default, the first
    option unless `default` says otherwise), the widget is shown with it chosen, and the choice is
    written back to the link, so a link reproduces the view. `link_text` spells an option in the
    link (a month as '2024-01'). With `widget=None` there is no widget (the page moves through the
    options by its own buttons) and the value is only read and written back."""
    by_text = {link_text(option): option for option in options}
    default = options[0] if default is None else default
    chosen = by_text[choice_from_link(key, list(by_text), link_text(default), what)]
    if widget is not None:
        chosen = widget(label, options, index=options.index(chosen), key=widget_key or key, **widget_options)
    st.query_params[key] = link_text(chosen)
    return chosen


def opened_with(key: str, widget_key: str) -> bool:
    """Whether the page was opened from a link naming `key`, one of its own choices whose widget is
    `widget_key`; remembered for the page's later runs (a filter or a button), though linked_choice
    writes `key` into the address on every run. A widget's state is dropped when another page
    runs, so its absence means the page has just been opened."""
    memory = f"opened-with-{key}"
    if widget_key not in st.session_state:
        st.session_state[memory] = key in st.query_params
    return st.session_state.get(memory, False)


def for_analysts(markdown: str) -> None:
    """Commands and formulas for the office's analyst, folded away from members' view."""
    with st.expander("For analysts"):
        st.markdown(markdown)


FILTER_LABELS = {"area": "Area", "crime_type": "Crime type", "month": "Month"}


def shared_filters() -> dict:
    """Area, crime type and month, kept in the URL so a link reproduces the view.

    The choices are read here, before the page runs; their widgets are drawn by the page's call
    to filters(), which says which of them the page uses (see _draw_filter_widgets)."""
    area_names, crime_types, months = _options()
    month_keys = [m.key for m in months]
    force_id = next(iter(area_names))
    # Each filter on its own: Streamlit forgets a widget's value after a run that did not draw it (a
    # run cut short by another), so one can be missing while the others are kept; the link has it.
    for key, options, default, what in (("area", list(area_names), force_id, "the area"),
                                        ("crime_type", crime_types, ALL_CRIME, "the crime type"),
                                        ("month", month_keys, month_keys[0], "the month")):
        if key not in st.session_state:
            st.session_state[key] = choice_from_link(key, options, default, what)
    with st.sidebar:
        st.header("Show")
        sidebar = st.container()
    # in the page itself, above the month's figures: a closed sidebar must not hide them
    above_page = st.container()
    st.session_state["filter_widgets"] = lambda uses, unused_why, month_warnings: _draw_filter_widgets(
        sidebar, above_page, area_names, crime_types, months, uses, unused_why, month_warnings)
    for key in FILTER_KEYS:
        if st.query_params.get(key) != st.session_state[key]:
            st.query_params[key] = st.session_state[key]
    return {
        "area": st.session_state.area,
        "area_name": area_names[st.session_state.area],
        "force_id": force_id,
        "force_name": area_names[force_id],
        "crime_type": st.session_state.crime_type,
        "month": Month.of(st.session_state.month),
    }


def _draw_filter_widgets(sidebar, above_page, area_names: dict[str, str], crime_types: list[str],
                         months: list[Month], uses: set[str], unused_why: dict[str, str],
                         show_month_warnings: bool = True) -> None:
    """The shared filters' widgets, in the places shared_filters kept for them. A filter the page
    does not use is greyed out, with the reason under it, so a member does not change it and wonder
    why nothing moved; it keeps its value (and the link) for the next page."""
    def state(key: str) -> dict:
        why = unused_why.get(key)
        return {"disabled": why is not None, "help": words.FILTER_NOT_USED.format(why=why) if why else None}

    month = Month.of(st.session_state.month)
    with sidebar:
        st.selectbox("Area", list(area_names), format_func=area_names.get, key="area",
                     **(state("area") if "area" not in uses else {"help": words.area_filter_help(home_area_kind())}))
        _not_used_caption(unused_why.get("area"))
        st.selectbox("Crime type", crime_types, key="crime_type", **state("crime_type"))
        _not_used_caption(unused_why.get("crime_type"))
        st.selectbox("Month", [m.key for m in months], format_func=lambda k: Month.of(k).label, key="month",
                     **state("month"))
        _not_used_caption(unused_why.get("month"))
        if "month" in uses:
            if gaps := missing_summary(months):  # a download can skip months: say so where one is chosen
                st.caption(f"{gaps}.")
            month_quality(month)
        glossary()
    if "month" in uses and show_month_warnings:
        # The month and the month a year before it is compared with, when either leaves the areas incomplete.
        with above_page:
            for warning in month_warnings(month):
                st.warning(escape_markdown(warning), icon=":material/warning:")


@contextlib.contextmanager
def _as_entry_file():
    """Widgets made while a page runs belong to that page: Streamlit resets them when another page
    is shown. The shared filters are drawn by the page's call to filters() but must keep their
    values from page to page, as when dashboard.py drew them, so they are made as dashboard.py's
    (the way Streamlit's own fragments restore the script they belong to)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:  # bare mode: no pages
        yield
        return
    with ctx.run_with_active_hash(ctx.pages_manager.main_script_hash):
        yield


def _not_used_caption(why: str | None) -> None:
    if why:
        st.caption(words.FILTER_NOT_USED.format(why=why))


def glossary() -> None:
    """The words a member meets on the pages, each explained once (scrutiny.core.words.GLOSSARY),
    folded away at the foot of every page's sidebar."""
    with st.expander("Glossary: the words used here", icon=":material/dictionary:"):
        st.markdown("\n\n".join(f"**{term}.** {meaning}"
                                for term, meaning in words.glossary(home_area_kind()).items()))


def home_area_kind() -> str:
    """What the home force's areas are ('neighbourhood policing area', 'Community Safety Partnership')."""
    return words.area_kind(query("common/areas").area_level)


def month_quality(month: Month):
    """The month's data quality in one line under the month picker (scrutiny.present.meeting.
    month_quality); returns it, or None when the month has no records."""
    from scrutiny.present.meeting import month_quality as quality_of

    quality = quality_of(query, month)
    if quality is not None:
        st.caption(escape_markdown(quality.sentence()))
    return quality


def month_warnings(month: Month) -> list[str]:
    """The warnings beside the month's figures (scrutiny.present.meeting.month_warnings)."""
    from scrutiny.present.meeting import month_warnings as warnings_of

    return warnings_of(query, month)


def filters(uses=FILTER_KEYS, unused_why: dict[str, str] | None = None, month_warnings: bool = True) -> dict:
    """The shared filters that dashboard.py chose on this run; draws their widgets in the sidebar.

    `uses` names the filters the page honours; every other one needs a reason in `unused_why`
    ("this page shows every area"), shown under its greyed-out widget. `month_warnings`: False on a
    page that shows no area's change on a year before or rating (Compare), where the warnings
    about a month incomplete for the areas do not apply."""
    unused_why = dict(unused_why or {})
    uses = set(uses)
    if unknown := (uses | set(unused_why)) - set(FILTER_KEYS):
        raise ValueError(f"No such shared filter: {sorted(unknown)}")
    if missing := set(FILTER_KEYS) - uses - set(unused_why):
        raise ValueError(f"Say why the page does not use {sorted(missing)}")
    if both := uses & set(unused_why):
        raise ValueError(f"Used and not used: {sorted(both)}")
    if "filters" not in st.session_state:
        # Known trap: while no run has called st.navigation yet, Streamlit's legacy router for a
        # folder named pages/ serves a deep link's page without running dashboard.py. That happens
        # only for the first request after the server starts. Turn the legacy router off (as
        # st.navigation itself does) and run again, through dashboard.py this time.
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()
    if draw := st.session_state.pop("filter_widgets", None):
        with _as_entry_file():
            draw(uses, unused_why, month_warnings)
    return st.session_state["filters"]


HOUSE_STYLE = """<style>
/* Captions in GOV.UK's secondary text colour (7:1 on white): Streamlit's own faded grey is under 4.5:1. */
[data-testid="stCaptionContainer"] { color: #505A5F !important; opacity: 1 !important; }
/* A filter not used on a page is greyed out, but its name stays readable (the same 7:1 grey). */
.st-key-area label p, .st-key-crime_type label p, .st-key-month label p { color: #505A5F !important; opacity: 1 !important; }
</style>"""

# Ctrl+P of any page: A4 pages of the page itself, without the sidebar, header, toolbars and buttons.
# The app scrolls inside its main section, which printed only the first screen: printing lets the
# page run its full length. The content is as wide as the paper's printable width (180 mm), so the
# print layout can be checked on screen under print emulation, as it will print.
PRINT_WIDTH_MM = 180
PRINT_STYLE = f"""<style>
@media print {{
  @page {{ size: A4; margin: 15mm; }}
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
  header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], [data-testid="stElementToolbar"], [data-testid="stDownloadButton"],
  [data-testid="stButton"], [data-testid="stBottom"], .modebar-container {{ display: none !important; }}
  html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
    height: auto !important; min-height: 0 !important; overflow: visible !important; position: static !important; }}
  [data-testid="stMain"] {{ margin: 0 !important; padding: 0 !important; }}
  [data-testid="stMainBlockContainer"] {{ padding: 0 !important; margin: 0 !important;
    width: {PRINT_WIDTH_MM}mm !important; max-width: {PRINT_WIDTH_MM}mm !important; }}
  [data-testid="stPlotlyChart"], [data-testid="stDataFrame"], [data-testid="stTable"], [data-testid="stAlert"] {{
    break-inside: avoid; }}
  /* Streamlit draws each chart again at the paper's width, where a title set for a screen may run
     past the chart's edge: on paper, a size smaller suffices. */
  .js-plotly-plot .gtitle {{ font-size: 16px !important; }}
  .js-plotly-plot .gtitle-subtitle {{ font-size: 13px !important; }}
  /* A table draws its columns as wide as on a laptop's screen (a table wider than its box hides its
     last columns, which would not print), at four fifths. */
  [data-testid="stElementContainer"]:has([data-testid="stDataFrame"]) {{
    width: 125% !important; max-width: none !important; zoom: 0.8; }}
  h1, h2, h3 {{ break-after: avoid; }}
}}
</style>"""

# A chart is drawn at the screen's width, which may be wider than its box on paper until Streamlit
# draws it again (if it does before the page is printed): under print media each chart drawn wider
# than its box is scaled to fit (CSS zoom), and back once printing is over. Plotly draws in fixed
# pixels, so no style sheet alone can narrow it.
PRINT_FIT_SCRIPT = """<script>
if (!window.scrutinyPrintFit) {
  window.scrutinyPrintFit = true;
  const fit = (printing) => {
    for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
      chart.style.zoom = '';  // the drawn width, unscaled
      if (!printing) continue;
      // what Plotly drew (at the screen's width, until Streamlit draws it again) against its box on paper
      const room = Math.min(chart.getBoundingClientRect().width, chart.parentElement.getBoundingClientRect().width);
      const drawn = Math.max(0, ...Array.from(chart.querySelectorAll('svg.main-svg, canvas'))
        .map(e => e.getBoundingClientRect().width));
      if (drawn > room + 1) chart.style.zoom = String(room / drawn);
    }
  };
  window.matchMedia('print').addEventListener('change', (query) => fit(query.matches));
  window.addEventListener('beforeprint', () => fit(true));
  window.addEventListener('afterprint', () => fit(false));
}
</script>"""


def house_style() -> None:
    """CSS for every page, where Streamlit's defaults fall short of WCAG AA, and for printing."""
    st.html(HOUSE_STYLE)
    st.html(PRINT_STYLE)
    print_fit()


def print_fit() -> None:
    """The script that fits charts and tables to the paper when a page is printed, in the sidebar
    (which is not printed), where its empty element takes no room from the page."""
    with st.sidebar:
        st.html(PRINT_FIT_SCRIPT, unsafe_allow_javascript=True)


def demo_notice_text() -> str | None:
    """What the demonstration notice says (Markdown), or None when every figure is real."""
    sources = query("common/provenance")
    # Boundaries and populations are not figures: loading real ones leaves the figures all synthetic.
    sources = sources[~sources.source.str.startswith(("Boundaries: ", "Population: "))]
    synthetic = sources[sources.source == "demo"]
    if synthetic.empty:
        return None
    if len(synthetic) == len(sources):
        return words.DEMO_NOTICE
    # After a real import only part of the demo remains; its provenance says which part.
    what = " ".join(escape_markdown(d) for d in synthetic.description)
    return words.DEMO_REMAINS.format(what=what)


# Pages that show the notice themselves: a slide carries it as a footer line, not a block above.
PAGES_WITH_THEIR_OWN_DEMO_NOTICE = ("present",)


def demo_notice(page_path: str = "") -> None:
    text = demo_notice_text() if page_path not in PAGES_WITH_THEIR_OWN_DEMO_NOTICE else None
    if text:
        st.info(text, icon=":material/science:")


@st.cache_resource(ttl=600, max_entries=256, show_spinner=False)
def _figure(module: str, name: str, args: tuple, kwargs: dict):
    """The figure itself, shared by every session and never changed (st.plotly_chart copies it)."""
    return getattr(importlib.import_module(module), name)(*args, **kwargs)


def chart(builder, *args, **kwargs) -> None:
    """Draw builder(*args, **kwargs), a Plotly figure of scrutiny's, in the house style.

    Building a Plotly figure costs tens of milliseconds of Python (plotly checks every property),
    and so does checking it again: st.plotly_chart checks every property of a figure given as a
    dict (about 65 ms for a trend chart), but only copies one given as a Figure (about 4 ms). So
    the same figure for the same data is built once, kept as a Figure and given as one."""
    st.plotly_chart(_figure(builder.__module__, builder.__qualname__, args, kwargs),
                    width="stretch", theme=None, config={"displaylogo": False})


def spc_chart_and_table(result, *, table_label: str, file_name: str, **chart_options) -> None:
    """An SPC chart, then its figures as a table with a CSV download (every chart has one)."""
    chart(spc_chart, result, **chart_options)
    with st.expander(table_label):
        table = spc_table(result, provisional=chart_options.get("provisional", ()))
        st.dataframe(spc_table_shown(table, chart_options.get("unit", COUNT)), hide_index=True, width="stretch")
        download_csv(table, file_name)




def table(frame: pd.DataFrame, formats: dict[str, str] | None = None, **options) -> None:
    """st.dataframe, with no "None" in it: a number column with gaps (no year before, no rate for
    records in no area) is shown as text, each figure written with its printf-style format from
    `formats` (thousands separated by default) and a dash where there is none. Columns without
    gaps stay numbers, formatted by Streamlit, so they sort as numbers."""
    formats = formats or {}
    shown, config = frame.copy(), dict(options.pop("column_config", {}))
    for column in frame.columns:
        spec = formats.get(column)
        if frame[column].isna().any():
            shown[column] = [formatting.NO_FIGURE if pd.isna(v) else
                             (spec % v if spec and spec != "localized" else f"{v:,.0f}" if isinstance(v, (int, float)) else str(v))
                             for v in frame[column]]
            config[column] = st.column_config.TextColumn()
        elif spec:
            config[column] = st.column_config.NumberColumn(format=spec)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config, **options)


def download_csv(table: pd.DataFrame, file_name: str, label: str = "Download this table (CSV)") -> None:
    st.download_button(label, safe_csv(table), file_name=file_name,
                       mime="text/csv", key=f"download-{file_name}")


# Meeting packs are made one at a time per server (scrutiny.core.turns says why).
PACK_TURNS = OneAtATime()


@st.cache_data(ttl=600, max_entries=4, show_spinner=False)
def _meeting_pack(path: str, version: tuple[int, int], month: Month, _while_waiting=None) -> bytes:
    """The month's pack from the pinned database file, cached by its version and the month. Only a
    pack that is not in the cache takes a turn (a made pack is offered at once, whoever is making
    another), so two people asking for one month's pack make it once."""
    from scrutiny.present.pack import pack_bytes  # the PDF library loads only when a pack is made
    from scrutiny.present.comparison import peer_group

    with PACK_TURNS.turn(while_waiting=_while_waiting or contextlib.nullcontext):
        snapshot = _connection(path, version)
        return pack_bytes(lambda name, **params: queries.run(snapshot, name, **params), month,
                          peers=peer_group(Path(path)))


def _pack_waits():
    return st.spinner(words.PACK_WAITS)


def meeting_pack_download(month: Month) -> None:
    """Make the month's meeting pack (PDF) on request, then offer it; never on every page view."""
    path, version = _pinned()
    made = f"pack-made-{month.key}"
    if not st.session_state.get(made):
        if not st.button(f"Make the meeting pack for {month.label} (PDF)", key=f"make-{made}",
                         icon=":material/picture_as_pdf:"):
            return
        from scrutiny.present.pack import PackUnavailable

        try:
            with st.spinner("Making the meeting pack: drawing its charts and laying out its pages takes 10 to 30 seconds..."):
                _meeting_pack(path, version, month, _while_waiting=_pack_waits)
        except PackUnavailable as error:  # no Pango on this server: one line that says so
            st.error(str(error))
            return
        st.session_state[made] = True
        st.rerun()  # show the download button in place of this one
    st.download_button(f"Download the meeting pack for {month.label} (PDF)",
                       _meeting_pack(path, version, month, _while_waiting=_pack_waits),
                       file_name=f"meeting-pack-{month.key}.pdf", mime="application/pdf",
                       key=f"download-{made}", icon=":material/download:")


# The Plan matrix: its HTML, with a few lines of JavaScript that turn a click on a cell into a
# question to the page (st.components.v2), so the detail opens in place. Registered once.
_PLAN_MATRIX = st.components.v2.component(
    "scrutiny.plan_matrix", html='<div class="plan-matrix-root"></div>', js=plan_view.MATRIX_JS,
    isolate_styles=False)


def _show_the_chosen_cell() -> None:
    """Before the run: the cell just chosen becomes the measure and the area of the detail (in the
    link as `measure` and `detail_area`); the sidebar's Area stays as it is."""
    cell = st.session_state["plan-matrix"]["cell"]
    st.session_state["measure"] = st.query_params["measure"] = str(cell["measure"])
    st.query_params["detail_area"] = str(cell["area"])
    st.session_state["plan-cell-chosen"] = True


def _detail_scroll(detail_asked: bool) -> int:
    """Whether this run scrolls the page to the Measure detail: a number the browser has not seen
    (it scrolls once for each), or 0 for no scroll. Only the run after a click on a cell, and the
    first run of the page opened from a link that names a measure (`detail_asked`), scroll: never
    a run for a button or a filter, though the link names a measure from then on. The matrix's
    state is dropped when another page runs, so its absence means the page has just been opened."""
    just_opened = "plan-matrix" not in st.session_state
    if not (st.session_state.pop("plan-cell-chosen", False) or (just_opened and detail_asked)):
        return 0
    st.session_state["plan-detail-scrolls"] = st.session_state.get("plan-detail-scrolls", 0) + 1
    return st.session_state["plan-detail-scrolls"]


def plan_matrix(matrix_html: str, *, detail_asked: bool) -> None:
    """Show the Plan matrix; a click on a cell shows that measure and area in the detail below."""
    _PLAN_MATRIX(key="plan-matrix", data={"html": matrix_html, "scroll_to_detail": _detail_scroll(detail_asked)},
                 on_cell_change=_show_the_chosen_cell)


def detail_follows_the_sidebar(area: str) -> None:
    """When the reader changes the sidebar's Area, the Plan's detail follows it again: a cell's (or a
    link's) `detail_area` is forgotten. It is kept while the sidebar's Area stays as it was."""
    if st.session_state.get("plan-sidebar-area", area) != area:
        st.query_params.pop("detail_area", None)
    st.session_state["plan-sidebar-area"] = area
