"""Reading snapshot lines back into checked, typed Python values.

Every check happens here, before the importer touches the database, so a malformed
line is reported with its number and skipped without leaving half a company behind.
"""
from __future__ import annotations

import gzip
from typing import Iterator

from .fields import (
    ADDRESS_FIELDS,
    COMPANY_FIELDS,
    COMPLAINT_RECORD_FIELDS,
    CONTACT_DEFAULTS,
    CONTACT_FIELDS,
    DEFAULTS,
    FIELD_TYPES,
    FORMER_NAME_FIELDS,
    BRAND_FIELDS,
    IDENTIFIER_FIELDS,
    PERSON_FIELDS,
    POSITION_FIELDS,
    REQUIRED,
    SOURCE_FIELDS,
    from_json,
)

GZIP_MAGIC = b"\x1f\x8b"


class MalformedLine(ValueError):
    """A line that is not a valid snapshot record; the message says what is wrong."""


def numbered_lines(path: str) -> Iterator[tuple[int, bytes]]:
    """(line number, raw bytes) for every non-blank line, gzip or plain (by content)."""
    with open(path, "rb") as probe:
        compressed = probe.read(2) == GZIP_MAGIC
    opener = gzip.open if compressed else open
    with opener(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line


def _typed(value, field: str, where: str, defaults: dict = DEFAULTS):
    kind = FIELD_TYPES.get(field, "str")
    if kind == "strings":
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise MalformedLine(f"{where}: '{field}' must be a list of strings")
        return list(value or [])
    if value is None:
        if field in REQUIRED:
            raise MalformedLine(f"{where}: '{field}' is required")
        return defaults.get(field)
    if kind == "bool":
        if not isinstance(value, bool):
            raise MalformedLine(f"{where}: '{field}' must be true or false")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise MalformedLine(f"{where}: '{field}' must be a whole number, 0 or more")
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise MalformedLine(f"{where}: '{field}' must be a number")
        return float(value)
    if not isinstance(value, str):
        raise MalformedLine(f"{where}: '{field}' must be a string")
    if field in REQUIRED and not value.strip():
        raise MalformedLine(f"{where}: '{field}' is empty")
    try:
        return from_json(value, kind)
    except ValueError:
        raise MalformedLine(f"{where}: '{field}' is not a valid {kind}: {value!r}") from None


def _fields(data, names, where: str, defaults: dict = DEFAULTS) -> dict:
    if not isinstance(data, dict):
        raise MalformedLine(f"{where} must be an object")
    return {name: _typed(data.get(name), name, where, defaults) for name in names}


def _with_source(data, names, where: str, defaults: dict = DEFAULTS) -> dict:
    values = _fields(data, names, where, defaults)
    values["source"] = _source_of(data.get("source"), f"{where} source")
    return values


def _source_of(source, where: str) -> dict | None:
    return None if source is None else _fields(source, SOURCE_FIELDS, where)


def _items(record: dict, key: str) -> list:
    items = record.get(key) or []
    if not isinstance(items, list):
        raise MalformedLine(f"'{key}' must be a list")
    return items


def check_record(record) -> dict:
    """The record with every value typed, or MalformedLine naming the first problem."""
    if not isinstance(record, dict):
        raise MalformedLine("a line must be a JSON object (one company)")
    company = _fields(record, ("slug", *COMPANY_FIELDS), "company")
    old_slugs = _items(record, "old_slugs")
    if not all(isinstance(slug, str) and slug for slug in old_slugs):
        raise MalformedLine("'old_slugs' must be a list of strings")
    parent = record.get("parent")
    if parent is not None and not (isinstance(parent, str) and parent):
        raise MalformedLine("'parent' must be the slug of the parent company")
    positions = []
    for index, item in enumerate(_items(record, "positions")):
        where = f"positions[{index}]"
        position = _with_source(item, POSITION_FIELDS, where)
        position["person"] = _fields(item.get("person"), PERSON_FIELDS, f"{where} person")
        positions.append(position)
    contacts = []
    for index, item in enumerate(_items(record, "contacts")):
        where = f"contacts[{index}]"
        contact = _with_source(item, CONTACT_FIELDS, where, CONTACT_DEFAULTS)
        position = item.get("position")
        if position is not None and (isinstance(position, bool) or not isinstance(position, int)
                                     or not 0 <= position < len(positions)):
            raise MalformedLine(f"{where}: 'position' must be the index of one of the positions")
        contact["position"] = position
        contacts.append(contact)
    return {
        "company": company,
        "old_slugs": old_slugs,
        "identifiers": [_with_source(item, IDENTIFIER_FIELDS, f"identifiers[{i}]")
                        for i, item in enumerate(_items(record, "identifiers"))],
        "former_names": [_with_source(item, FORMER_NAME_FIELDS, f"former_names[{i}]")
                         for i, item in enumerate(_items(record, "former_names"))],
        "addresses": [_with_source(item, ADDRESS_FIELDS, f"addresses[{i}]")
                      for i, item in enumerate(_items(record, "addresses"))],
        "positions": positions,
        "contacts": contacts,
        "brands": [_with_source(item, BRAND_FIELDS, f"brands[{i}]") for i, item in enumerate(_items(record, "brands"))],
        "complaint_records": [_with_source(item, COMPLAINT_RECORD_FIELDS, f"complaint_records[{i}]")
                              for i, item in enumerate(_items(record, "complaint_records"))],
        "website_source": _source_of(record.get("website_source"), "website_source"),
        "parent": parent,
    }
