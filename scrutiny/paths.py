"""Where things live. Every path comes from this file's location, never the working directory."""
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = REPO_ROOT / "queries"
SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
DEMO_DIR = REPO_ROOT / "data" / "demo"
AREAS_DIR = REPO_ROOT / "data" / "areas"  # lookups and area mappings for real data
DEFAULT_DB = REPO_ROOT / "data" / "scrutiny.duckdb"


def database_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database to use: an explicit path, else $SCRUTINY_DB, else the bundled demo file."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get("SCRUTINY_DB")
    return Path(from_env) if from_env else DEFAULT_DB
