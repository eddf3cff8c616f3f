"""Where things live. Every path comes from this file's location, never the working directory."""
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # scrutiny/
REPO_ROOT = PACKAGE_DIR.parent
QUERIES_DIR = REPO_ROOT / "queries"
SCHEMA_DIR = PACKAGE_DIR / "store" / "schema"
WRITES_DIR = PACKAGE_DIR / "store" / "sql"  # the write-side SQL, one statement a file
DEMO_DIR = REPO_ROOT / "data" / "demo"
AREAS_DIR = REPO_ROOT / "data" / "areas"  # lookups and area mappings for real data
DEFAULT_DB = REPO_ROOT / "data" / "scrutiny.duckdb"


def database_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database to use: an explicit path, else $SCRUTINY_DB, else the bundled demo file."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get("SCRUTINY_DB")
    return Path(from_env) if from_env else DEFAULT_DB
