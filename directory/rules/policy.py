"""What is never published about an executive, whichever path a value arrives by.

Dates of birth and home addresses are dropped by the register parsers (they never read those
fields; `tests/test_privacy_never_published.py` proves none reaches the database). Personal
mailboxes are refused here: an executive's address at a free webmail provider is a private
address, not a business contact, even when someone found it on the web.
"""
from __future__ import annotations

# Free webmail and consumer ISP domains: an address there is not a company's business contact.
PERSONAL_EMAIL_DOMAINS = frozenset("""
gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk live.com live.co.uk msn.com yahoo.com
yahoo.co.uk ymail.com icloud.com me.com mac.com aol.com protonmail.com proton.me pm.me gmx.com gmx.de gmx.net
web.de mail.com zoho.com yandex.com yandex.ru tutanota.com fastmail.com hey.com btinternet.com sky.com
virginmedia.com talktalk.net orange.fr free.fr laposte.net t-online.de qq.com 163.com
""".split())
EXECUTIVE_TIERS = ("ceo", "executive_office")


def is_personal_email(address: str) -> bool:
    """An address at a personal (non-work) mail provider."""
    domain = address.strip().lower().rpartition("@")[2]
    return domain in PERSONAL_EMAIL_DOMAINS


def never_published(kind: str, value: str, *, tier: str | None, for_person: bool = False) -> bool:
    """A contact that must not be published: a personal mailbox given as an executive's email."""
    return kind == "email" and (for_person or tier in EXECUTIVE_TIERS) and is_personal_email(value)
