"""The soak's mail relay: an SMTP server on loopback that writes every message it accepts to a file.

    python bench/soak_smtp.py PORT FOLDER

Run as its own process by bench/soak.py, so the soak can stall it (SIGSTOP/SIGCONT) and kill it
like a real relay. Each accepted message becomes FOLDER/<time>-<n>.eml with its envelope recipients
in an X-Soak-Rcpt header, so the soak can count deliveries per recipient and spot duplicates.
Python 3.11's smtpd (deprecated, still in the standard library) is enough for a sink; aiosmtpd
is not installed.
"""

from __future__ import annotations

import itertools
import sys
import time
import warnings
from pathlib import Path

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import asyncore
    import smtpd


class FolderSink(smtpd.SMTPServer):
    def __init__(self, port: int, folder: Path) -> None:
        super().__init__(("127.0.0.1", port), None, decode_data=False)
        self.folder = folder
        self.numbers = itertools.count()

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs) -> None:  # type: ignore[override]
        name = f"{time.time():.6f}-{next(self.numbers)}.eml"
        header = f"X-Soak-Rcpt: {','.join(rcpttos)}\r\n".encode()
        (self.folder / f".{name}").write_bytes(header + data)
        (self.folder / f".{name}").rename(self.folder / name)  # whole files only


def main() -> None:
    port, folder = int(sys.argv[1]), Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    FolderSink(port, folder)
    print("ready", flush=True)
    asyncore.loop(timeout=1)


if __name__ == "__main__":
    main()
