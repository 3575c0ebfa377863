"""The JSON Schema (draft 2020-12) of one snapshot line, built from the field lists in `fields.py`.

Built from the same lists the exporter writes, so the published schema cannot drift from the
file; tests validate every line of the bundled snapshot against it.
"""
from __future__ import annotations

from .fields import (
    ADDRESS_FIELDS,
    COMPANY_FIELDS,
    COMPLAINT_RECORD_FIELDS,
    CONTACT_FIELDS,
    FIELD_TYPES,
    FORMER_NAME_FIELDS,
    IDENTIFIER_FIELDS,
    PERSON_FIELDS,
    POSITION_FIELDS,
    REQUIRED,
    SOURCE_FIELDS,
)

TYPES = {"date": {"type": "string", "format": "date"}, "datetime": {"type": "string", "format": "date-time"},
         "bool": {"type": "boolean"}, "float": {"type": "number"},
         "int": {"type": "integer", "minimum": 0}}


def _field(name: str) -> dict:
    schema = TYPES.get(FIELD_TYPES.get(name), {"type": "string"})
    return schema if name in REQUIRED else {"anyOf": [schema, {"type": "null"}]}


def _object(names, **extra) -> dict:
    properties = {name: _field(name) for name in names}
    properties.update(extra)
    return {"type": "object", "properties": properties, "required": sorted(set(properties) & REQUIRED)}


SOURCE = {"anyOf": [_object(SOURCE_FIELDS), {"type": "null"}]}


def _array(names, **extra) -> dict:
    return {"type": "array", "items": _object(names, source=SOURCE, **extra)}


def snapshot_line_schema(schema_id: str | None = None) -> dict:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "CEO Directory snapshot line: one company with its facts and their sources",
        **_object(
            ("slug", *COMPANY_FIELDS),
            old_slugs={"type": "array", "items": {"type": "string"}},
            identifiers=_array(IDENTIFIER_FIELDS),
            former_names=_array(FORMER_NAME_FIELDS),
            addresses=_array(ADDRESS_FIELDS),
            positions=_array(POSITION_FIELDS, person=_object(PERSON_FIELDS)),
            contacts=_array(CONTACT_FIELDS, position={"anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}]}),
            complaint_records=_array(COMPLAINT_RECORD_FIELDS),
        ),
    }
    if schema_id:
        schema["$id"] = schema_id
    return schema
