"""Objections of listed people: what they can object to, filing one, and the decision.

A person listed here (or their company) may ask to remove or correct a business contact of
theirs, the email address the site infers for them, or their listing at a company. A
moderator upholds or rejects with a reason; both outcomes are mailed to the requester and
audited. Upholding a removal puts the value on the suppression list, so no importer or
contribution brings it back. Functions flush, the view commits.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..escalation.ladder import inferred_email
from ..extensions import db
from ..models import Company, Contact, Objection, Person, Position, Revision, Suppression, User, utcnow
from ..privacy.suppression import REDACTED, contact_key, listing_key
from ..revisions import revision_context
from . import moderation
from .corrections import correct_position

# A listing drawn from these sources is the register's record: it stays unless it is wrong.
REGISTER_SOURCES = ("sec_filing", "registry_record")


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
                                      f"{contact.kind_label}: {contact.value} ({company.name})"))
        if is_ceo:
            likely = inferred_email(company)
            if likely:
                targets.append(Target("inferred_email", position.id, company, likely,
                                      f"Inferred email: {likely} ({company.name})"))
    return targets


def file_objection(person: Person, choice: str, *, request: str, corrected_value: str | None, requester: str,
                   contact_email: str, explanation: str | None) -> Objection:
    target = next((t for t in objection_targets(person) if t.choice == choice), None)
    if target is None:
        raise ObjectionError("Choose one of the values listed.")
    if request == "correct" and not (corrected_value or "").strip():
        raise ObjectionError("Give the correct value.")
    objection = Objection(person_id=person.id, company_id=target.company.id, target_type=target.type,
                          target_id=target.id, target_value=target.value[:500], request=request,
                          corrected_value=(corrected_value or "").strip() or None if request == "correct" else None,
                          requester=requester, contact_email=contact_email.strip().lower(),
                          explanation=(explanation or "").strip() or None, status="pending")
    db.session.add(objection)
    db.session.flush()
    return objection


def decide(objection: Objection, moderator: User, *, uphold: bool, reason: str) -> None:
    """Uphold (apply and suppress) or reject, with a reason; exactly one moderator wins."""
    if not reason.strip():
        raise ObjectionError("Give a reason: the requester receives it.")
    status = "upheld" if uphold else "rejected"
    moderation.decide(objection, moderator, "objection_" + status, what="objection",
                      details={"reason": reason.strip()}, status=status, decided_by_id=moderator.id,
                      decision_reason=reason.strip(), decided_at=utcnow())
    if uphold:
        with revision_context(f"user:{moderator.id}", user_id=moderator.id, approved_by_id=moderator.id):
            APPLIERS[objection.target_type](objection)
            db.session.flush()


def _suppress(objection: Objection, key: str) -> None:
    if db.session.scalar(select(Suppression.id).where(Suppression.key == key)) is None:
        db.session.add(Suppression(key=key, objection_id=objection.id))


def _apply_contact(objection: Objection) -> None:
    contact = db.session.get(Contact, objection.target_id)
    if contact is None:
        raise ObjectionError("The contact no longer exists.")
    _suppress(objection, contact_key(contact.kind, contact.value))
    if objection.request == "correct":
        contact.value = objection.corrected_value
    else:
        db.session.delete(contact)
    db.session.flush()
    _redact_history("contact", contact.id, "value", objection.target_value)


def _apply_inferred_email(objection: Objection) -> None:
    _suppress(objection, contact_key("email", objection.target_value))
    position = db.session.get(Position, objection.target_id)
    if objection.request == "correct" and position is not None:
        db.session.add(Contact(company_id=position.company_id, position_id=position.id, kind="email", tier="ceo",
                               value=objection.corrected_value, label="Given by the person"))


def _apply_position(objection: Objection) -> None:
    position = db.session.get(Position, objection.target_id)
    if position is None:
        raise ObjectionError("The listing no longer exists.")
    if objection.request == "correct":
        correct_position(position, objection)
        return
    _suppress(objection, listing_key(position.person_id, position.company_id))
    for contact in list(position.contacts):
        _suppress(objection, contact_key(contact.kind, contact.value))
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
