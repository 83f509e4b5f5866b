"""Proof that a new module touches nothing shared (issue 10 §10).

tests/probe/probe_module is a feature module outside modules/ that provides every kind of
capability. Its own pytest session (tests.probe.settings: the test settings plus the probe,
its own database and Redis) runs its tests and the platform's generic module tests — the contract
and the route-enumerating isolation suite — with the probe among the modules.

That session starts as soon as the main one has collected (tests/conftest.py calls the test's
`background_start`) and runs alongside it on the machine's other core: its setup alone (a database
migrated from scratch, two towns) took over a minute when it ran in line.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PROBE_DIR = ROOT / "tests" / "probe"
# Counted from the start of the main session, which shares the machine with it meanwhile.
PROBE_SESSION_TIMEOUT_SECONDS = 2400
# The contract's checks of the probe itself and of all modules together, and the isolation suite over
# every route (the probe's among them); switching each other module off and on again (T13) is the
# main session's work, so here only the probe is switched.
PROBE_SESSION_ARGS = [
    "-q", "-p", "no:randomly", "-x", "tests/probe", "tests/modules/test_contract.py", "tests/isolation/test_routes.py",
    "-k", "(not test_contract and not test_t13) or probe or url_mounts or unique or registered",
]


@dataclass
class ProbeSession:
    process: subprocess.Popen
    output: IO[str]  # a file, not a pipe: a pipe nobody reads while the main session runs would fill up

    def result(self) -> tuple[int, str]:
        try:
            code = self.process.wait(timeout=PROBE_SESSION_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.stop()
            raise
        self.output.seek(0)
        return code, self.output.read()

    def stop(self) -> None:
        """Ask a still running session to end (SIGTERM: it stops its own Redis), then close its output."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.output.close()


def probe_session_start() -> ProbeSession:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.probe.settings"}
    output = tempfile.TemporaryFile("w+", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "pytest", *PROBE_SESSION_ARGS], cwd=ROOT, env=env,
                               stdout=output, stderr=subprocess.STDOUT, text=True)
    return ProbeSession(process, output)


def test_a_module_with_every_capability_works_with_no_edit_outside_its_folder(request: pytest.FixtureRequest):
    session = getattr(request.config, "_background_started", {}).get(request.node.nodeid) or probe_session_start()
    try:
        code, output = session.result()
    finally:
        session.stop()
    assert code == 0, output[-6000:]
    assert " passed" in output.strip().splitlines()[-1]


test_a_module_with_every_capability_works_with_no_edit_outside_its_folder.background_start = (  # type: ignore[attr-defined]
    probe_session_start
)


def test_nothing_outside_the_probes_folder_names_it():
    outside = []
    for path in ROOT.rglob("*.py"):
        if ".venv" in path.parts or PROBE_DIR in path.parents or path == Path(__file__):
            continue
        if "probe_module" in path.read_text(errors="ignore"):
            outside.append(str(path.relative_to(ROOT)))
    assert outside == []
