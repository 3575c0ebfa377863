"""Filed names -> display names, and people vs organisations."""
from __future__ import annotations

import json
import re

import pytest

from scrapers.names import company_display_name, display_name, is_entity_name


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


# Register names as filed (EDGAR's submissions and ticker list, Companies House search),
# each with the form people write.
@pytest.mark.parametrize("filed, shown", [
    ("MICROSOFT CORP", "Microsoft Corp"),
    ("Apple Inc.", "Apple Inc."),  # mixed case was written by the company: kept
    ("MATERION Corp", "MATERION Corp"),
    ("Expedia Group, Inc.", "Expedia Group, Inc."),
    ("WOLFSPEED, INC.", "Wolfspeed, Inc."),
    ("TWO HARBORS INVESTMENT CORP.", "Two Harbors Investment Corp."),
    ("AT&T INC", "AT&T Inc"),
    ("S&P GLOBAL INC.", "S&P Global Inc."),
    ("JOHN WILEY & SONS, INC", "John Wiley & Sons, Inc"),
    ("CHURCH & DWIGHT CO INC", "Church & Dwight Co Inc"),
    ("3M CO", "3M Co"),
    ("NVIDIA CORP", "Nvidia Corp"),  # a pronounceable word: read as a word
    ("UBS GROUP AG", "UBS Group AG"),  # three letters that are no word: an initialism
    ("AES CORP", "AES Corp"),
    ("EOG RESOURCES INC", "EOG Resources Inc"),
    ("NEW YORK TIMES CO", "New York Times Co"),  # three letters that are a word
    ("ONE GAS, INC.", "One Gas, Inc."),
    ("SKY HARBOUR GROUP CORP", "Sky Harbour Group Corp"),
    ("PPG INDUSTRIES INC", "PPG Industries Inc"),
    ("CVS HEALTH CORP", "CVS Health Corp"),
    ("HSBC USA INC", "HSBC USA Inc"),
    ("BANK OF AMERICA CORP", "Bank of America Corp"),
    ("THE HERSHEY CO", "The Hershey Co"),
    ("JPMORGAN CHASE BANK, N.A.", "Jpmorgan Chase Bank, N.A."),
    ("FULLER H B CO", "Fuller H B Co"),
    ("SEABOARD CORP /DE/", "Seaboard Corp"),
    ("CREE RESEARCH INC /NC/", "Cree Research Inc"),
    ("FUJI PHOTO FILM CO LTD /FI", "Fuji Photo Film Co Ltd"),
    ("MCDONALDS CORP", "McDonalds Corp"),
    ("MACKENZIE REALTY CAPITAL, INC.", "MacKenzie Realty Capital, Inc."),
    ("INTERNATIONAL BUSINESS MACHINES CORP", "International Business Machines Corp"),  # not "MacHines"
    ("MACY'S, INC.", "Macy's, Inc."),
    ("O'REILLY AUTOMOTIVE INC", "O'Reilly Automotive Inc"),
    ("COCA-COLA CO", "Coca-Cola Co"),
    ("TREX WIND-DOWN, INC.", "Trex Wind-Down, Inc."),
    ("7-ELEVEN INC", "7-Eleven Inc"),
    ("21ST CENTURY FOX", "21st Century Fox"),
    ("FIVE STAR BANCORP II", "Five Star Bancorp II"),
    ("TESCO  PLC", "Tesco PLC"),
    ("YOU  LIMITED", "You Limited"),
    ("YOU & CO.  LTD", "You & Co. Ltd"),
    ("YOU AIN'T SEEN MUFFIN YET! LIMITED", "You Ain't Seen Muffin Yet! Limited"),
    ("YOU & EYE (EDWARDS & WALKER)  LTD", "You & Eye (Edwards & Walker) Ltd"),
    ("SIEMENS AG", "Siemens AG"),
    ("DEUTSCHE BANK GMBH", "Deutsche Bank GmbH"),
    ("", ""),
])
def test_company_display_name(filed, shown):
    assert company_display_name(filed) == shown


def test_every_name_on_the_sec_ticker_list_keeps_its_letters(shared_fixtures):
    """Over the SEC's ~10,000 real names: only capitals change (and EDGAR's "/DE/" tags go),
    applying the rule twice changes nothing, and no filed-in-capitals name stays all capitals
    unless every word is an initialism or a legal form."""
    tickers = json.loads((shared_fixtures / "real" / "edgar" / "tickers" / "company_tickers.json").read_text())
    names = {row["title"] for row in tickers.values()}
    assert len(names) > 5000
    for filed in names:
        shown = company_display_name(filed)
        tidy = " ".join(filed.split())
        assert shown.casefold() == tidy.casefold() or tidy.casefold().startswith(shown.casefold() + " /") \
            or tidy.casefold().startswith(shown.casefold() + "/"), filed
        assert company_display_name(shown) == shown, filed
        words = [w for w in re.findall("[A-Z]{4,}", tidy) if re.search("[AEIOUY]", w)]
        if not any(c.islower() for c in filed) and words:
            assert shown != tidy, filed
