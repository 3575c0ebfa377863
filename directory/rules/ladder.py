"""The escalation ladder of a company page: five rungs, in order, with advice for its country.

Customer service, formal complaints, the executive office, the chief executive, then the
regulator or ombudsman. The advice says when to move up; it differs by country because the
rules do (a UK ombudsman waits 8 weeks or a deadlock letter, a US FCC complaint obliges the
carrier to answer in writing within 30 days).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from ..extensions import db
from ..models import Address, BounceReport, Company, CompanyRegulator, Contact, Revision, Source
from ..models.contact import TIER_LABELS
from .suppression import contact_key, is_suppressed
from scrapers.edgar.press import is_generic_mailbox

from .email_formats import FormatGuess, infer_format
from .regulators import Regulator, regulators_for

LADDER_TIERS = ("customer_service", "complaints", "executive_office", "ceo", "regulator")
# How many days to give each rung for an answer before moving up, where no rule of the
# company's country or regulator says otherwise (the case tracker's clocks count them).
WAIT_DAYS = {"customer_service": 7, "complaints": 14, "executive_office": 7, "ceo": 7, "regulator": 30}
EXECUTIVE_WAIT = "Give it about a week for an answer before moving up."
ADVICE = {
    "customer_service": {
        None: "Start here. Note the date, the name of whoever you spoke to and any reference number.",
    },
    "complaints": {
        None: "If customer service has not fixed it, make a formal complaint in writing and ask for a written reply.",
        "GB": "Say clearly that you are making a formal complaint. The firm has 8 weeks to resolve it or send "
              "you a final response; if it cannot agree with you, ask for that final response (a deadlock letter).",
        "US": "Put the complaint in writing, ask for a case number and keep copies of everything you send.",
    },
    "executive_office": {
        None: "Executive offices handle problems that reach the top and can cut through delays. " + EXECUTIVE_WAIT,
    },
    "ceo": {
        None: "Write to the chief executive by name. Be brief and factual, and say what outcome you want. "
              + EXECUTIVE_WAIT,
    },
    "regulator": {
        None: "If the company still has not fixed it, a regulator or ombudsman can step in.",
        "GB": "An ombudsman will only look at your case once the firm has had 8 weeks to deal with your complaint, "
              "or sooner if it has sent you a final response (deadlock letter). Check the time limit for "
              "bringing your case.",
        "US": "Federal and state agencies forward your complaint to the company and ask it to respond: for "
              "example, a carrier must answer an FCC informal complaint in writing within 30 days.",
    },
}


def advice_for(tier: str, country: str | None) -> str:
    by_country = ADVICE[tier]
    return by_country.get(country, by_country[None])


# Whose channels feed the email-format inference: people named in the company's own releases.
EVIDENCE_ROLES = ("press", "investor_relations")


@dataclass
class Rung:
    tier: str
    advice: str
    contacts: list[Contact] = field(default_factory=list)  # current: the company's own first
    earlier: list[Contact] = field(default_factory=list)  # replaced by newer ones of the same kind and role
    head_office_phone: str | None = None  # the executive office rung: the switchboard as filed
    head_office_phone_source: Source | None = None
    postal_address: Address | None = None  # the CEO rung: the principal office, to the CEO by name
    addressee: str | None = None
    regulators: list[Regulator] = field(default_factory=list)
    email_guess: FormatGuess | None = None  # the CEO rung: the company's inferred email format
    likely_email: str | None = None  # the CEO's address in that format; never verified
    # Customer service: the company's social accounts ("Ask in public"), in the order stored.
    public_accounts: list[Contact] = field(default_factory=list)
    email_evidence: list[Contact] = field(default_factory=list)  # the addresses that agree on it

    @property
    def first_contact(self) -> Contact | None:
        """The channel shown first: the company's own, newest, a person's before an office's."""
        return self.contacts[0] if self.contacts else None

    @property
    def label(self) -> str:
        return TIER_LABELS.get(self.tier, self.tier)

    @property
    def is_empty(self) -> bool:
        return not (self.contacts or self.postal_address or self.regulators or self.email_guess
                    or self.public_accounts or self.head_office_phone)


def phone_source(company: Company) -> Source | None:
    """Where the head-office phone came from: the source of the newest change that set it
    (FCA register, company website, EDGAR), else the record it is filed with. EDGAR files the
    business phone beside the principal office in the same company record, and a snapshot
    keeps that address's source, not the change's."""
    if not company.phone:
        return None
    changes = db.session.scalars(select(Revision).where(
        Revision.entity_type == "company", Revision.entity_id == company.id, Revision.source_id.is_not(None))
        .order_by(Revision.id.desc()))
    setter = next((r for r in changes if "phone" in (r.changes or {})), None)
    if setter is not None:
        return setter.source
    office = company.postal_address
    return office.source if office is not None else None


