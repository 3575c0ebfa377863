"""Suggestions: what each kind can change, how risky it is, and how it is applied.

A suggestion stores a snapshot of the current values and the proposed ones
({field: value}); applying it sets the proposed values inside a `revision_context`, so the
revision names who proposed, who approved and the "contribution" Source with the evidence.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from .. import clock
from ..extensions import db
from ..labels import labels_for, value_label
from ..models import (
    CONTACT_POLICIES,
    Company,
    Contact,
    Contribution,
    Person,
    Position,
    Source,
    User,
    utcnow,
)
from ..rules.policy import never_published
from ..rules.suppression import contact_key, listing_key, suppressed
from ..revisions import revision_context
from ..slugs import unique_slug
from .companies import new_company, rename_company


class SuggestionError(ValueError):
    """The suggestion cannot be accepted as sent (shown to the contributor)."""


@dataclass(frozen=True)
class Kind:
    """One kind of suggestion: its target model and the fields it may change."""

    name: str
    label: str
    entity_type: str
    fields: tuple[str, ...]
    creates: bool = False  # adds a row instead of changing one
    row: str | None = None  # the kind of row its fields describe, when not `entity_type` (a new contact)

    @property
    def fields_of(self) -> str:
        return self.row or self.entity_type


KINDS = {kind.name: kind for kind in (
    Kind("company", "Company details", "company", ("name", "website", "phone", "city", "region", "country", "sector")),
    Kind("new_company", "New company", "company", ("name", "country", "city", "website", "phone"), creates=True),
    Kind("new_ceo", "New chief executive", "company", ("person_name", "title", "start_date"), creates=True),
    Kind("position", "Executive's title or departure", "position", ("title", "is_current", "end_date")),
    Kind("contact_add", "New contact", "company", ("kind", "value", "tier", "label"), creates=True, row="contact"),
    Kind("contact", "Contact", "contact", ("value", "label", "status")),
    Kind("person", "Person's name", "person", ("name",)),
    Kind("contact_policy", "Contact policy", "company", ("contact_policy",)),
)}
MODELS = {"company": Company, "position": Position, "contact": Contact, "person": Person}
LOW_RISK = {"company": {"website", "phone"}, "position": {"title"}}
FIELD_LABELS = {
    "name": "Name", "website": "Website", "phone": "Phone", "city": "City", "region": "State or region",
    "country": "Country", "sector": "Sector", "person_name": "Person", "title": "Title", "start_date": "Since",
    "is_current": "Still in post", "end_date": "Left on", "kind": "Kind", "value": "Value", "tier": "Step",
    "label": "Label", "status": "Status", "contact_policy": "Contact policy",
}


def current_values(kind: Kind, target) -> dict:
    """The values a suggestion would change, as they are now (JSON-friendly)."""
    if kind.creates or target is None:
        return {}
    return {field: _plain(getattr(target, field)) for field in kind.fields}


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def changed_fields(kind: Kind, current: dict, proposed: dict) -> dict:
    """Only what differs; empty strings mean "no value"."""
    changes = {}
    for field in kind.fields:
        if field not in proposed:
            continue
        value = proposed[field]
        value = value.strip() if isinstance(value, str) else value
        value = _plain(value) if value not in ("",) else None
        if kind.creates or current.get(field) != value:
            changes[field] = value
    return {k: v for k, v in changes.items() if not (kind.creates and v is None)}


def diff_rows(kind: Kind, current: dict, proposed: dict) -> list[tuple[str, object, object]]:
    """(label, now, proposed) for each changed field, values in words: the side-by-side diff
    of preview and review."""
    row = kind.fields_of
    return [(FIELD_LABELS.get(field, field), value_label(row, field, current.get(field)), value_label(row, field, value))
            for field, value in proposed.items()]


@dataclass(frozen=True)
class EditField:
    """One field of "Approve with an edit": a choice among the codes' labels, or text."""

    name: str
    label: str
    value: object
    choices: list[tuple[str, str]] | None


def edit_fields(kind: Kind, proposed: dict) -> list[EditField]:
    """The fields a moderator may edit before approving (yes/no answers are approved as sent)."""
    return [EditField(field, FIELD_LABELS.get(field, field), value,
                      list(labels.items()) if (labels := labels_for(kind.fields_of, field)) else None)
            for field, value in proposed.items() if not isinstance(value, bool)]


def company_id_of(kind: Kind, target) -> int | None:
    if target is None:
        return None
    if isinstance(target, Company):
        return target.id
    if isinstance(target, Person):  # a person is reviewed with the company they run
        return next((p.company_id for p in target.positions if p.is_current), None)
    return target.company_id


