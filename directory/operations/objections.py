"""Objections of listed people: what they can object to, filing one, and the decision.

A person listed here (or their company) may ask to remove or correct a business contact of
theirs, the email address the site infers for them, or their listing at a company. Who asks
is checked before anyone reviews it: a logged-in account with a confirmed address, or a link
mailed to an address at the company's own domain, opened (`confirm`). The check is recorded
on the objection and shown to the moderators.

A moderator upholds or rejects with a reason; both outcomes are mailed to the requester and
audited. A listing is a public record, so what an objection may do is bounded: a contact or an
inferred address can be removed; a correction is a same-kind value (a number for a number),
never an email address or a new contact; and anything that changes a chief executive's
listing, a register-backed listing or a CEO-step contact is upheld by two different
moderators, as any CEO change is. Nobody decides an objection they filed, and the first of
the two cannot be the second. Upholding a removal puts the value on the suppression list, so
no importer or contribution brings it back. Functions flush, the view commits.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from ..rules.ladder import inferred_email
from ..extensions import db
from ..models import Company, Contact, Objection, Person, Position, Revision, Suppression, User, utcnow
from ..rules.policy import is_personal_email
from ..rules.suppression import REDACTED, contact_key, listing_key
from ..revisions import revision_context
from . import moderation
from .corrections import correct_position

# A listing drawn from these sources is the register's record: it stays unless it is wrong.
REGISTER_SOURCES = ("sec_filing", "registry_record")
CONFIRM_SALT = "objection-confirm"
EMAIL_KINDS = ("email", "email_format")
PHONE_VALUE = re.compile(r"^[0-9+()./ -]{6,60}$")
LOOKS_LIKE_EMAIL_OR_LINK = re.compile(r"@|://|^www\.", re.IGNORECASE)


class ObjectionError(ValueError):
    """The objection or decision cannot be accepted as sent (shown to the person)."""


@dataclass(frozen=True)
class Target:
    """One published value about a person that they may object to."""

    type: str  # contact | inferred_email | position
    id: int  # contact id, or the position the value belongs to
    company: Company
    value: str
    label: str
    register_held: bool = False  # a listing a public register holds: names and roles stay
    contact_kind: str | None = None

    @property
    def choice(self) -> str:
        return f"{self.type}:{self.id}"


def objection_targets(person: Person) -> list[Target]:
    """Every value the person may object to: their listings, the contacts tied to them, and
    the email address inferred for them as chief executive."""
    targets = []
    for position in sorted(person.positions, key=lambda p: (not p.is_current, p.company.name.lower())):
        company = position.company
        source_kind = position.source.kind if position.source else None
        targets.append(Target("position", position.id, company, f"{position.display_title} at {company.name}",
                              f"Listing: {position.display_title} at {company.name}",
                              register_held=source_kind in REGISTER_SOURCES))
        # Their own contacts; the chief executive also owns the CEO rung's unattributed ones.
        is_ceo = position is company.ceo_position
        for contact in company.contacts:
            if contact.position_id == position.id or (is_ceo and contact.tier == "ceo" and contact.position_id is None):
                targets.append(Target("contact", contact.id, company, contact.value,
                                      f"{contact.kind_label}: {contact.value} ({company.name})",
                                      contact_kind=contact.kind))
        if is_ceo:
            likely = inferred_email(company)
            if likely:
                targets.append(Target("inferred_email", position.id, company, likely,
                                      f"Inferred email: {likely} ({company.name})", contact_kind="email"))
    return targets


def correction_problem(target_type: str, contact_kind: str | None, value: str) -> str | None:
    """Why `value` cannot replace the published one: a correction puts right what we show, it
    never adds an email address or a new contact (a phone number stays a phone number)."""
    if target_type == "inferred_email" or contact_kind in EMAIL_KINDS:
        return ("An email address can be removed on request, not replaced: we publish no address given in an "
                "objection. Ask for its removal instead.")
    if LOOKS_LIKE_EMAIL_OR_LINK.search(value) and contact_kind not in ("url", "web_form", "website"):
        return "A correction cannot add an email address or a link."
    if contact_kind == "phone" and not PHONE_VALUE.match(value):
        return "Give the correct phone number (digits, spaces and + ( ) . - only)."
    if contact_kind in ("url", "web_form", "website"):
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
            return "Give the correct web address, starting with https:// or http://."
    return None


def company_domain(company: Company) -> str | None:
    """The domain of the company's website ("acme.example"), where its staff have addresses."""
    website = (company.website or "").strip().lower()
    if not website:
        return None
    host = urlsplit(website if "://" in website else "//" + website).hostname or ""
    host = host.removeprefix("www.")
    return host if "." in host else None


