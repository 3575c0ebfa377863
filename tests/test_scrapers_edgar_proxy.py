"""How shareholders reach the board, from a proxy statement: the real Cabot 2024 proxy
(../shared) and written sections under the other headings proxies use."""
from __future__ import annotations

import pytest

from scrapers.edgar.proxy import LABEL, parse_board_communications


def test_cabot_proxy_gives_the_board_line_and_the_secretarys_address(shared_fixtures):
    data = (shared_fixtures / "real" / "edgar" / "proxy" / "def14a_cabot_2024.ixbrl.html").read_bytes()
    channels = parse_board_communications(data)
    assert [(c.kind, c.value) for c in channels] == [
        ("postal", "Secretary, Cabot Corporation, Two Seaport Lane, Suite 1400, Boston, Massachusetts 02210"),
        ("phone", "1-800-853-7602"),
    ]
    assert {c.label for c in channels} == {LABEL}


def proxy(heading: str, body: str) -> bytes:
    toc = f"<table><tr><td>{heading}</td><td>31</td></tr></table>"
    return (f"<html><body><p>Table of Contents</p>{toc}<p>{'Proxy text. ' * 40}</p>"
            f"<p><b>{heading}</b></p><p>{body}</p><p><b>Director Compensation</b></p>"
            f"<p>Directors are paid 1-800-000-0000 dollars.</p></body></html>").encode()


@pytest.mark.parametrize("heading", ["Communications with the Board", "Shareholder Communications",
                                     "Contacting the Board", "Stockholder Communications with the Board"])
def test_the_section_is_found_under_its_usual_headings(heading):
    body = ("Shareholders who wish to communicate with the Board may write to the Board of Directors, "
            "c/o Corporate Secretary, Acme Corp., 100 Main Street, Springfield, IL 62701, call (217) 555-0100, "
            "send an email to board@acme.example or use the form at https://www.acme.example/board-contact. "
            "The Corporate Secretary forwards every communication that is not a solicitation.")
    channels = parse_board_communications(proxy(heading, body))
    assert [(c.kind, c.value) for c in channels] == [
        ("postal", "c/o Corporate Secretary, Acme Corp., 100 Main Street, Springfield, IL 62701"),
        ("phone", "(217) 555-0100"),
        ("email", "board@acme.example"),
        ("web_form", "https://www.acme.example/board-contact"),
    ]


def test_a_proxy_without_the_section_yields_nothing():
    page = b"<html><body><p>Proposal 1: Election of Directors</p><p>Call 1-800-555-0100 to vote.</p></body></html>"
    assert parse_board_communications(page) == ()


def test_an_address_laid_out_line_by_line_with_a_mail_stop_and_the_secretarys_mailbox():
    page = proxy("Communications with Directors", "") .replace(
        b"<p></p>",
        b"<p>Shareholders and other interested parties may communicate with the Board or any director by "
        b"writing to:</p><p>Board of Directors</p><p>c/o Corporate Secretary</p><p>Acme Corp.</p>"
        b"<p>Mail Stop: 1A-200</p><p>100 Main Street</p><p>Springfield, IL 62701</p>"
        b"<p>or by email to BoardCommunications@acme.example or corporate.secretary@acme.example.</p>")
    channels = parse_board_communications(page)
    assert [(c.kind, c.value) for c in channels] == [
        ("postal", "c/o Corporate Secretary, Acme Corp., Mail Stop: 1A-200, 100 Main Street, Springfield, IL 62701"),
        ("email", "BoardCommunications@acme.example"),
        ("email", "corporate.secretary@acme.example"),
    ]
    assert {c.label for c in channels} == {LABEL}


@pytest.mark.parametrize("heading", ["How to Contact the Board", "Communicating with the Board of Directors",
                                     "Contacting Our Board of Directors"])
def test_a_web_form_under_other_headings(heading):
    body = ("Shareholders may contact the Board through the form on our website at "
            "https://investors.acme.example/contact-the-board or by writing to the Corporate Secretary, "
            "Acme Corp., 100 Main Street, Mail Stop 4, Springfield, IL 62701.")
    channels = parse_board_communications(proxy(heading, body))
    assert [(c.kind, c.value) for c in channels] == [
        ("postal", "Corporate Secretary, Acme Corp., 100 Main Street, Mail Stop 4, Springfield, IL 62701"),
        ("web_form", "https://investors.acme.example/contact-the-board"),
    ]
