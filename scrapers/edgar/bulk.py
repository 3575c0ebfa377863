"""Read EDGAR's nightly bulk `submissions.zip` (every company's submissions JSON) in place.

The archive is several gigabytes unpacked, so members are read one at a time and never all
in memory. Overflow pages ("CIK##########-submissions-001.json") are skipped: the crawler
fetches the ones its look-back window needs.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import PurePosixPath
from typing import Iterator

MEMBER = re.compile(r"^CIK(\d{10})\.json$")


def iter_bulk_submissions(path) -> Iterator[tuple[str, bytes]]:
    """(ten-digit CIK, raw JSON bytes) for every company member of the archive."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            match = MEMBER.match(PurePosixPath(info.filename).name)
            if info.is_dir() or not match:
                continue
            with archive.open(info) as member:
                yield match.group(1), member.read()