def at_company_domain(address: str, company: Company) -> bool:
    """An address on the company's domain or one of its subdomains; never a webmail provider's
    (a company whose site is a webmail domain would otherwise let any of its users in)."""
    domain = company_domain(company)
    host = address.strip().lower().rpartition("@")[2]
    return bool(domain) and not is_personal_email(address) and (host == domain or host.endswith("." + domain))


def _identity(account: User | None, contact_email: str, company: Company) -> tuple[str, str, bool]:
    """(the address we write to, how the requester's identity is checked, checked already)."""
    if account is not None and account.is_authenticated and account.email_confirmed_at is not None:
        return account.email.lower(), "account", True
    address = contact_email.strip().lower()
    if at_company_domain(address, company):
        return address, "company_domain", False
    domain = company_domain(company)
    place = f"an address at {domain}" if domain else "an address at the company's domain"
    raise ObjectionError(f"Give {place} (we email it a link to confirm the objection is yours), or log in with an "
                         "account whose email address is confirmed.")


def file_objection(person: Person, choice: str, *, request: str, corrected_value: str | None, requester: str,
                   contact_email: str, explanation: str | None, account: User | None = None,
                   may_mail: Callable[[str], bool] = lambda address: True) -> Objection:
    """Record an objection. It waits for the requester's confirmation (`confirm`) unless a
    logged-in account with a confirmed address filed it. `may_mail(address)` is asked, once
    the objection is otherwise acceptable and before anything is written, whether the address
    may be mailed (the per-address limit)."""
    target = next((t for t in objection_targets(person) if t.choice == choice), None)
    if target is None:
        raise ObjectionError("Choose one of the values listed.")
    corrected = (corrected_value or "").strip() or None if request == "correct" else None
    if request == "correct":
        if corrected is None:
            raise ObjectionError("Give the correct value.")
        problem = correction_problem(target.type, target.contact_kind, corrected)
        if problem:
            raise ObjectionError(problem)
        if not (explanation or "").strip():
            raise ObjectionError("Say where the correct value is shown (a filing, the register, the company's "
                                 "site): corrections are made against evidence.")
    address, identity, confirmed = _identity(account, contact_email, target.company)
    if not may_mail(address):
        raise ObjectionError("We have already written to this address several times today about objections. Open "
                             "the link in one of those emails, or try again tomorrow.")
    objection = Objection(person_id=person.id, company_id=target.company.id, target_type=target.type,
                          target_id=target.id, target_value=target.value[:500], request=request,
                          corrected_value=corrected, requester=requester, contact_email=address,
                          explanation=(explanation or "").strip() or None, status="pending",
                          author_id=account.id if account is not None and account.is_authenticated else None,
                          identity=identity, confirmed_at=utcnow() if confirmed else None)
    db.session.add(objection)
    db.session.flush()
    objection.high_risk = is_high_risk(objection)
    return objection


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRM_SALT)


def confirmation_token(objection: Objection) -> str:
    """Signed and dated; it names the address, so it confirms only the address it was sent to."""
    return _serializer().dumps({"objection": objection.id, "email": objection.contact_email})


