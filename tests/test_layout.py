"""The repository layout can't break Python: no top-level name shadows the standard library."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_ROOTS = [ROOT, ROOT / "platform"]


def _importable_names(folder: Path) -> set[str]:
    names = set()
    for entry in folder.iterdir():
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_dir() or entry.suffix == ".py":
            names.add(entry.stem)
    return names


def test_no_top_level_name_shadows_the_standard_library():
    # platform/ is the one allowed exception: it is a source root without __init__.py.
    clashes = {
        f"{root.name}/{name}"
        for root in SOURCE_ROOTS
        for name in _importable_names(root) - {"platform"}
        if name in sys.stdlib_module_names
    }
    assert not clashes, f"these names shadow standard-library modules: {sorted(clashes)}"


def test_platform_folder_is_not_a_package():
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_standard_library_platform_module_still_imports():
    # With both source roots on the path, `import platform` must still be the stdlib's.
    code = "import sys; sys.path[:0] = ['.', 'platform']; import platform; print(platform.system())"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "Linux"
