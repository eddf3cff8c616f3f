"""Load test (a script, not a test; it talks to a Streamlit server, so it lives outside the
scrutiny package, which never imports Streamlit): N real Streamlit sessions (the websocket protocol the
browser speaks) against a local `streamlit run`, moving through the pages while the database
file is replaced underneath them, as an import does. With --url, the sessions go to a server
already running on this machine instead (scripts/serve-many.sh's proxy, say), and --swap-db names
the file it serves to replace (with a copy of itself) while they run.

Bounded in sessions, time and requests, and only ever talks to 127.0.0.1. A page view is timed
from the request to the server's "script finished" message: the server-side work a user waits
for, without the browser's drawing (which happens on the user's machine).
"""
from __future__ import annotations

import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from scrutiny.demo.build import build_demo  # noqa: E402
from scrutiny.core.paths import DEMO_DIR, REPO_ROOT  # noqa: E402

PAGES = ["", "areas", "trends", "plan", "compare", "present", "methodology"]
MAX_SESSIONS, MAX_SECONDS, MAX_VIEWS_PER_SESSION = 100, 600, 2000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(db: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        # as scripts/serve-dashboard.sh starts it: the pages' modules imported before the server answers
        [sys.executable, str(REPO_ROOT / "scripts" / "serve.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=REPO_ROOT, env=dict(os.environ, SCRUTINY_DB=str(db)), stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"streamlit did not start; see {log}")


def _swapper(db: Path, spare: Path, stop: threading.Event, every: float, swaps: list) -> None:
    """Write a new database file beside the served one and rename it into place, as an import does.
    The new file is a copy of a spare built once, so a swap takes a copy's time, not a demo build's
    (which on a busy machine took longer than the interval, and swapped less often than asked)."""
    beside = db.with_name(db.name + ".new")
    while not stop.wait(every):
        shutil.copyfile(spare, beside)
        os.replace(beside, db)
        swaps.append(time.monotonic())


def _connect(url: str):
    import websockets

    return websockets.connect(url.replace("http://", "ws://") + "/_stcore/stream",
                              subprotocols=["streamlit"], max_size=None)


class Widgets(dict):
    """The widgets a run drew, by label: (id, options) for a selectbox, (id, disabled) for a button."""


async def _run(ws, page: str, query_string: str = "", timeout: float = 60,
               widget_states=None) -> tuple[float, list[str], Widgets]:
    """Ask the server to run one page in this session, as a browser does when a link is opened or a
    widget changes (`widget_states`); return the seconds until the run finished, the exceptions the
    page showed and the selectboxes and buttons it drew."""
    from streamlit.proto.Alert_pb2 import Alert
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ERROR = Alert.Format.ERROR
    request = BackMsg()
    request.rerun_script.query_string = query_string
    request.rerun_script.page_name = page
    for state in widget_states or ():
        request.rerun_script.widget_states.widgets.add().CopyFrom(state)
    started = time.monotonic()
    await ws.send(request.SerializeToString())
    shown, widgets = [], Widgets()
    while True:
        message = ForwardMsg()
        message.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=timeout))
        kind = message.WhichOneof("type")
        if kind == "delta":
            element = message.delta.new_element
            drawn = element.WhichOneof("type")
            if drawn == "exception":
                shown.append(f"{page or 'overview'}: {element.exception.message}")
            elif drawn == "alert" and element.alert.format == ERROR:  # an error the page showed in words
                shown.append(f"{page or 'overview'}: {element.alert.body}")
            elif drawn == "selectbox":
                widgets[element.selectbox.label] = (element.selectbox.id, list(element.selectbox.options))
            elif drawn == "button":
                widgets[element.button.label] = (element.button.id, element.button.disabled)
        # A run that ends in st.rerun() is followed by the run it asked for: the user waits for both.
        if kind == "script_finished" and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            return time.monotonic() - started, shown, widgets


async def _view(ws, page: str, query_string: str = "", timeout: float = 60) -> tuple[float, list[str]]:
    """A page view: the seconds until the run finished and the exceptions the page showed."""
    seconds, shown, _ = await _run(ws, page, query_string, timeout)
    return seconds, shown


def _state(widget_id: str, **value):
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    return WidgetState(id=widget_id, **value)


# What a user does on a page after reading it, besides moving to the next page: the sidebar's
# filters on the pages that use them, a cell of the Plan's matrix, the next slide.
FILTER_OF_PAGE = {"": "Area", "areas": "Crime type", "trends": "Area", "compare": "Crime type"}
KINDS = ("page view", "filter change", "matrix click", "slide step")
# A session's first view (a new session, and often a page no one has viewed since the last swap) is
# also counted among the page views; its own line shows how much of their tail it makes.
FIRST_VIEW = "first view"
# Every view and interaction: (seconds, kind, page, when it ended), for --slowest
EACH = "each"
MATRIX_CELLS = [("all_crime", "city-centre"), ("burglary", "charnwood"), ("anti_social_behaviour", "melton-rutland"),
                ("neighbourhood_crime", "hinckley-blaby")]


async def _interact(ws, url: str, page: str, widgets: Widgets, query_string: str, reader) -> tuple[str, float, list[str]] | None:
    """One interaction on the page just viewed, timed as the browser's request to the run's end:
    (kind, seconds, exceptions shown), or None if the page offers none."""
    label = FILTER_OF_PAGE.get(page)
    if label in widgets:
        widget_id, options = widgets[label]
        seconds, shown, _ = await _run(ws, page, query_string, widget_states=[
            _state(widget_id, string_value=reader.choice(options))])
        return "filter change", seconds, shown
    if page == "plan":
        # Today a matrix cell is a link (`?measure=...&area=...#measure-detail`), so a click loads the
        # page afresh: a new session (a new websocket) that runs the Plan page for that cell.
        measure, area = reader.choice(MATRIX_CELLS)
        started = time.monotonic()
        async with _connect(url) as fresh:
            _, shown, _ = await _run(fresh, "plan", f"measure={measure}&area={area}&month=2024-01")
        return "matrix click", time.monotonic() - started, shown
    if page == "present" and "Next" in widgets and not widgets["Next"][1]:
        seconds, shown, _ = await _run(ws, page, query_string, widget_states=[
            _state(widgets["Next"][0], trigger_value=True)])
        return "slide step", seconds, shown
    return None


async def _session(url: str, deadline: _Deadline, think: float, seed: int, timings: dict, errors: list,
                   arrive_after: float = 0.0) -> bool:
    """One user: connect, then view page after page until the deadline, reading each for about
    `think` seconds (0 = as fast as the server answers) and, on most pages, doing one thing there
    (changing a filter, clicking a matrix cell, stepping a slide) and reading the result.
    `timings` gets the seconds of each, by kind. It arrives `arrive_after` seconds after the start.
    True if the session stayed up."""
    import random

    reader = random.Random(seed)

    async def read():
        if think:
            await asyncio.sleep(reader.uniform(0.5 * think, 1.5 * think))

    if arrive_after:
        await asyncio.sleep(arrive_after)
    try:
        async with _connect(url) as ws:
            for view in range(MAX_VIEWS_PER_SESSION):
                if deadline.passed():
                    return True
                page = PAGES[(view + seed) % len(PAGES)]
                seconds, shown, widgets = await _run(ws, page, "month=2024-01")
                timings["page view"].append(seconds)
                timings[EACH].append((seconds, "first view" if view == 0 else "page view", page, time.monotonic()))
                if view == 0:
                    timings[FIRST_VIEW].append(seconds)
                errors.extend(shown)
                await read()
                if deadline.passed():
                    return True
                done = await _interact(ws, url, page, widgets, "month=2024-01", reader)
                if done is not None:
                    kind, seconds, shown = done
                    timings[kind].append(seconds)
                    timings[EACH].append((seconds, kind, page, time.monotonic()))
                    errors.extend(shown)
                    await read()
            return True
    except Exception as error:  # a dropped connection or a timeout is an error of the server
        errors.append(f"session failed: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
        return False


PACK_MONTHS = [f"{year}-{month:02d}" for year, month in [(2023, m) for m in range(1, 13)] + [(2024, 1)]]
PACK_BUTTON = "Make the meeting pack"


async def _pack_maker(url: str, deadline: _Deadline, seed: int, builds: list, errors: list,
                      enough_packs: int = 0) -> None:
    """One user making meeting packs: on the Plan page, press "Make the meeting pack" for one
    month after another (each month's pack is built afresh: they are cached by month), as the
    office might before a meeting. The seconds each press took go in `builds`; once ENOUGH_PACKS
    (if not 0) are made, the run ends for everyone."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    try:
        async with _connect(url) as ws:
            for n in range(MAX_VIEWS_PER_SESSION):
                if deadline.passed():
                    return
                query_string = f"month={PACK_MONTHS[(seed + n) % len(PACK_MONTHS)]}"
                button = await _find_button(ws, "plan", query_string, PACK_BUTTON)
                if button is None:  # this month's pack was made already in this session
                    continue
                press = BackMsg()
                press.rerun_script.query_string = query_string
                press.rerun_script.page_name = "plan"
                press.rerun_script.widget_states.widgets.add(id=button, trigger_value=True)
                started = time.monotonic()
                await ws.send(press.SerializeToString())
                while True:  # the press's run, then the rerun that offers the download
                    message = ForwardMsg()
                    message.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=600))
                    if message.WhichOneof("type") == "delta" and \
                            message.delta.new_element.WhichOneof("type") == "download_button":
                        builds.append(time.monotonic() - started)
                        if enough_packs and len(builds) >= enough_packs:
                            deadline.end_now()
                        break
    except Exception as error:
        errors.append(f"pack maker failed: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")


async def _find_button(ws, page: str, query_string: str, label_starts: str) -> str | None:
    """View a page and return the id of the button whose label starts with `label_starts`."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    request = BackMsg()
    request.rerun_script.query_string = query_string
    request.rerun_script.page_name = page
    await ws.send(request.SerializeToString())
    found = None
    while True:
        message = ForwardMsg()
        message.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=120))
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.new_element.WhichOneof("type") == "button":
            button = message.delta.new_element.button
            if button.label.startswith(label_starts):
                found = button.id
        if kind == "script_finished" and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            return found


