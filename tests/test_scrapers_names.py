"""Filed names -> display names, and people vs organisations."""
from __future__ import annotations

import pytest

from scrapers.names import display_name, is_entity_name


@pytest.mark.parametrize("raw, expected", [
    ("COOK TIMOTHY D", "Timothy D. Cook"),
    ("SMITH JOHN A JR", "John A. Smith Jr."),
    ("SMITH JOHN A JR.", "John A. Smith Jr."),
    ("SMITH JR JOHN A", "John A. Smith Jr."),
    ("DICKSON R ANDREW III", "R. Andrew Dickson III"),
    ("VAN DER BERG JAN", "Jan van der Berg"),
    ("DE LA CRUZ MARIA", "Maria de la Cruz"),
    ("SMITH-JONES MARY", "Mary Smith-Jones"),
    ("MCMAHON JOHN DENNIS", "John Dennis McMahon"),
    ("O'BRIEN PATRICK J", "Patrick J. O'Brien"),
    ("MACDONALD ROBERT", "Robert MacDonald"),
    ("MACK JOHN", "John Mack"),  # not every "Mac" is a Mac-prefix
    ("LE JOHN", "John Le"),  # a particle that is the whole surname is capitalised
    ("Maestri Luca", "Luca Maestri"),
    ("McMahon John Dennis", "John Dennis McMahon"),
    ("Adams Katherine L.", "Katherine L. Adams"),
    ("Stecyk Chrystyna Bedrij", "Chrystyna Bedrij Stecyk"),
    ("GARRETT MARK", "Mark Garrett"),
    ("  BUFFETT   WARREN E ", "Warren E. Buffett"),
    ("MUSK", "Musk"),
    ("", ""),
])
def test_display_name(raw, expected):
    assert display_name(raw) == expected


@pytest.mark.parametrize("raw", [
    "BERKSHIRE HATHAWAY INC", "EXAMPLE HOLDINGS L.P.", "Sequoia Capital Fund LLC", "SMITH FAMILY TRUST",
    "ACME CORP", "Vanguard Group", "SOFTBANK GROUP CORP.", "Siemens AG",
])
def test_organisations_are_kept_as_filed(raw):
    assert is_entity_name(raw)
    assert display_name(raw) == " ".join(raw.split())


@pytest.mark.parametrize("raw", ["COOK TIMOTHY D", "Maestri Luca", "COLTON INCE", "CORPORON JAMES"])
def test_people_are_not_organisations(raw):
    assert not is_entity_name(raw)
