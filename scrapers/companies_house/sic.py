"""UK SIC 2007 codes to the register's own descriptions, for the codes the API sends bare.

The bulk file carries "62020 - Information technology consultancy activities"; the API and
the HTML pages carry only (or also) the code. This small table covers the codes that large
consumer-facing companies file; any other code is stored without a sector text and the page
shows "SIC <code>" instead (the browse-by-sector pages still group by code).
"""
from __future__ import annotations

SIC_2007 = {
    "35110": "Production of electricity",
    "35220": "Distribution of gaseous fuels through mains",
    "36000": "Water collection, treatment and supply",
    "41100": "Development of building projects",
    "45111": "Sale of new cars and light motor vehicles",
    "46900": "Non-specialised wholesale trade",
    "47110": "Retail sale in non-specialised stores with food, beverages or tobacco predominating",
    "47190": "Other retail sale in non-specialised stores",
    "47710": "Retail sale of clothing in specialised stores",
    "47910": "Retail sale via mail order houses or via Internet",
    "49100": "Passenger rail transport, interurban",
    "51101": "Scheduled passenger air transport",
    "53100": "Postal activities under universal service obligation",
    "55100": "Hotels and similar accommodation",
    "56101": "Licensed restaurants",
    "61100": "Wired telecommunications activities",
    "61200": "Wireless telecommunications activities",
    "62012": "Business and domestic software development",
    "62020": "Information technology consultancy activities",
    "62090": "Other information technology service activities",
    "64191": "Banks",
    "64192": "Building societies",
    "64205": "Activities of financial services holding companies",
    "64209": "Activities of other holding companies n.e.c.",
    "64999": "Financial intermediation not elsewhere classified",
    "65110": "Life insurance",
    "65120": "Non-life insurance",
    "68100": "Buying and selling of own real estate",
    "68209": "Other letting and operating of own or leased real estate",
    "70100": "Activities of head offices",
    "70229": "Management consultancy activities other than financial management",
    "74990": "Non-trading company",
    "82990": "Other business support service activities n.e.c.",
    "96090": "Other service activities n.e.c.",
    "99999": "Dormant Company",
}


def split_sic_text(text: str | None) -> tuple[str | None, str | None]:
    """("62020", "Information technology consultancy activities") from the bulk file's form,
    or from a bare code (its text from the table, when known). "None Supplied" gives (None, None)."""
    code, _, description = (text or "").partition(" - ")
    code = code.strip()
    if not code.isdigit():
        return None, None
    return code, description.strip() or SIC_2007.get(code)