def is_high_risk(kind: Kind, target, proposed: dict) -> bool:
    """What needs a second moderator, whoever suggests it (trusted contributors included):
    anything that changes who a company's chief executive is, a chief executive's title or
    dates, a contact on the CEO step, or an executive's email address. That covers every way
    to the same effect: a new CEO, any change to a CEO position (a title of "Former intern" or
    a departure), renaming the person who holds a current CEO position (a CEO change under
    another name). Asked on what is finally applied: a moderator's edit is asked again."""
    if kind.name == "new_ceo":
        return True
    if kind.name == "position" and target is not None and target.is_ceo:
        return True
    if kind.name == "person" and target is not None and any(p.is_ceo and p.is_current for p in target.positions):
        return True
    if kind.name not in ("contact", "contact_add"):
        return False
    contact_kind = proposed.get("kind") or getattr(target, "kind", None)
    tier = proposed.get("tier") or getattr(target, "tier", None)
    return tier == "ceo" or (contact_kind == "email" and tier == "executive_office")


def is_low_risk(kind: Kind, proposed: dict) -> bool:
    allowed = LOW_RISK.get(kind.name)
    return bool(allowed) and set(proposed) <= allowed


def _published_values(kind: Kind, target, values: dict) -> tuple[list[tuple[str, str, str | None, bool]], list[str]]:
    """What a suggestion would publish that the privacy rules govern: contacts as
    (kind, value, tier, tied to a person) and listing keys (a person named as this company's
    chief executive whose listing here was removed on request: matched by name, since a
    contributor names a person)."""
    if kind.name in ("company", "new_company"):
        return [(name, values[name], None, False) for name in ("phone", "website") if values.get(name)], []
    if kind.name == "contact_add" and values.get("value"):
        return [(values.get("kind") or "", values["value"], values.get("tier"), False)], []
    if kind.name == "contact" and values.get("value"):
        return [(target.kind, values["value"], target.tier, target.position_id is not None)], []
    if kind.name == "new_ceo" and values.get("person_name"):
        named = db.session.scalars(select(Person.id).where(
            func.lower(Person.name) == values["person_name"].strip().lower()))
        return [], [listing_key(person_id, target.id) for person_id in named]
    return [], []


def _country_of(target) -> str | None:
    """The country phone numbers are read in: the company's, or the contact's company's."""
    company = getattr(target, "company", None) or target
    return getattr(company, "country", None)


def privacy_refusal(kind: Kind, target, values: dict) -> str | None:
    """Why these values may not be published: an executive's personal mailbox, or a value
    removed on request (the suppression list). Asked when suggesting and again when applying,
    since an objection may be upheld while a suggestion waits."""
    contacts, keys = _published_values(kind, target, values)
    if any(never_published(k, value, tier=tier, for_person=for_person) for k, value, tier, for_person in contacts):
        return "An executive's personal email address is never published; give a work address."
    country = _country_of(target)
    if suppressed(keys + [contact_key(k, value, country) for k, value, _, _ in contacts]):
        return "This was removed at the request of the person or company it concerns, and is not published again."
    return None


def author_stats(user_id: int | None) -> dict[str, int]:
    if user_id is None:
        return {"approved": 0, "rejected": 0, "pending": 0}
    rows = db.session.execute(
        select(Contribution.status, func.count()).where(Contribution.author_id == user_id).group_by(Contribution.status)
    ).all()
    stats = {"approved": 0, "rejected": 0, "pending": 0}
    stats.update({status: count for status, count in rows})
    return stats


def recent_rejections(user_id: int, days: int) -> int:
    since = utcnow() - timedelta(days=days)
    return db.session.scalar(select(func.count()).where(
        Contribution.author_id == user_id, Contribution.status == "rejected", Contribution.decided_at >= since)) or 0


def is_trusted(user: User) -> bool:
    """Admin-marked, or enough accepted suggestions and no recent rejection."""
    if user.trusted:
        return True
    config = current_app.config
    return (author_stats(user.id)["approved"] >= config["TRUSTED_AFTER_ACCEPTED"]
            and recent_rejections(user.id, config["TRUSTED_CLEAN_DAYS"]) == 0)


