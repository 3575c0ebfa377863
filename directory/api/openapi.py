"""The OpenAPI 3.1 description of /api/v1, kept next to the views it describes.

Tests validate every response against these schemas, so the document cannot drift
from what the API really returns.
"""
from __future__ import annotations

from ..keyset import MAX_OFFSET_PAGE
from ..models.source import SOURCE_KINDS


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


STRING = {"type": "string"}
DATE = {"type": "string", "format": "date"}
URL = {"type": "string", "format": "uri"}
DATE_PRECISION = _nullable({"enum": ["year", "month", "day"], "description": (
    "How much of the date beside it is known (null when the date is null). Wikidata often knows a term to "
    "the year: start_date 2011-01-01 with precision year means \"since 2011\", not since 1 January.")})


def _object(properties: dict, description: str | None = None) -> dict:
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


SCHEMAS = {
    "Error": _object({
        "error": _object({
            "status": {"type": "integer", "description": "The HTTP status code."},
            "message": {"type": "string", "description": "What went wrong, for a person to read."},
        }),
    }, "Every error under /api has this shape."),
    "SourceRef": _object({
        "url": _nullable(URL),
        "kind": {"enum": list(SOURCE_KINDS),
                 "description": "What kind of document the fact was read from."},
        "as_of": _nullable(DATE),
    }, "Where a fact comes from and the date to trust it from (filing date, else retrieval date)."),
    "CeoSummary": _object({"name": STRING, "title": STRING}),
    "CompanySummary": _object({
        "name": STRING,
        "slug": STRING,
        "url": {**URL, "description": "The company's page on this site."},
        "country": _nullable({"type": "string", "description": "ISO 3166-1 alpha-2"}),
        "ceo": _nullable(_ref("CeoSummary")),
    }),
    "CompanyList": _object({
        "results": {"type": "array", "items": _ref("CompanySummary")},
        "total": {"type": "integer", "minimum": 0},
        "total_is_exact": {"type": "boolean", "description": (
            "False when a search matched more companies than it ranks (200): `total` is then "
            "a lower bound. The company named exactly as the query is always ranked.")},
        "page": {"type": "integer", "minimum": 1, "description": (
            "This page's number, also when it was reached through 'after' cursors.")},
        "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
        "next": _nullable({**URL, "description": (
            "The next page (same parameters; for the full listing with an 'after' cursor), or null on the "
            "last page. Follow it as given: every page costs the same, however deep.")}),
    }),
    "Executive": _object({
        "name": STRING,
        "title": {"type": "string", "description": "The title as filed."},
        "role": {"enum": ["ceo", "chair", "president", "cfo", "coo", "director", "secretary", "other"]},
        "is_ceo": {"type": "boolean"},
        "is_current": {"type": "boolean"},
        "start_date": _nullable(DATE),
        "start_date_precision": DATE_PRECISION,
        "end_date": _nullable(DATE),
        "end_date_precision": DATE_PRECISION,
        "person_url": URL,
        "source": _nullable(_ref("SourceRef")),
    }),
    "Contact": _object({
        "kind": {"enum": ["postal", "phone", "email", "email_format", "web_form", "url"]},
        "value": STRING,
        "label": _nullable(STRING),
        "tier": {"enum": ["customer_service", "complaints", "executive_office", "ceo", "regulator"]},
        "status": {"type": "string", "description": "ok, bounced or unanswered."},
        "as_of": _nullable(DATE),
        "quality": {"enum": ["scraped", "filed", "verified", "tested"], "description": (
            "scraped: read from the company's website; filed: from a filing or a register; verified: "
            "a moderator checked it; tested: an outcome report says someone got a reply through it. "
            "`as_of` is its date: for a filed contact, the newest filing that names it.")},
        "tested_on": _nullable({**DATE, "description": (
            "For a tested contact, the day of the reply reported through it (a case's answer, or the day of "
            "the report); null otherwise.")}),
        "role": _nullable({"enum": ["press", "investor_relations", "customer_service", "complaints", "board",
                                    "social", "other"], "description": "Whose channel it is."}),
        "person_name": _nullable({"type": "string", "description": (
            "The person the channel reaches, as a press release names them; null for an office's line or mailbox.")}),
        "organisation": _nullable({"type": "string", "description": (
            "Set only when the channel is another organisation's (an outside IR agency, the other party to a "
            "merger): it is not the company's own.")}),
        "phone_reports": {**_nullable(_ref("PhoneReports")), "description": (
            "For a phone contact: what callers reported (null for other kinds of contact).")},
        "source": _nullable(_ref("SourceRef")),
    }),
    "PhoneReports": _object({
        "median_hold_minutes": _nullable({"type": "number", "minimum": 0, "description": (
            "Median minutes on hold among the reports that give it.")}),
        "reports": {"type": "integer", "minimum": 0, "description": (
            "Reports about this number from established accounts (confirmed email or a few days old).")},
        "way_to_person": _nullable({"type": "string", "description": (
            "The keys or words most often reported to reach a person (\"2, then 0\", \"say agent\").")}),
        "way_to_person_reports": {"type": "integer", "minimum": 0,
                                  "description": "How many reports gave that way (compared ignoring case and punctuation)."},
        "best_hours": {"type": "array", "items": {"type": "string", "pattern": "^[0-2][0-9]:00-[0-2][0-9]:00$"},
                       "description": ("Up to three hours of the day (the caller's local time) with the shortest "
                                       "median hold, shortest first, e.g. \"08:00-09:00\".")},
    }, "What callers learnt on this number, from established accounts only; each report is its author's to "
       "change or withdraw."),
    "Identifier": _object({
        "scheme": {"enum": ["cik", "ch_number", "lei", "ticker", "ein", "wikidata", "frn"]},
        "value": STRING,
        "exchange": _nullable(STRING),
        "url": _nullable({**URL, "description": "The public record for this identifier."}),
    }),
    "Address": _object({
        "kind": {"enum": ["principal_office", "registered_office", "mailing"]},
        "lines": {"type": "array", "items": STRING, "description": "As written on an envelope."},
        "city": _nullable(STRING),
        "region": _nullable(STRING),
        "postal_code": _nullable(STRING),
        "country": _nullable(STRING),
        "source": _nullable(_ref("SourceRef")),
    }),
    "LeadershipChange": _object({"reported_on": DATE, "url": _nullable(URL), "summary": _nullable(STRING)},
                                "The filing's item 5.02 sentence naming who leaves or joins (null: not read)."),
    "Company": _object({
        "name": STRING,
        "slug": STRING,
        "url": URL,
        "country": _nullable(STRING),
        "region": _nullable(STRING),
        "city": _nullable(STRING),
        "sector": _nullable(STRING),
        "sic_code": _nullable(STRING),
        "status": STRING,
        "fca_status": {**_nullable(STRING), "description": (
            "The firm's status on the FCA register (\"Authorised\", \"No longer authorised\"), for a firm "
            "with an `frn` identifier; an authorised firm's complaints go to the Financial Ombudsman Service.")},
        "fca_status_since": _nullable(DATE),
        "website": _nullable(STRING),
        "phone": _nullable(STRING),
        "contact_policy": {"enum": ["unknown", "open", "partial", "no_name"]},
        "legal_name": {**_nullable(STRING),
                       "description": "The name as the register files it, when `name` shows it re-cased "
                                      "(\"MICROSOFT CORP\" for \"Microsoft Corp\")."},
        "former_names": {"type": "array", "items": STRING},
        "last_verified": _nullable(DATE),
        "leadership_change": {**_nullable(_ref("LeadershipChange")),
                              "description": "A filing's report of a change nobody has reviewed yet, newer than "
                                             "the current CEO fact; null once reviewed or already reflected."},
        "ceo": _nullable(_ref("Executive")),
        "executives": {"type": "array", "items": _ref("Executive"),
                       "description": "Current first, the CEO first among them."},
        "contacts": {"type": "array", "items": _ref("Contact")},
        "identifiers": {"type": "array", "items": _ref("Identifier")},
        "addresses": {"type": "array", "items": _ref("Address")},
        "brands": {"type": "array", "items": _ref("Brand")},
        "parent": _nullable({**_ref("CompanyLink"), "description": "The group this company is part of."}),
        "subsidiaries": {"type": "array", "items": _ref("CompanyLink")},
        "ratings": _ref("Ratings"),
        "cfpb_complaints": {**_nullable(_ref("CfpbComplaints")), "description": (
            "Complaints to the US Consumer Financial Protection Bureau about this company, when its database "
            "names it; null otherwise.")},
    }),
    "CfpbComplaints": _object({
        "cfpb_companies": {"type": "array", "items": STRING, "description": "The company's names as the CFPB writes them."},
        "period_start": DATE,
        "period_end": {**DATE, "description": "The date of the newest complaint in the CFPB data read."},
        "received": {"type": "integer", "minimum": 0, "description": "Complaints received in the period."},
        "timely": {"type": "integer", "minimum": 0, "description": "Of which the company answered in time."},
        "timely_share": _nullable({"type": "number", "minimum": 0, "maximum": 1}),
        "relief": {"type": "integer", "minimum": 0,
                   "description": "Of which were closed with monetary or non-monetary relief."},
        "relief_share": _nullable({"type": "number", "minimum": 0, "maximum": 1}),
        "search_url": {**URL, "description": "These complaints in the CFPB's own search."},
    }, "Figures counted from the CFPB's consumer complaint database (flask scrape cfpb)."),
    "Brand": _object({
        "name": STRING,
        "aliases": {"type": "array", "items": STRING, "description": "Other names people use for it."},
        "source": _nullable(_ref("SourceRef")),
    }, "A consumer brand of the company; brands and aliases are searchable."),
    "RungOutcome": _object({
        "reports": {"type": "integer", "minimum": 0},
        "replies": {"type": "integer", "minimum": 0},
        "response_rate": _nullable({"type": "number", "minimum": 0, "maximum": 1}),
        "median_days_to_reply": _nullable({"type": "number", "minimum": 0}),
        "resolved": {"type": "integer", "minimum": 0},
    }, "Outcome reports about one step of the escalation ladder."),
    "Ratings": _object({
        "average": _nullable({"type": "number", "minimum": 1, "maximum": 5}),
        "count": {"type": "integer", "minimum": 0},
        "distribution": _object({str(stars): {"type": "integer", "minimum": 0} for stars in range(1, 6)},
                                "Number of ratings with 1 to 5 stars."),
        "outcomes": _object({rung: _ref("RungOutcome") for rung in
                             ("customer_service", "complaints", "executive_office", "ceo", "regulator")},
                            "Per step of the ladder, from the bottom."),
    }, "How useful people found the company's policy and contacts. Only ratings of established accounts "
       "(confirmed email or a few days old) count."),
    "CompanyLink": _object({"name": STRING, "slug": STRING, "url": URL}),
    "PersonPosition": _object({
        "company": _ref("CompanyLink"),
        "title": STRING,
        "role": STRING,
        "is_ceo": {"type": "boolean"},
        "is_current": {"type": "boolean"},
        "start_date": _nullable(DATE),
        "start_date_precision": DATE_PRECISION,
        "end_date": _nullable(DATE),
        "end_date_precision": DATE_PRECISION,
        "source": _nullable(_ref("SourceRef")),
    }),
    "Person": _object({
        "name": STRING,
        "slug": STRING,
        "url": URL,
        "positions": {"type": "array", "items": _ref("PersonPosition")},
    }),
}


