"""`python3 dorfkern.py test` brings Chromium or says how to get it; it never fails the run for it."""

from __future__ import annotations

from pathlib import Path

from config import devtools


def test_without_root_it_prints_the_command_and_carries_on(monkeypatch, capsys, tmp_path):
    # given no Chromium and an ordinary user
    monkeypatch.setattr(devtools, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.setattr(devtools.os, "geteuid", lambda: 1000)
    ran = []
    monkeypatch.setattr(devtools.subprocess, "run", lambda *args, **kwargs: ran.append(args))

    # when
    available = devtools.ensure_chromium()

    # then nothing is installed, and the person is told exactly what to run
    assert available is False and ran == []
    out = capsys.readouterr().out
    assert "apt-get update && apt-get install -y chromium" in out
    assert "skipped" in out


def test_as_root_it_installs_the_debian_package_quietly(monkeypatch, tmp_path):
    binary = tmp_path / "chromium"
    monkeypatch.setattr(devtools, "CHROMIUM", binary)
    monkeypatch.setattr(devtools.os, "geteuid", lambda: 0)
    monkeypatch.setattr(devtools.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(devtools.embedded, "STATE_DIR", tmp_path)
    commands = []

    class Done:
        returncode = 0

    def fake_run(command, **kwargs):
        commands.append(command)
        if command[:2] == ["apt-get", "install"]:
            Path(binary).touch()
        return Done()

    monkeypatch.setattr(devtools.subprocess, "run", fake_run)

    assert devtools.ensure_chromium() is True
    assert commands == [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]]


def test_an_installed_chromium_is_left_alone(monkeypatch, tmp_path):
    binary = tmp_path / "chromium"
    binary.touch()
    monkeypatch.setattr(devtools, "CHROMIUM", binary)
    monkeypatch.setattr(devtools.subprocess, "run", lambda *a, **k: (_ for _ in ()).throw(AssertionError("ran")))
    assert devtools.ensure_chromium() is True
