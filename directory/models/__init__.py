"""All models, imported here so relationship strings resolve and Alembic sees every table."""
from .base import Base, utcnow
from .cases import Case, CaseStep
from .company import (
    ADDRESS_KINDS,
    CONTACT_POLICIES,
    Address,
    Brand,
    Company,
    CompanyName,
    CompanySlug,
    Identifier,
)
from .complaints import ComplaintRecord
from .community import AuditEntry, Contribution, Flag, RateLimitCounter, RoleChange
from .counts import DirectoryCount
from .contact import CONTACT_KINDS, TIERS, Contact
from .escalation import BounceReport, CompanyRegulator
from .freshness import CompanyRead, RefreshRun
from .page_generation import PAGE_GENERATION_SHARDS, PageGeneration
from .importing import CompanyReadRequest, EdgarSyncState, ProposedChange, WebsiteRead
from .person import ROLES, Person, Position
from .privacy import Objection, Suppression
from .ratings import (
    CompanyReply,
    CompanyScore,
    ContactProblem,
    OutcomeReport,
    OutcomeReportChange,
    PhoneReport,
    Rating,
    RatingChange,
)
from .revision import Revision
from .search_queue import PendingReindex
from .source import SOURCE_KINDS, Source
from .user import USER_ROLES, User

__all__ = [
    "ADDRESS_KINDS", "CONTACT_KINDS", "CONTACT_POLICIES", "ROLES", "SOURCE_KINDS", "TIERS",
    "USER_ROLES", "Address", "Case", "CaseStep", "AuditEntry", "Base", "Brand", "BounceReport", "Company", "CompanyRegulator",
    "CompanyName", "CompanySlug", "ComplaintRecord", "CompanyRead", "CompanyReadRequest", "Contact", "Contribution", "Flag", "EdgarSyncState", "Identifier",
    "PAGE_GENERATION_SHARDS", "PageGeneration", "PendingReindex", "Person", "Position", "ProposedChange", "RateLimitCounter", "Rating", "RatingChange",
    "RefreshRun", "OutcomeReport", "OutcomeReportChange", "PhoneReport", "ContactProblem", "CompanyReply", "CompanyScore", "DirectoryCount", "Objection", "Revision",
    "RoleChange", "Source", "Suppression", "User", "WebsiteRead", "utcnow",
]
