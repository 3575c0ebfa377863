"""Accounts: password hashing and rules, registration, reset tokens, role changes.

Passwords follow NIST SP 800-63B: length is what counts (at least 12 characters here, long
passphrases welcome), no composition rules, and the most common passwords are refused.
Hashes are argon2id with OWASP's parameters unless the config says otherwise (tests use
cheap ones so the suite stays fast).
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from ..extensions import db
from ..models import USER_ROLES, RoleChange, User, utcnow
from .audit import record

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"
RESET_SALT = "password-reset"
CONFIRM_SALT = "email-confirm"
DELETED_EMAIL_DOMAIN = "deleted.invalid"  # deleted accounts' placeholder addresses (RFC 2606: never real)


class AccountError(ValueError):
    """A rule the user can fix, shown next to `field` of the form."""

    def __init__(self, message: str, field: str = "password"):
        super().__init__(message)
        self.field = field


@cache
def common_passwords() -> frozenset[str]:
    return frozenset(line.strip().lower() for line in COMMON_PASSWORDS_FILE.read_text().splitlines() if line.strip())


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(time_cost=config["ARGON2_TIME_COST"], memory_cost=config["ARGON2_MEMORY_COST"],
                          parallelism=config["ARGON2_PARALLELISM"], type=Type.ID)


def password_problem(password: str, email: str = "") -> str | None:
    """Why `password` is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters. A few unrelated words make a good passphrase."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 3:
        return "That password is one of the most common ones. Please choose another."
    if email and lowered == email.lower():
        return "Do not use your email address as your password."
    return None


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    """Check, and quietly upgrade the hash when the parameters have changed."""
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


@cache
def _decoy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism,
                          type=Type.ID).hash("decoy password, never a real one")


def authenticate(email: str, password: str) -> User | None:
    """The active account that `password` opens, or None. An unknown address costs the same
    argon2 verification as a known one, so the answer's timing does not tell them apart."""
    user = user_by_email(email)
    if user is None:
        config = current_app.config
        try:
            _hasher().verify(_decoy_hash(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"],
                                         config["ARGON2_PARALLELISM"]), password)
        except (VerificationError, InvalidHashError):
            pass
        return None
    return user if verify_password(user, password) and user.is_active else None


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def sign_up(email: str, password: str, *, display_name: str | None = None) -> User | None:
    """Registration from the public form: the new account, or None when the address already
    has one (the caller then mails its owner). Both paths check the password and hash it, so
    neither the answer nor its timing reveals who has an account."""
    problem = password_problem(password, email.strip())
    if problem:
        raise AccountError(problem)
    if user_by_email(email) is not None:
        hash_password(password)
        return None
    return register(email, password, display_name=display_name)


def register(email: str, password: str, *, display_name: str | None = None, role: str = "contributor") -> User:
    email = email.strip().lower()
    if email.endswith("@" + DELETED_EMAIL_DOMAIN):
        raise AccountError("Enter a real email address.", field="email")
    if user_by_email(email) is not None:
        raise AccountError("An account with this email address already exists. Try logging in or resetting your password.",
                           field="email")
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem)
    if role not in USER_ROLES:
        raise AccountError(f"Unknown role {role!r}.", field="role")
    user = User(email=email, password_hash=hash_password(password), display_name=display_name or None,
                role=role, session_version=1, is_active=True)
    db.session.add(user)
    db.session.flush()
    if role != "contributor":
        db.session.add(RoleChange(user_id=user.id, old_role=None, new_role=role, changed_by_id=None))
    return user


def end_sessions(user: User) -> None:
    """Every session and remember-me cookie of `user` stops working (they carry the version)."""
    user.session_version = (user.session_version or 1) + 1
    db.session.flush()


def set_password(user: User, password: str) -> None:
    """New password; every existing session and remember-me cookie stops working."""
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(password)
    end_sessions(user)


def may_ban(by: User | None, user: User) -> bool:
    """Whether `by` may ban or unban `user`: moderators ban contributors; only an admin (or
    the command line, `by=None`) bans a moderator; nobody their own account. The review page
    offers the button by this rule too (a template global)."""
    return by is None or (by.id != user.id and (by.is_admin or not user.is_moderator))


def set_banned(user: User, banned: bool, *, by: User | None) -> None:
    """Ban (no login, every session ends) or lift the ban, as `may_ban` allows. Both bump the
    session version: a cookie from before the ban must not come back to life when it is lifted."""
    if not may_ban(by, user):
        raise AccountError("Only an admin can ban or unban a moderator, and nobody their own account.", field="role")
    if user.is_active != banned:
        return
    user.is_active = not banned
    end_sessions(user)
    record(by, "ban" if banned else "unban", "user", user.id)


def change_role(user: User, new_role: str, *, by: User | None) -> None:
    if new_role not in USER_ROLES:
        raise AccountError(f"Unknown role {new_role!r}.", field="role")
    if new_role == user.role:
        return
    db.session.add(RoleChange(user_id=user.id, old_role=user.role, new_role=new_role,
                              changed_by_id=by.id if by else None))
    record(by, "role_change", "user", user.id, {"from": user.role, "to": new_role})
    user.role = new_role
    db.session.flush()


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _signed_data(token: str, salt: str, max_age_setting: str) -> dict | None:
    try:
        data = _serializer(salt).loads(token, max_age=current_app.config[max_age_setting])
    except (SignatureExpired, BadSignature):
        return None
    return data if isinstance(data, dict) else None


def reset_token(user: User) -> str:
    """Signed and dated; the session version inside makes a used token worthless."""
    return _serializer(RESET_SALT).dumps({"user": user.id, "version": user.session_version})


def confirmation_token(user: User) -> str:
    """Signed and dated; it names the address, so it confirms only the address it was sent to."""
    return _serializer(CONFIRM_SALT).dumps({"user": user.id, "email": user.email})


def confirm_email(token: str) -> User | None:
    """Mark the address confirmed (ratings and reports then count at once); None when the
    link is forged, expired or for an address the account no longer has."""
    data = _signed_data(token, CONFIRM_SALT, "EMAIL_CONFIRM_MAX_AGE")
    user = db.session.get(User, data.get("user")) if data else None
    if user is None or not user.is_active or user.email != data.get("email"):
        return None
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        db.session.flush()
    return user


def user_for_reset_token(token: str) -> User | None:
    data = _signed_data(token, RESET_SALT, "PASSWORD_RESET_MAX_AGE")
    if data is None:
        return None
    user = db.session.get(User, data.get("user"))
    if user is None or not user.is_active or user.session_version != data.get("version"):
        return None
    return user
