#!/usr/bin/env python3
"""Dorfkern's two commands, for a machine with nothing but Python 3.11+.

    python3 dorfkern.py run     set up and run the whole platform with a demo town
    python3 dorfkern.py test    run all tests
    python3 dorfkern.py run --help    options: --port, --no-demo, --reset

Both create .venv/ and install the pinned requirements on first use (again
only when a requirements file changes), then re-run themselves inside it.
DATABASE_URL / REDIS_URL switch from the embedded servers to real ones.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
REQUIREMENTS = ROOT / "requirements-dev.txt"


def _requirements_digest() -> str:
    digest = hashlib.sha256()
    for name in ("requirements.txt", "requirements-dev.txt"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_venv() -> None:
    """Create .venv and install the pinned requirements unless they're already in place."""
    marker = VENV / ".requirements.sha256"
    wanted = _requirements_digest()
    if marker.exists() and marker.read_text() == wanted and VENV_PYTHON.exists():
        return
    if not VENV_PYTHON.exists():
        print("» creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("» installing pinned requirements (first run takes a minute or two)", flush=True)
    pip = [str(VENV_PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "-r", str(REQUIREMENTS)], check=True)
    marker.write_text(wanted)


def in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this file is what a too-old Python runs first
        sys.exit("Dorfkern needs Python 3.11 or newer.")
    command = argv[0] if argv else "help"
    if command not in {"run", "test"}:
        print(__doc__)
        return 0 if command in {"help", "-h", "--help"} else 2
    if not in_venv():
        ensure_venv()
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(ROOT / "dorfkern.py"), *argv])
    sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
    if command == "test":
        from config.devtools import run_tests

        return run_tests(argv[1:])
    from config.devtools import run_platform

    return run_platform(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
