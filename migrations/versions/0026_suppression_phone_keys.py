"""suppressions: phone numbers keyed as E.164 in the company's country (issue 31, one channel key)

Revision ID: 0026
Revises: 0023

Suppressed phones were keyed by their last ten digits ("contact:phone:4089961010"); every
writer now compares channels by one key, a phone's E.164 number in the company's country
("contact:phone:+14089961010"). Each stored phone key is re-keyed in the country of the
company its objection was about (the United States when unknown), so a number removed on
request stays removed. No schema change.
"""
import re

import phonenumbers
import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0023"
branch_labels = None
depends_on = None

PREFIX = "contact:phone:"


def _e164(digits: str, country: str | None) -> str:
    try:
        number = phonenumbers.parse(digits, (country or "US").upper())
    except phonenumbers.NumberParseException:
        return digits
    if not phonenumbers.is_possible_number(number):
        return digits
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _rekey(convert) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT s.id, s.key, c.country FROM suppressions s LEFT JOIN objections o ON o.id = s.objection_id "
        "LEFT JOIN companies c ON c.id = o.company_id WHERE s.key LIKE :prefix"), {"prefix": PREFIX + "%"}).all()
    taken = {key for (key,) in connection.execute(sa.text("SELECT key FROM suppressions"))}
    for row_id, key, country in rows:
        new_key = PREFIX + convert(key[len(PREFIX):], country)
        if new_key == key:
            continue
        if new_key in taken:  # the same number suppressed twice: one row is enough
            connection.execute(sa.text("DELETE FROM suppressions WHERE id = :id"), {"id": row_id})
            continue
        connection.execute(sa.text("UPDATE suppressions SET key = :key WHERE id = :id"), {"key": new_key, "id": row_id})
        taken.add(new_key)


def upgrade():
    _rekey(lambda digits, country: digits if digits.startswith("+") else _e164(digits, country))


def downgrade():
    _rekey(lambda number, country: re.sub(r"\D", "", number)[-10:])
