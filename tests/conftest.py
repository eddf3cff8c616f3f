"""Shared fixtures: a demo database built once per session in a temporary folder, and the
real data.police.uk files in ../shared (present in CI; optional on a developer's clone)."""
import os
from pathlib import Path

import duckdb
import pytest

from scrutiny.demo.build import build_demo
from scrutiny.core.paths import DEMO_DIR, REPO_ROOT

SHARED_REAL = REPO_ROOT.parent / "shared" / "data" / "real"
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("db") / "demo.duckdb"
    build_demo(path, DEMO_DIR)
    return path


@pytest.fixture
def demo_con(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The real files; CI always has them beside the repository, so there a miss is a failure."""
    if not SHARED_REAL.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED_REAL} is missing; CI must have shared/ beside the repository")
        pytest.skip("real data files (../shared/data/real) are not beside this clone")
    return SHARED_REAL


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
