"""A loopback stand-in for the FCA Financial Services Register API (`/services/V0.1`).

Built on `EdgarServer` (requests recorded with their headers, scripted answers first). It
answers in the API's URL shapes: `/Firm/{frn}`, `/Firm/{frn}/Address`, `/Firm/{frn}/CF`
(paged by `pgnp`), `/Firm/{frn}/Names`, `/Firm/{frn}/Regulators`, `/Firm/{frn}/Individuals` and
`/Search?q=...&type=firm`, from the real recorded answers of `fca-register/` (each file
`{url, status_code, date, body}`) and from answers a test writes (`firms`). As the register
does, an unknown FRN is HTTP 200 without `Data`, and a request without `x-auth-email` and
`x-auth-key` is refused with 401.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .edgar_server import EdgarServer, Scripted

JSON = {"Content-Type": "application/json"}
PARTS = {"": "", "Address": "_address", "CF": "_cf", "Names": "_names", "Regulators": "_regulators",
         "Individuals": "_individuals_p1"}
FIRM_PATH = re.compile(r"^/Firm/(\d+)(?:/(\w+))?$")
NOT_FOUND = {"Data": None, "Message": "Firm not found", "ResultInfo": None, "Status": "FSR-API-02-01-11"}
NO_RESULTS = {"Data": None, "Message": "No search result found", "ResultInfo": None, "Status": "FSR-API-04-01-11"}
# A controlled-functions page after the last recorded one: written in the API's shape.
LAST_CF_PAGE = {"Data": [{"Current": {}, "Previous": {}}], "Message": "Ok. Firm CF found",
                "ResultInfo": {"page": "2", "per_page": "20", "total_count": "20"}, "Status": "FSR-API-02-03-00"}


def recorded(root: Path) -> dict[str, dict]:
    """{frn: {part: body}} from the recorded answers (`firm_552016_address.json` ...)."""
    firms: dict[str, dict] = {}
    for path in sorted(Path(root).glob("firm_*.json")):
        match = re.fullmatch(r"firm_(\d+)(_\w+)?", path.stem)
        part = next((p for p, suffix in PARTS.items() if suffix == (match.group(2) or "")), None)
        if part is not None:
            firms.setdefault(match.group(1), {})[part] = json.loads(path.read_text())["body"]
    return firms


class FcaRegister(EdgarServer):
    def __init__(self, root: Path | None = None, *, firms: dict[str, dict] | None = None, key: str | None = None):
        """`firms` adds or replaces {frn: {part ("" for the firm, "Address", "CF", ...): body}};
        `key`, when given, is the only API key accepted."""
        super().__init__(None)
        self.key = key
        self.firms = recorded(root) if root else {}
        for frn, parts in (firms or {}).items():
            self.firms.setdefault(frn, {}).update(parts)

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/services/V0.1"

    def paths(self) -> list[str]:
        return [r.path.removeprefix("/services/V0.1") for r in self.requests]

    def script(self, path: str, *responses: Scripted) -> None:
        super().script("/services/V0.1" + path, *responses)

    def _file(self, path: str, headers) -> Scripted:
        if not (headers.get("x-auth-email") and headers.get("x-auth-key")) or (
                self.key is not None and headers.get("x-auth-key") != self.key):
            return _json(401, {"Message": "Unauthorised"})
        parts = urlsplit(path.removeprefix("/services/V0.1"))
        query = parse_qs(parts.query)
        if parts.path == "/Search":
            return self._search(query.get("q", [""])[0], query.get("type", [""])[0])
        match = FIRM_PATH.match(parts.path)
        if match is None:
            return _json(404, {"Message": "Not found"})
        frn, part = match.group(1), match.group(2) or ""
        firm = self.firms.get(frn, {})
        if part == "CF" and query.get("pgnp", ["1"])[0] != "1":
            return _json(200, LAST_CF_PAGE)
        body = firm.get(part)
        return _json(200, body) if body is not None else _json(200, NOT_FOUND)

    def _search(self, q: str, kind: str) -> Scripted:
        """Firms whose registered name contains every word of `q`, as the search lists them."""
        words = q.lower().split()
        hits = []
        for frn, parts in sorted(self.firms.items()):
            name = (parts.get("", {}).get("Data") or [{}])[0].get("Organisation Name", "")
            if kind == "firm" and words and all(w in name.lower() for w in words):
                hits.append({"Name": f"{name} (Postcode: E14 5JP)", "Reference Number": frn, "Status": "Authorised",
                             "Type of business or Individual": "Firm",
                             "URL": f"https://register.fca.org.uk/services/V0.1/Firm/{frn}"})
        if not hits:
            return _json(200, NO_RESULTS)
        return _json(200, {"Data": hits, "Message": "Ok. Search successful", "ResultInfo": {
            "page": "1", "per_page": "20", "total_count": str(len(hits))}, "Status": "FSR-API-04-01-00"})


def _json(status: int, body) -> Scripted:
    return Scripted(status, json.dumps(body).encode(), JSON)
