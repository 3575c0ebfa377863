"""Officer titles -> role, CEO flag and confidence."""
from __future__ import annotations

import pytest

from scrapers.titles import classify_title


@pytest.mark.parametrize("title, role, confidence", [
    ("Chief Executive Officer", "ceo", 0.95),
    ("CEO", "ceo", 0.95),
    ("President & CEO", "ceo", 0.95),
    ("President and Chief Executive Officer", "ceo", 0.95),
    ("Chairman and CEO", "ceo", 0.95),
    ("Chairman & Chief Executive Officer", "ceo", 0.95),
    ("CEO and Director", "ceo", 0.95),
    ("Chief Executive Officer (Principal Executive Officer)", "ceo", 0.95),
    ("Chief Executive Officer of the Company", "ceo", 0.95),
    ("Co-CEO", "ceo", 0.8),
    ("Co-Chief Executive Officer", "ceo", 0.8),
    ("Principal Executive Officer", "ceo", 0.85),
    ("Interim CEO", "ceo", 0.6),
    ("Acting Chief Executive Officer", "ceo", 0.6),
    ("Founder, Chairman and CEO", "ceo", 0.95),
])
def test_ceo_titles(title, role, confidence):
    result = classify_title(title)
    assert (result.role, result.is_ceo, result.ceo_confidence) == (role, True, confidence)


@pytest.mark.parametrize("title", [
    "CEO of AWS",
    "President and CEO, Tesla Energy",
    "CEO, Subsidiary Bank",
    "Chief Executive Officer - Worldwide Amazon Stores",
    "CEO, Example Bank N.A.",
    "Former CEO",
    "Ex-CEO",
    "Retired Chief Executive Officer",
    "Chief Executive Officer Emeritus",
    "Chief Technology Officer",
    "Executive Vice President",
])
def test_not_the_company_ceo(title):
    result = classify_title(title)
    assert not result.is_ceo and result.ceo_confidence == 0.0


@pytest.mark.parametrize("title, role", [
    ("Senior Vice President, CFO", "cfo"),
    ("Chief Financial Officer", "cfo"),
    ("EVP & Principal Financial Officer", "cfo"),
    ("Chief Operating Officer", "coo"),
    ("COO", "coo"),
    ("President", "president"),
    ("Chairman of the Board", "chair"),
    ("Executive Chair", "chair"),
    ("SVP, GC and Secretary", "secretary"),
    ("Corporate Secretary", "secretary"),
    ("Vice Chairman", "other"),
    ("Senior Vice President", "other"),
    ("Assistant Secretary", "other"),
    ("Chief Accounting Officer", "other"),
    ("President, Tesla Energy", "other"),
])
def test_other_roles(title, role):
    result = classify_title(title)
    assert (result.role, result.is_ceo) == (role, False)


@pytest.mark.parametrize("title, is_director, role", [
    (None, True, "director"),
    ("", True, "director"),
    (None, False, "other"),
    ("Former CEO", True, "director"),
    ("Chair of the Audit Committee", True, "director"),
    ("CEO of AWS", True, "director"),
])
def test_directors_without_an_officer_title(title, is_director, role):
    assert classify_title(title, is_director=is_director).role == role


def test_title_from_remarks_is_a_little_less_certain():
    result = classify_title("President and Chief Executive Officer", from_remarks=True)
    assert result.is_ceo and result.ceo_confidence == 0.85


@pytest.mark.parametrize("title", [
    # Division and regional chief executives as the Form 4 digest files them (real titles).
    "CEO-Fabric Home & Habitat Care",
    "CEO Worldwide Amazon Stores",
    "ceo, International",
    "CEO Brazil",
    "Taco Bell, CEO",
    "KFC Division CEO",
    "EVP and Group CEO-VZ Business",
    "Chief Executive Officer-EMEA",
    # People who work for the CEO, or will be CEO.
    "Advisor to CEO",
    "Office of the CEO",
    "President and CEO-Elect",
])
def test_division_heads_and_the_ceos_staff_are_not_the_company_ceo(title):
    assert not classify_title(title).is_ceo


@pytest.mark.parametrize("title", [
    "PRES. & CHIEF EXEC. OFFICER",
    "Chairman of the Bd, Pres & CEO",
    "CEO & Chairman of BOD",
    "Chief Exec. Officer & Director",
    "Pres, CCO & Interim Co-CEO",
    "President and Group CEO",
])
def test_abbreviated_group_ceo_titles(title):
    assert classify_title(title).is_ceo
