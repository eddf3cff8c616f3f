"""`streamlit run dashboard.py ARGS...`, with the modules the pages use imported first.

Streamlit imports a page's modules when the first visitor opens it: on a 2-core machine that was
several seconds (scipy's statistics alone take about 2 s) added to the first visitor's wait. Here
they are imported before the server starts, so the server answers only once they are ready. The
modules are read from the imports of dashboard.py, ui.py and pages/*.py, so a new page needs no
change here. Once the server answers, a session of its own opens every page once (see
open_every_page_once_answering) and the script prints PAGES_OPENED. scripts/serve-dashboard.sh
runs this; extra arguments go to `streamlit run`.
"""
from __future__ import annotations

import ast
import asyncio
import importlib
import re
import sys
import threading
import time
import urllib.request
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


# Printed once every page has been opened (scripts/serve-many.sh waits for it before sending users).
PAGES_OPENED = "scrutiny: every page opened once"
OPEN_PAGES_WITHIN_S = 180


def page_paths() -> list[str]:
    """The URL path of every page dashboard.py declares ('' for the default page)."""
    return [found.group(1) if (found := re.search(r'url_path="([^"]*)"', line)) else ""
            for line in (REPO_ROOT / "dashboard.py").read_text().splitlines() if "st.Page(" in line]


def local_url(address: str, port: int, base_path: str = "") -> str:
    """Where this machine reaches a server listening on ADDRESS and PORT (Streamlit's options)."""
    host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "localhost": "127.0.0.1", "::": "::1"}.get(address, address)
    host = f"[{host}]" if ":" in host else host  # an IPv6 address, in brackets in a URL
    base = base_path.strip("/")
    return f"http://{host}:{port}" + (f"/{base}" if base else "")


def served_url() -> str | None:
    """The server's address as Streamlit's options give it now (the command line, config.toml or the
    environment; the port Streamlit moved to, if the one asked for was taken); None over TLS."""
    from streamlit import config

    if config.get_option("server.sslCertFile"):
        return None
    return local_url(config.get_option("server.address") or "", config.get_option("server.port"),
                     config.get_option("server.baseUrlPath") or "")


async def open_every_page(url: str) -> None:
    """One session of its own views every page once, as a visitor would, with the page's defaults."""
    import websockets  # Streamlit's own server needs it, so it is there
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async with websockets.connect(url.replace("http://", "ws://", 1) + "/_stcore/stream",
                                  subprotocols=["streamlit"], max_size=None) as stream:
        for page in page_paths():
            request = BackMsg()
            request.rerun_script.page_name = page
            await stream.send(request.SerializeToString())
            while True:
                message = ForwardMsg()
                message.ParseFromString(await asyncio.wait_for(stream.recv(), OPEN_PAGES_WITHIN_S))
                if (message.WhichOneof("type") == "script_finished"
                        and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN):
                    break


def open_every_page_once_answering() -> None:
    """Once the server answers, open every page once, so that the first visitors find what the pages
    work out (the briefing, the slides, every query's result) already worked out. Under 20 visitors
    arriving at once, their first views took up to 2 s; warm, the same views take a tenth of that."""
    started = time.monotonic()
    try:
        while True:
            time.sleep(0.2)  # first, so that Streamlit has read its options (the command line's too)
            url = served_url()
            if url is None:
                raise RuntimeError("served over TLS, which this does not speak")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() - started > OPEN_PAGES_WITHIN_S:
                    raise TimeoutError("the server did not answer") from None
        asyncio.run(open_every_page(url))
    except Exception as error:  # costs only the first visitors' wait: say so and serve on
        print(f"scrutiny: the pages were not opened before the first visitor ({error})", flush=True)
        return
    print(f"{PAGES_OPENED} ({time.monotonic() - started:.1f} s)", flush=True)


def main() -> int:
    sys.path.insert(0, str(REPO_ROOT))  # as `streamlit run` puts the script's folder on the path
    import_all(page_modules())
    from streamlit.web import cli

    threading.Thread(target=open_every_page_once_answering, name="open-every-page", daemon=True).start()

    sys.argv = ["streamlit", "run", str(REPO_ROOT / "dashboard.py"), *sys.argv[1:]]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
