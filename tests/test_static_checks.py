"""The static checks of `python3 dorfkern.py test` (issue 3 §6): order, failure, and what the import contracts catch.

The contracts are exercised on a small throw-away tree with the repository's own
.importlinter, so a test here proves that a module folder added tomorrow is covered
without anyone editing the contract file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from config import devtools

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _root_packages() -> list[str]:
    lines = (ROOT / ".importlinter").read_text().split("root_packages =", 1)[1].split("[", 1)[0]
    return [line.strip() for line in lines.splitlines() if line.strip() and not line.strip().startswith(";")]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Every root package of the contracts as an empty package, plus two feature modules that import nothing."""
    for package in _root_packages():
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    for module in ("alpha", "beta"):
        folder = tmp_path / "modules" / module
        folder.mkdir()
        for name in ("__init__", "models", "facade", "views"):
            (folder / f"{name}.py").write_text("")
    (tmp_path / ".importlinter").write_text((ROOT / ".importlinter").read_text())
    return tmp_path


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"], cwd=tree, capture_output=True, text=True,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
    )


def test_contracts_hold_for_modules_that_meet_through_their_facades(tree):
    # given: beta uses alpha's public face, and alpha's facade reads alpha's own models
    (tree / "modules" / "beta" / "views.py").write_text("from modules.alpha.facade import *  # noqa\n")
    (tree / "modules" / "alpha" / "facade.py").write_text("from modules.alpha import models  # noqa\n")

    # when
    result = _lint(tree)

    # then
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


def test_a_module_reaching_into_another_modules_internals_breaks_the_contract(tree):
    # given: a module folder the contract file has never heard of
    (tree / "modules" / "gamma").mkdir()
    (tree / "modules" / "gamma" / "__init__.py").write_text("")
    (tree / "modules" / "gamma" / "views.py").write_text("from modules.alpha import models  # noqa\n")

    # when
    result = _lint(tree)

    # then
    assert result.returncode != 0
    assert "modules.gamma is not allowed to import modules.alpha" in result.stdout
    assert "modules.gamma.views -> modules.alpha.models" in result.stdout


@pytest.mark.parametrize("source", ["tenants", "billing"])
def test_public_schema_apps_importing_a_module_break_the_contract(tree, source):
    # given: even a module's facade is off limits to the public-schema apps
    (tree / source / "services.py").write_text("from modules.alpha import facade  # noqa\n")

    # when
    result = _lint(tree)

    # then
    assert result.returncode != 0
    assert "tenants and billing never import feature modules BROKEN" in result.stdout
    assert f"{source}.services -> modules.alpha.facade" in result.stdout


@pytest.mark.parametrize("library", ["requests", "urllib3"])
def test_a_module_fetching_urls_with_its_own_http_library_breaks_the_contract(tree, library):
    # given: a module that would fetch a town's feed without core.outbound's address checks
    (tree / "modules" / "alpha" / "views.py").write_text(f"import {library}  # noqa\n")

    # when
    result = _lint(tree)

    # then
    assert result.returncode != 0
    assert "fetched only through core.outbound BROKEN" in result.stdout
    assert f"modules.alpha.views -> {library}" in result.stdout


def test_static_checks_run_in_order_before_pytest_and_stop_at_the_first_failure(tmp_path, monkeypatch, capfd):
    # given: three checks, the second fails; a test that would leave a marker if pytest ran
    marker = tmp_path / "ran"
    third = tmp_path / "third-ran"
    checks = [
        ("first", [sys.executable, "-c", "print('first output')"], "problems"),
        ("second", [sys.executable, "-c", "print('what is wrong'); raise SystemExit(3)"], "problems"),
        ("third", [sys.executable, "-c", f"open({str(third)!r}, 'w')"], "problems"),
    ]
    monkeypatch.setattr(devtools, "static_checks", lambda: checks)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_marker.py").write_text(f"def test_marker():\n    open({str(marker)!r}, 'w')\n")

    # when
    code = devtools.run_tests(["-q", "-p", "no:django", "-c", str(tmp_path / "pytest.ini"), str(tmp_path)])

    # then
    out, err = capfd.readouterr()
    assert code == 3
    assert "✓ first passed" in out and "first output" not in out  # a passing check stays quiet
    assert "what is wrong" in out  # a failing one shows its findings
    assert "✗ second found problems" in err and "pytest did not run" in err
    assert not third.exists()
    assert not marker.exists()


def test_pytest_runs_after_the_static_checks_pass(tmp_path, monkeypatch, capfd):
    # given
    marker = tmp_path / "ran"
    monkeypatch.setattr(devtools, "static_checks", lambda: [("quick", [sys.executable, "-c", "pass"], "problems")])
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # the installed plugins take seconds to import
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_marker.py").write_text(f"def test_marker():\n    open({str(marker)!r}, 'w')\n")

    # when
    code = devtools.run_tests(["-q", "-p", "no:django", "-c", str(tmp_path / "pytest.ini"), str(tmp_path)])

    # then
    out, _err = capfd.readouterr()
    assert code == 0
    assert marker.exists()
    assert out.index("» quick") < out.index("» pytest")


def test_the_checks_are_ruff_mypy_and_import_linter_in_that_order():
    assert [name for name, _command, _failure in devtools.static_checks()] == ["ruff", "mypy", "import-linter"]