def suggest(kind_name: str, target, proposed: dict, *, author: User | None, author_ip: str,
            evidence_url: str | None, note: str | None) -> Contribution:
    """Record a suggestion; a trusted contributor's low-risk edit is applied at once and
    stays in the queue for review after the fact."""
    kind = KINDS[kind_name]
    if author is not None and author.is_paused():
        raise SuggestionError("Your account is paused from suggesting changes for a few days after several "
                              "suggestions were rejected.")
    current = current_values(kind, target)
    changes = changed_fields(kind, current, proposed)
    if not changes:
        raise SuggestionError("Nothing would change: the values you sent are the ones we already show.")
    refusal = privacy_refusal(kind, target, changes)
    if refusal:
        raise SuggestionError(refusal)
    contribution = Contribution(
        kind=kind.name, entity_type=kind.entity_type,
        entity_id=None if kind.name == "new_company" else target.id,
        company_id=company_id_of(kind, target), current=current, proposed=changes,
        evidence_url=evidence_url or None, note=note or None, status="pending",
        high_risk=is_high_risk(kind, target, changes), author_id=author.id if author else None, author_ip=author_ip,
    )
    db.session.add(contribution)
    db.session.flush()
    if author is not None and not contribution.high_risk and is_low_risk(kind, changes) and is_trusted(author):
        apply(contribution, approved_by=None)
        contribution.applied_early = True
    return contribution


def target_of(contribution: Contribution):
    """The row a suggestion changes (None for a new company, or once the row is gone)."""
    kind = KINDS[contribution.kind]
    if kind.name == "new_company" or contribution.entity_id is None:
        return None
    return db.session.get(MODELS[kind.entity_type], contribution.entity_id)


def evidence_source(contribution: Contribution) -> Source:
    source = Source(kind="contribution", url=contribution.evidence_url, document_id=f"contribution:{contribution.id}",
                    title=(contribution.note or "")[:300] or None)
    db.session.add(source)
    db.session.flush()
    contribution.source_id = source.id
    return source


def apply(contribution: Contribution, *, approved_by: User | None, values: dict | None = None) -> None:
    """Make the proposed (or moderator-edited) values the accepted ones."""
    kind = KINDS[contribution.kind]
    values = dict(values if values is not None else contribution.proposed)
    source = evidence_source(contribution)
    actor = f"user:{contribution.author_id}" if contribution.author_id else "visitor"
    with revision_context(actor, user_id=contribution.author_id,
                          approved_by_id=approved_by.id if approved_by else None, source_id=source.id):
        target = target_of(contribution)
        if target is None and kind.name != "new_company":
            raise SuggestionError("The record this suggestion was about no longer exists.")
        refusal = privacy_refusal(kind, target, values)
        if refusal:
            raise SuggestionError(refusal)
        created = APPLIERS[kind.name](target, values, source)
        db.session.flush()
    if kind.name == "new_company":
        contribution.entity_id = contribution.company_id = created.id


def _as_date(value):
    return date.fromisoformat(value) if isinstance(value, str) and value else value


def _set_fields(target, values: dict, source: Source) -> None:
    for field, value in values.items():
        setattr(target, field, _as_date(value) if field.endswith("_date") else value)
    if hasattr(target, "source_id") and not isinstance(target, Company):
        target.source_id = source.id


def _apply_company(company: Company, values: dict, source: Source) -> None:
    values = dict(values)
    if values.get("name"):
        rename_company(company, values.pop("name"))
    _set_fields(company, values, source)
    company.last_verified_at = utcnow()


def _apply_new_company(_target, values: dict, source: Source) -> Company:
    values = dict(values)
    return new_company(values.pop("name"), **{k: v for k, v in values.items() if v})


def _apply_new_ceo(company: Company, values: dict, source: Source) -> None:
    today = clock.today()
    for position in company.positions:
        if position.is_current and position.is_ceo:
            position.is_current = False
            position.end_date = position.end_date or _as_date(values.get("start_date")) or today
    name = values["person_name"]
    person = Person(name=name, slug=unique_slug(db.session, Person, name))
    db.session.add(person)
    db.session.add(Position(company=company, person=person, title=values.get("title") or "Chief Executive Officer",
                            role="ceo", is_ceo=True, confirmed=True, ceo_confidence=1.0, is_current=True,
                            start_date=_as_date(values.get("start_date")), source_id=source.id))


def _apply_contact_add(company: Company, values: dict, source: Source) -> None:
    db.session.add(Contact(company=company, kind=values["kind"], value=values["value"],
                           tier=values.get("tier") or "customer_service", label=values.get("label"),
                           as_of=clock.today(), quality="verified", source_id=source.id))


def _apply_contact_policy(company: Company, values: dict, source: Source) -> None:
    """Moderators may edit the value before approving: only a known status is accepted."""
    if values.get("contact_policy") not in CONTACT_POLICIES:
        raise SuggestionError("The contact policy must be one of: " + ", ".join(CONTACT_POLICIES) + ".")
    company.contact_policy = values["contact_policy"]


APPLIERS = {
    "company": _apply_company,
    "new_company": _apply_new_company,
    "new_ceo": _apply_new_ceo,
    "position": _set_fields,
    "contact_add": _apply_contact_add,
    "contact": _set_fields,
    "person": _set_fields,
    "contact_policy": _apply_contact_policy,
}
