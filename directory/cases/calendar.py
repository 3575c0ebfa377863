"""A case's deadlines as an iCalendar file (RFC 5545), for the owner's own calendar app.

All-day events only: the rules count days, not hours, so there is no time zone to get wrong.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from ..models import Case
from ..rules.case_clocks import Clock


LINE_BREAK = re.compile(r"\r\n|\r|\n")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # RFC 5545 TEXT holds no control character but tab


def _text(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon and comma escaped, every line break (CRLF, a lone
    CR, a lone LF) written as `\\n`, other control characters dropped: a calendar app that
    ends a line at a lone CR would otherwise read the rest as a property of its own."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return CONTROL.sub("", LINE_BREAK.sub("\\\\n", escaped))


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts, start = [], 0
    while start < len(raw):
        end = min(start + (75 if not parts else 74), len(raw))
        while end < len(raw) and (raw[end] & 0xC0) == 0x80:  # never split a UTF-8 character
            end -= 1
        parts.append(raw[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def case_calendar(case: Case, clocks: list[Clock], *, host: str, now: datetime) -> str:
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//CEO Directory//Complaint case//EN", "CALSCALE:GREGORIAN"]
    for clock in clocks:
        lines += [
            "BEGIN:VEVENT",
            f"UID:case-{case.id}-step-{clock.step.id}-{clock.kind}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{clock.ends_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{clock.ends_on + timedelta(days=1):%Y%m%d}",
            "SUMMARY:" + _text(f"{clock.label}: {case.company.name} ({case.title})"),
            "DESCRIPTION:" + _text(clock.rule),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