def _json_response(description: str, schema_name: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema_name)}}}


def _error(description: str) -> dict:
    return _json_response(description, "Error")


SLUG_PARAMETER = {"name": "slug", "in": "path", "required": True, "schema": STRING}

PATHS = {
    "/companies": {
        "get": {
            "operationId": "listCompanies",
            "summary": "List companies by name, or search them",
            "parameters": [
                {"name": "q", "in": "query", "required": False,
                 "schema": {"type": "string", "pattern": "^[^\\u0000]*$"},
                 "description": "Search by name, former name, ticker, city, sector or executive, read as the "
                                "search page reads it: service words name a step, not the company, so "
                                "'expedia customer service' or 'microsoft ceo' finds the company. "
                                "Without it, every company in name order. A NUL character is refused (400)."},
                {"name": "page", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_OFFSET_PAGE, "default": 1},
                 "description": f"Page number, for the first {MAX_OFFSET_PAGE} pages only (400 beyond); "
                                "further pages of the listing through 'next' links."},
                {"name": "after", "in": "query", "required": False,
                 "schema": {"type": "string", "minLength": 1, "pattern": "^[A-Za-z0-9_-]+$"},
                 "description": "Opaque cursor from a 'next' link: the page after the one that link ended. "
                                "Only without 'q'; the page number then comes from the cursor, not 'page'."},
                {"name": "per_page", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "default": 20},
                 "description": "Results per page; values above 100 are capped at 100."},
            ],
            "responses": {
                "200": _json_response("One page of companies.", "CompanyList"),
                "400": _error(f"page or per_page is not a positive whole number, page is above "
                              f"{MAX_OFFSET_PAGE}, or q holds a NUL character."),
                "404": _error("after is not a cursor from a 'next' link of this listing, or comes with q."),
                "429": _error("Too many searches from this address (the search page's limit, 120 a minute)."),
            },
        },
    },
    "/companies/{slug}": {
        "get": {
            "operationId": "getCompany",
            "summary": "The whole record of one company, every fact with its source",
            "parameters": [SLUG_PARAMETER],
            "responses": {
                "200": _json_response("The company.", "Company"),
                "301": {"description": "An old slug of a renamed company; Location is the current URL.",
                        "headers": {"Location": {"schema": URL}}},
                "404": _error("No company has this slug."),
            },
        },
    },
    "/people/{slug}": {
        "get": {
            "operationId": "getPerson",
            "summary": "A person and the positions they hold or held",
            "parameters": [SLUG_PARAMETER],
            "responses": {
                "200": _json_response("The person.", "Person"),
                "404": _error("No person has this slug."),
                "410": _error("The person's listings were removed at their request; the record is no longer published."),
            },
        },
    },
    "/openapi.json": {
        "get": {
            "operationId": "getOpenApi",
            "summary": "This document",
            "responses": {"200": {"description": "The OpenAPI document.",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}},
        },
    },
}


def openapi_document(base_url: str) -> dict:
    """The document, with `base_url` (…/api/v1 on this host) as its server."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "CEO Directory API",
            "version": "1.0.0",
            "description": "Read-only: who runs a company and how to reach them when customer "
                           "service has failed, with the source and date of every fact. "
                           "Cross-origin reads are allowed. Errors use the Error schema.",
        },
        "servers": [{"url": base_url}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