class _Deadline:
    """When the run ends: SECONDS from now, or earlier once it has seen enough (`end_now`)."""

    def __init__(self, seconds: float):
        self.at = time.monotonic() + seconds

    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def left(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def end_now(self) -> None:
        self.at = min(self.at, time.monotonic())


async def _until(deadline: _Deadline, work) -> None:
    """Run `work` until the deadline: a pack still waiting its turn then is not waited for."""
    try:
        await asyncio.wait_for(work, timeout=deadline.left())
    except asyncio.TimeoutError:
        pass


async def _all_sessions(url: str, sessions: int, seconds: float, think: float, timings: dict, errors: list,
                        pack_makers: int = 0, builds: list | None = None, enough_packs: int = 0,
                        arrive_over: float = 0.0) -> int:
    deadline = _Deadline(seconds)
    makers = [_until(deadline, _pack_maker(url, deadline, i, builds if builds is not None else [], errors, enough_packs))
              for i in range(pack_makers)]
    # Spread evenly over `arrive_over` seconds (0: all at once, the harshest start)
    held = await asyncio.gather(*(_session(url, deadline, think, i, timings, errors, arrive_over * i / sessions)
                                  for i in range(sessions)), *makers)
    return sum(h for h in held[:sessions])


def _this_machine_only(url: str) -> str:
    """URL without a trailing slash, if it is on this machine: a load test is not for others' servers."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost") or parts.path.strip("/"):
        raise ValueError(f"--url must be http://127.0.0.1:PORT (a server on this machine), not {url}")
    return url.rstrip("/")


@contextmanager
def _own_server(folder: Path):
    """A `streamlit run` of its own on a demo database, and the files to swap under it."""
    db = folder / "load.duckdb"
    build_demo(db, DEMO_DIR)
    spare = folder / "spare.duckdb"
    shutil.copyfile(db, spare)  # what a second build would make, without its seconds
    server, url = _start_server(db, folder / "server.log")
    try:
        yield url, db, spare
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def _running_server(url: str, swap_db: Path | None, folder: Path):
    """A server already running; SWAP_DB, the database it serves, if it is to be swapped: with a
    copy of itself, so that what the server shows does not change, only the file under it."""
    url, spare = _this_machine_only(url), None
    if swap_db is not None:
        spare = folder / "spare.duckdb"
        shutil.copyfile(swap_db, spare)
    yield url, swap_db, spare


def run_load(sessions: int = 20, seconds: float = 60, swap_every: float = 5.0, think: float = 5.0,
             out=print, url: str | None = None, swap_db: Path | None = None, pack_makers: int = 0,
             enough_packs: int = 0, arrive_over: float = 0.0, slowest: int = 0) -> dict:
    """ENOUGH_PACKS (with PACK_MAKERS): end the run once that many packs are made, before SECONDS
    if it comes first (a test need not soak longer than it takes to see one made). ARRIVE_OVER: the
    sessions start evenly over that many seconds (0: all at once)."""
    sessions, seconds = min(sessions, MAX_SESSIONS), min(seconds, MAX_SECONDS)
    with tempfile.TemporaryDirectory() as folder:
        server = _own_server(Path(folder)) if url is None else _running_server(url, swap_db, Path(folder))
        with server as (url, db, spare):
            timings, errors, swaps, builds = {kind: [] for kind in (*KINDS, FIRST_VIEW, EACH)}, [], [], []
            started = time.monotonic()
            stop = threading.Event()
            swapper = threading.Thread(target=_swapper, args=(db, spare, stop, swap_every, swaps), daemon=True)
            swapped = (f"while the database is replaced every {swap_every:.0f} s" if db is not None
                       else "(the database is not swapped)")
            try:
                arriving = f", arriving over {arrive_over:.0f} s" if arrive_over else ", all arriving at once"
                out(f"{sessions} sessions on {url}{arriving}, each moving through {len(PAGES)} pages for "
                    f"{seconds:.0f} s (about {think:.0f} s on each page), {swapped}")
                if db is not None:
                    swapper.start()
                if pack_makers:
                    out(f"and {pack_makers} more making meeting packs, one month after another")
                held = asyncio.run(_all_sessions(url, sessions, seconds, think, timings, errors, pack_makers, builds,
                                                 enough_packs, arrive_over))
            finally:
                stop.set()
                if swapper.is_alive():
                    swapper.join(timeout=60)
    report = {
        "sessions": sessions, "sessions_held": held, "page_views": len(timings["page view"]), "errors": len(errors),
        "database_swaps": len(swaps), "kinds": {kind: _percentiles(timings[kind]) for kind in (*KINDS, FIRST_VIEW)},
    }
    report["page_median_s"], report["page_p95_s"] = report["kinds"]["page view"]["median_s"], \
        report["kinds"]["page view"]["p95_s"]
    if pack_makers:
        report["packs_made"] = len(builds)
        report["pack_median_s"] = statistics.median(builds) if builds else None
        out(f"meeting packs made: {len(builds)}" + (f", median {report['pack_median_s']:.1f} s from press to download"
                                                  if builds else ""))
    out(f"sessions held: {held}/{sessions}; page views: {len(timings['page view'])}; "
        f"interactions: {sum(len(timings[kind]) for kind in KINDS[1:])}; errors: {len(errors)}; "
        f"database swaps: {len(swaps)}")
    out("request to script finished (target: p95 under 1 s for every kind, zero errors):")
    for kind in (*KINDS, FIRST_VIEW):
        figures = report["kinds"][kind]
        if figures["count"]:
            label = "(of which first views)" if kind == FIRST_VIEW else kind
            out(f"  {label:<22} {figures['count']:>5}  median {figures['median_s']:.2f} s  p95 {figures['p95_s']:.2f} s")
    for message in errors[:10]:
        out(f"  error: {message}")
    if slowest:
        out(f"the {slowest} slowest (seconds, what, page, seconds into the run when it ended):")
        for seconds, kind, page, ended in sorted(timings[EACH], reverse=True)[:slowest]:
            out(f"  {seconds:5.2f} s  {kind:<14} {page or 'overview':<12} at {ended - started:5.1f} s")
    return report


def _percentiles(seconds: list[float]) -> dict:
    """Count, median and 95th percentile (the nearest rank) of some timings."""
    ordered = sorted(seconds)
    if not ordered:
        return {"count": 0, "median_s": None, "p95_s": None}
    return {"count": len(ordered), "median_s": statistics.median(ordered),
            "p95_s": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]}


def _peak_memory_bytes(pid: int) -> int:
    """The process's peak resident memory (Linux: VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


async def _time_each_page(url: str, repeats: int) -> dict[str, list[float]]:
    """One session views every page `repeats` times: the server-side run time of each page."""
    timings: dict[str, list[float]] = {page or "overview": [] for page in PAGES}
    async with _connect(url) as ws:
        for _ in range(repeats + 1):  # the first round fills the caches and is not counted
            for page in PAGES:
                seconds, shown = await _view(ws, page, timeout=300)
                if shown:
                    raise RuntimeError("; ".join(shown))
                timings[page or "overview"].append(seconds)
    return {page: values[1:] for page, values in timings.items()}


def page_timings(db: Path, repeats: int = 5) -> dict:
    """Serve `db`, time every page's server-side run, and read the server's peak memory."""
    with tempfile.TemporaryDirectory() as folder:
        server, url = _start_server(db, Path(folder) / "server.log")
        try:
            timings = asyncio.run(_time_each_page(url, repeats))
            peak = _peak_memory_bytes(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=10)
    return {"pages": timings, "peak_memory_bytes": peak}


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help=f"sessions (at most {MAX_SESSIONS})")
    parser.add_argument("--seconds", type=float, default=60, help=f"how long (at most {MAX_SECONDS})")
    parser.add_argument("--swap-every", type=float, default=5.0, help="seconds between database swaps")
    parser.add_argument("--think", type=float, default=5.0,
                        help="seconds a user spends on a page, on average (0: as fast as the server answers)")
    parser.add_argument("--url", help="run the sessions against this server, already running on this machine "
                        "(http://127.0.0.1:PORT, e.g. scripts/serve-many.sh's proxy), instead of starting one")
    parser.add_argument("--swap-db", metavar="DB", help="with --url: the database file that server serves, "
                        "replaced every --swap-every seconds by a copy of itself (as an import replaces it); "
                        "without it, nothing is swapped")
    parser.add_argument("--arrive-over", type=float, default=0.0, metavar="SECONDS",
                        help="start the sessions evenly over this many seconds, as people arrive (default 0: "
                             "all in the same instant)")
    parser.add_argument("--pack-makers", type=int, default=0, metavar="N",
                        help="N more sessions pressing 'Make the meeting pack' month after month, beside the "
                             "browsing sessions (whose page views are the ones timed)")
    parser.add_argument("--slowest", type=int, default=0, metavar="N",
                        help="also list the N slowest views and interactions: which page, and when in the run")
    parser.add_argument("--page-timings", metavar="DB", help="instead: serve DB and print each page's "
                        "server-side run times and the server's peak memory as JSON")
    parser.add_argument("--repeats", type=int, default=5, help="with --page-timings: views per page")
    args = parser.parse_args(argv)
    if args.page_timings:
        print(json.dumps(page_timings(Path(args.page_timings), args.repeats)))
        return 0
    if args.swap_db and not args.url:
        parser.error("--swap-db goes with --url (without --url the script swaps its own database)")
    try:
        report = run_load(args.sessions, args.seconds, args.swap_every, args.think, url=args.url,
                          swap_db=Path(args.swap_db) if args.swap_db else None, pack_makers=args.pack_makers,
                          arrive_over=args.arrive_over, slowest=args.slowest)
    except ValueError as error:
        parser.error(str(error))
    return 0 if report["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
