"""All models, imported here so relationship strings resolve and Alembic sees every table."""
from .base import Base, utcnow
from .company import (
    ADDRESS_KINDS,
    CONTACT_POLICIES,
    Address,
    Company,
    CompanyName,
    CompanySlug,
    Identifier,
)
from .community import AuditEntry, Contribution, Flag, RateLimitCounter, RoleChange
from .counts import DirectoryCount
from .contact import CONTACT_KINDS, TIERS, Contact
from .escalation import BounceReport, CompanyRegulator
from .importing import EdgarSyncState, ProposedChange
from .person import ROLES, Person, Position
from .ratings import CompanyReply, CompanyScore, ContactProblem, OutcomeReport, Rating, RatingChange
from .revision import Revision
from .search_queue import PendingReindex
from .source import SOURCE_KINDS, Source
from .user import USER_ROLES, User

__all__ = [
    "ADDRESS_KINDS", "CONTACT_KINDS", "CONTACT_POLICIES", "ROLES", "SOURCE_KINDS", "TIERS",
    "USER_ROLES", "Address", "AuditEntry", "Base", "BounceReport", "Company", "CompanyRegulator", "CompanyName", "CompanySlug", "Contact", "Contribution", "Flag",
    "EdgarSyncState", "Identifier", "PendingReindex", "Person", "Position", "ProposedChange",
    "RateLimitCounter", "Rating", "RatingChange", "OutcomeReport", "ContactProblem", "CompanyReply", "CompanyScore", "DirectoryCount",
    "Revision", "RoleChange", "Source", "User", "utcnow",
]
