"""Email format inference on fixed address sets: a guess only when the evidence is clear."""
from __future__ import annotations

import pytest

from directory.rules.email_formats import FORMATS, infer_format, name_parts

EXECS = ["Timothy D. Cook", "Luca Maestri", "Jeff Williams", "Katherine Adams"]


@pytest.mark.parametrize("format_name, local", [
    ("first.last", "luca.maestri"), ("first_last", "luca_maestri"), ("first-last", "luca-maestri"),
    ("firstlast", "lucamaestri"), ("f.last", "l.maestri"), ("flast", "lmaestri"), ("f_last", "l_maestri"),
    ("firstl", "lucam"), ("first.l", "luca.m"), ("last.first", "maestri.luca"),
    ("last_first", "maestri_luca"), ("lastfirst", "maestriluca"), ("lastf", "maestril"), ("last.f", "maestri.l"),
])
def test_each_format_is_recognised_from_two_addresses_and_applied_to_the_ceo(format_name, local):
    other = FORMATS[format_name]("jeff", "williams")
    guess = infer_format([f"{local}@apple.com", f"{other}@apple.com"], EXECS)
    assert guess.format == format_name
    assert (guess.supporting, guess.domain, guess.level) == (2, "apple.com", "medium")
    assert guess.address_for("Timothy D. Cook") == f"{FORMATS[format_name]('timothy', 'cook')}@apple.com"


def test_more_supporting_addresses_raise_the_confidence():
    one = infer_format(["luca.maestri@apple.com"], EXECS)
    three = infer_format(["luca.maestri@apple.com", "jeff.williams@apple.com", "katherine.adams@apple.com"], EXECS)
    assert one.format == three.format == "first.last"
    assert one.level == "medium" and three.level == "high"
    assert one.confidence < three.confidence


def test_generic_and_unrelated_addresses_are_not_evidence():
    assert infer_format(["support@apple.com", "press@apple.com", "jane.doe@apple.com"], EXECS) is None
    assert infer_format([], EXECS) is None


def test_a_lone_first_name_address_is_ambiguous_not_a_guess():
    guess = infer_format(["luca@apple.com"], EXECS)
    assert guess.format is None and guess.level == "low"
    assert guess.candidates == ("first",)
    assert guess.address_for("Timothy D. Cook") is None


def test_one_address_that_fits_two_formats_is_ambiguous():
    # For "Lee Lee", first.last and last.first give the same address: nothing tells them apart.
    guess = infer_format(["lee.lee@example.com"], ["Lee Lee"])
    assert guess.format is None and guess.level == "low"
    assert set(guess.candidates) == {"first.last", "last.first"}


def test_conflicting_formats_give_low_confidence_not_a_guess():
    guess = infer_format(["luca.maestri@apple.com", "jwilliams@apple.com"], EXECS)
    assert guess.format is None and guess.level == "low"
    assert set(guess.candidates) == {"first.last", "flast"}


def test_a_clear_majority_wins_with_reduced_confidence():
    clean = infer_format(["luca.maestri@apple.com", "jeff.williams@apple.com", "katherine.adams@apple.com"], EXECS)
    mixed = infer_format(["luca.maestri@apple.com", "jeff.williams@apple.com", "katherine.adams@apple.com",
                          "tcook@apple.com"], EXECS)
    assert mixed.format == "first.last" and mixed.candidates == ("flast",)
    assert mixed.confidence < clean.confidence


def test_the_domain_with_most_executive_addresses_is_used():
    guess = infer_format(["luca.maestri@apple.com", "jeff.williams@apple.com", "lmaestri@old-apple.example"], EXECS)
    assert guess.domain == "apple.com" and guess.format == "first.last" and guess.matched == 2


def test_reported_bounces_lower_the_confidence():
    guess = infer_format(["luca.maestri@apple.com", "jeff.williams@apple.com", "katherine.adams@apple.com"], EXECS)
    assert guess.level == "high"
    assert guess.after_bounces(1).level == "low"
    assert guess.after_bounces(0) is guess


@pytest.mark.parametrize("name, parts", [
    ("Timothy D. Cook", ("timothy", "cook")),
    ("José Álvarez-Núñez", ("jose", "alvareznunez")),
    ("Martin Luther King, Jr.", ("martin", "king")),
    ("Madonna", None),
    ("J. Smith", None),  # an initial is not a first name
])
def test_name_parts(name, parts):
    assert name_parts(name) == parts