def escalation_ladder(company: Company) -> list[Rung]:
    """All five rungs in order, each with what we know for it."""
    rungs = {tier: Rung(tier, advice_for(tier, company.country)) for tier in LADDER_TIERS}
    for tier, rung in rungs.items():
        listed = [c for c in company.contacts if c.tier == tier and c.status != "retracted"]  # withdrawn by a revert
        rung.public_accounts = [c for c in listed if c.role == "social"]
        rung.contacts, rung.earlier = current_and_earlier([c for c in listed if c.role != "social"])
    rungs["executive_office"].head_office_phone = company.phone
    rungs["executive_office"].head_office_phone_source = phone_source(company)
    ceo = company.ceo_position
    ceo_rung = rungs["ceo"]
    if company.postal_address is not None:
        ceo_rung.postal_address = company.postal_address
        ceo_rung.addressee = ceo.person.name if ceo else "The Chief Executive Officer"
    ceo_rung.email_guess = email_guess(company)
    if ceo_rung.email_guess and ceo_rung.email_guess.is_agreed:
        ceo_rung.likely_email = inferred_email(company, ceo_rung.email_guess)
        ceo_rung.email_evidence = email_evidence(company, ceo_rung.email_guess)
    rungs["regulator"].regulators = company_regulators(company)
    return list(rungs.values())


def current_and_earlier(contacts: list[Contact]) -> tuple[list[Contact], list[Contact]]:
    """(shown, history): of the contacts with a role, only the newest of each kind, role and
    owner stay in view; older ones go to the history with the date they were last seen.

    Shown ones come in the order a reader should try them: the company's own before another
    organisation's, a person's before an office's, newest first.
    """
    newest: dict[tuple, date] = {}
    for contact in contacts:
        if contact.role and contact.as_of:
            key = _replacement_key(contact)
            newest[key] = max(newest.get(key, contact.as_of), contact.as_of)
    shown, earlier = [], []
    for contact in contacts:
        replaced = contact.role and contact.as_of and contact.as_of < newest[_replacement_key(contact)]
        (earlier if replaced else shown).append(contact)
    shown.sort(key=lambda c: (c.organisation is not None, c.person_name is None, -(c.as_of or date.min).toordinal()))
    earlier.sort(key=lambda c: c.as_of, reverse=True)
    return shown, earlier


def _replacement_key(contact: Contact) -> tuple:
    return contact.kind, contact.role, contact.organisation, contact.person_name is None


def inferred_email(company: Company, guess: FormatGuess | None = None) -> str | None:
    """The CEO's likely address in the company's format, only when the evidence agrees, and
    unless the CEO asked us to remove it (then it is on the suppression list, never shown again)."""
    ceo = company.ceo_position
    guess = guess or email_guess(company)
    likely = guess.address_for(ceo.person.name) if guess and guess.is_agreed and ceo else None
    return likely if likely and not is_suppressed(contact_key("email", likely)) else None


def company_regulators(company: Company) -> list[Regulator]:
    overrides = dict(db.session.execute(
        select(CompanyRegulator.regulator_id, CompanyRegulator.is_member)
        .where(CompanyRegulator.company_id == company.id)
    ).all())
    return regulators_for(company.country, company.sic_code, overrides, memberships=register_memberships(company))


# The FCA register's statuses under which a firm answers to the Financial Ombudsman Service.
FCA_MEMBER_STATUSES = ("authorised", "eea authorised", "registered", "supervised run-off")


def register_memberships(company: Company) -> dict[str, str]:
    """The registers the company is a member of, each with the sentence that says so."""
    frn = company.identifier("frn")
    if frn and (company.fca_status or "").strip().lower() in FCA_MEMBER_STATUSES:
        return {"fca": f"{company.name} is {company.fca_status.lower()} by the Financial Conduct Authority "
                       f"(FRN {frn}), so its complaints go to the Financial Ombudsman Service"}
    return {}


def email_guess(company: Company) -> FormatGuess | None:
    """The format of the company's known addresses, weakened by every bounce users reported.

    A named press or IR contact's own address is matched against that person's name; other
    addresses against the executives' names. Another organisation's never counts.
    """
    emails = [c for c in company.contacts
              if c.kind == "email" and c.status not in ("bounced", "retracted") and c.organisation is None]
    named = [(c.value, c.person_name) for c in emails if _is_named_evidence(c)]
    addresses = [c.value for c in emails if not c.person_name]
    names = [p.person.name for p in company.positions]
    guess = infer_format(addresses, names, named=named)
    if guess is None or guess.format is None:
        return guess
    return guess.after_bounces(bounce_count(company.id, guess.format))


def _is_named_evidence(contact: Contact) -> bool:
    return bool(contact.person_name) and contact.role in EVIDENCE_ROLES and not is_generic_mailbox(contact.value)


def email_evidence(company: Company, guess: FormatGuess) -> list[Contact]:
    """The named press and IR addresses that fit the guessed format, to link to their releases."""
    return [c for c in company.contacts if c.kind == "email" and _is_named_evidence(c) and c.organisation is None
            and c.value.lower().endswith("@" + guess.domain) and guess.fits(c.value, c.person_name)]


def bounce_count(company_id: int, format_name: str) -> int:
    return db.session.scalar(
        select(func.count(BounceReport.id))
        .where(BounceReport.company_id == company_id, BounceReport.format == format_name)
    )
