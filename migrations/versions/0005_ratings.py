"""ratings, outcome reports, contact problems and company replies (issue 6)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 01:47:07.621291

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('company_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_role', sa.String(length=200), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_company_replies_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_company_replies_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_company_replies_decided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_replies'))
    )
    with op.batch_alter_table('company_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_replies_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_replies_status'), ['status'], unique=False)

    op.create_table('ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('comment', sa.String(length=500), nullable=True),
    sa.Column('comment_state', sa.String(length=16), server_default='visible', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('stars BETWEEN 1 AND 5', name=op.f('ck_ratings_stars_range')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_ratings_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ratings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('company_id', 'user_id', name=op.f('uq_ratings_company_id_user_id'))
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ratings_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ratings_user_id'), ['user_id'], unique=False)

    op.create_table('outcome_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('rung', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('got_reply', sa.Boolean(), nullable=False),
    sa.Column('days_to_reply', sa.Integer(), nullable=True),
    sa.Column('resolved', sa.Boolean(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('days_to_reply IS NULL OR days_to_reply >= 0', name=op.f('ck_outcome_reports_days_not_negative')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_outcome_reports_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rating_id'], ['ratings.id'], name=op.f('fk_outcome_reports_rating_id_ratings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outcome_reports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_reports'))
    )
    with op.batch_alter_table('outcome_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_reports_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_reports_rating_id'), ['rating_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_reports_user_id'), ['user_id'], unique=False)

    op.create_table('rating_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('comment', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['rating_id'], ['ratings.id'], name=op.f('fk_rating_changes_rating_id_ratings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_changes'))
    )
    with op.batch_alter_table('rating_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_changes_rating_id'), ['rating_id'], unique=False)

    op.create_table('contact_problems',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('problem', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_contact_problems_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_contact_problems_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_contact_problems_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_problems')),
    sa.UniqueConstraint('contact_id', 'user_id', name=op.f('uq_contact_problems_contact_id_user_id'))
    )
    with op.batch_alter_table('contact_problems', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_problems_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_problems_contact_id'), ['contact_id'], unique=False)



def downgrade():
    with op.batch_alter_table('contact_problems', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_problems_contact_id'))
        batch_op.drop_index(batch_op.f('ix_contact_problems_company_id'))

    op.drop_table('contact_problems')
    with op.batch_alter_table('rating_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_changes_rating_id'))

    op.drop_table('rating_changes')
    with op.batch_alter_table('outcome_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_reports_user_id'))
        batch_op.drop_index(batch_op.f('ix_outcome_reports_rating_id'))
        batch_op.drop_index(batch_op.f('ix_outcome_reports_company_id'))

    op.drop_table('outcome_reports')
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ratings_user_id'))
        batch_op.drop_index(batch_op.f('ix_ratings_company_id'))

    op.drop_table('ratings')
    with op.batch_alter_table('company_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_replies_status'))
        batch_op.drop_index(batch_op.f('ix_company_replies_company_id'))

    op.drop_table('company_replies')
