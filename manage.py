#!/usr/bin/env python
"""Django's command-line utility for Dorfkern."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# platform/ is a source root, not a package: a package named "platform" would
# shadow the standard library's. insert(1) so an installed "config" can't win.
sys.path.insert(1, str(ROOT / "platform"))
sys.path.insert(1, str(ROOT))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
