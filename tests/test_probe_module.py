"""Proof that a new module touches nothing shared (issue 10 §10).

tests/probe/probe_module is a feature module outside modules/ that provides every kind of
capability. Its own pytest session (tests.probe.settings: the test settings plus the probe,
its own database) runs its tests and the platform's generic module tests — the contract and
the route-enumerating isolation suite — with the probe among the modules.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PROBE_DIR = ROOT / "tests" / "probe"


def test_a_module_with_every_capability_works_with_no_edit_outside_its_folder():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.probe.settings"}
    result = subprocess.run(
        # The contract's checks of the probe itself and of all modules together, and the isolation suite over
        # every route (the probe's among them); switching each other module off and on again (T13) is the
        # main session's work, so here only the probe is switched.
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-x", "tests/probe",
         "tests/modules/test_contract.py", "tests/isolation/test_routes.py",
         "-k", "(not test_contract and not test_t13) or probe or url_mounts or unique or registered"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout.splitlines()[-1]


def test_nothing_outside_the_probes_folder_names_it():
    outside = []
    for path in ROOT.rglob("*.py"):
        if ".venv" in path.parts or PROBE_DIR in path.parents or path == Path(__file__):
            continue
        if "probe_module" in path.read_text(errors="ignore"):
            outside.append(str(path.relative_to(ROOT)))
    assert outside == []
