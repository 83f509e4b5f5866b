"""What `python3 dorfkern.py test` and `python3 dorfkern.py run` do inside the virtualenv."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_tests(args: list[str]) -> int:
    """Run the whole test suite (embedded PostgreSQL and Redis unless DATABASE_URL/REDIS_URL are set)."""
    os.chdir(ROOT)
    result = subprocess.run([sys.executable, "-m", "pytest", *args])
    return result.returncode


def run_platform(args: list[str]) -> int:
    raise SystemExit("`run` is being built: see the README")