def confirm(token: str) -> Objection | None:
    """The requester opened the link: the objection reaches the moderators. None when the
    link is forged, expired or about an objection already decided."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["EMAIL_CONFIRM_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    objection = db.session.get(Objection, data.get("objection")) if isinstance(data, dict) else None
    if objection is None or objection.contact_email != data.get("email") or objection.status != "pending":
        return None
    if objection.confirmed_at is None:
        objection.confirmed_at = utcnow()
        db.session.flush()
    return objection


def is_high_risk(objection: Objection) -> bool:
    """Needs two moderators: any change to a chief executive's listing or to a listing a
    register holds, and a correction of a CEO-step contact (the rule contributions follow)."""
    if objection.target_type == "position":
        position = db.session.get(Position, objection.target_id)
        return position is not None and (position.is_ceo or (
            position.source is not None and position.source.kind in REGISTER_SOURCES))
    if objection.target_type == "contact" and objection.request == "correct":
        contact = db.session.get(Contact, objection.target_id)
        return contact is not None and contact.tier == "ceo"
    return False


def _refuse_requester(objection: Objection, moderator: User) -> None:
    """Nobody decides an objection they filed: by their account, or with their own address."""
    moderation.refuse_own(objection.author_id, moderator)
    if (moderator.email or "").lower() == objection.contact_email:
        raise moderation.DecisionError("You sent this yourself: another moderator must decide on it.")


def _pending_as_seen(objection: Objection):
    """SQL: still undecided, confirmed, and with the first approval the moderator saw."""
    seen = objection.first_reviewer_id
    first = Objection.first_reviewer_id.is_(None) if seen is None else Objection.first_reviewer_id == seen
    return (Objection.status == "pending", Objection.confirmed_at.is_not(None), first)


def decide(objection: Objection, moderator: User, *, uphold: bool, reason: str) -> str:
    """Uphold (apply and suppress) or reject, with a reason; exactly one moderator wins. A
    high-risk uphold needs two different moderators: returns "awaiting_second" after the
    first, else the status ("upheld" or "rejected")."""
    if not reason.strip():
        raise ObjectionError("Give a reason: the requester receives it.")
    if objection.confirmed_at is None:
        raise ObjectionError("The requester has not confirmed this objection yet.")
    _refuse_requester(objection, moderator)
    if uphold and objection.request == "correct":  # filed before the rule, or the contact changed since
        problem = correction_problem(objection.target_type, _contact_kind(objection), objection.corrected_value or "")
        if problem:
            raise ObjectionError(problem)
    high_risk = objection.high_risk or is_high_risk(objection)
    if uphold and high_risk and objection.first_reviewer_id in (None, moderator.id):
        if objection.first_reviewer_id == moderator.id:
            raise moderation.DecisionError(moderation.SECOND_MODERATOR)
        moderation.decide(objection, moderator, "objection_first_approval", *_pending_as_seen(objection),
                          what="objection", details={"reason": reason.strip()}, first_reviewer_id=moderator.id,
                          high_risk=True)
        return "awaiting_second"
    status = "upheld" if uphold else "rejected"
    moderation.decide(objection, moderator, "objection_" + status, *_pending_as_seen(objection), what="objection",
                      details={"reason": reason.strip()}, status=status, decided_by_id=moderator.id,
                      decision_reason=reason.strip(), decided_at=utcnow())
    if uphold:
        with revision_context(f"user:{moderator.id}", user_id=moderator.id, approved_by_id=moderator.id):
            APPLIERS[objection.target_type](objection)
            db.session.flush()
    return status


def _contact_kind(objection: Objection) -> str | None:
    if objection.target_type == "inferred_email":
        return "email"
    if objection.target_type == "contact":
        contact = db.session.get(Contact, objection.target_id)
        return contact.kind if contact is not None else None
    return None


def _suppress(objection: Objection, key: str) -> None:
    if db.session.scalar(select(Suppression.id).where(Suppression.key == key)) is None:
        db.session.add(Suppression(key=key, objection_id=objection.id))


def _apply_contact(objection: Objection) -> None:
    contact = db.session.get(Contact, objection.target_id)
    if contact is None:
        raise ObjectionError("The contact no longer exists.")
    _suppress(objection, contact_key(contact.kind, contact.value, contact.company.country))
    if objection.request == "correct":
        contact.value = objection.corrected_value
    else:
        db.session.delete(contact)
    db.session.flush()
    _redact_history("contact", contact.id, "value", objection.target_value)


def _apply_inferred_email(objection: Objection) -> None:
    """Removal only: an inferred address is never replaced by one given in an objection."""
    _suppress(objection, contact_key("email", objection.target_value))


def _apply_position(objection: Objection) -> None:
    position = db.session.get(Position, objection.target_id)
    if position is None:
        raise ObjectionError("The listing no longer exists.")
    if objection.request == "correct":
        correct_position(position, objection)
        return
    _suppress(objection, listing_key(position.person_id, position.company_id))
    for contact in list(position.contacts):
        _suppress(objection, contact_key(contact.kind, contact.value, position.company.country))
        db.session.delete(contact)
    db.session.delete(position)


APPLIERS = {"contact": _apply_contact, "inferred_email": _apply_inferred_email, "position": _apply_position}


def _redact_history(entity_type: str, entity_id: int, field: str, value: str) -> None:
    """The removed value leaves the public history too (the change itself stays recorded)."""
    for revision in db.session.scalars(select(Revision).where(Revision.entity_type == entity_type,
                                                              Revision.entity_id == entity_id)):
        changes = dict(revision.changes or {})
        if field in changes:
            changes[field] = [REDACTED if v == value else v for v in changes[field]]
            revision.changes = changes
