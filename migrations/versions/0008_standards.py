"""standards registry: minimum wages by province and tier, place tiers, other dated standards

Seeds the tables from the CSV files in app/standards/data/ (issue 16).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa
import app.db
from app.standards import seed


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

SEEDED_AT = datetime(2026, 12, 3, tzinfo=timezone.utc)


def upgrade() -> None:
    wage = op.create_table('minimum_wage_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province', sa.String(length=10), nullable=False),
    sa.Column('tier', sa.Integer(), nullable=False),
    sa.Column('monthly', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('hourly', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('document', sa.String(length=200), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['corrects_id'], ['minimum_wage_record.id'], name=op.f('fk_minimum_wage_record_corrects_id_minimum_wage_record'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_minimum_wage_record_created_by_id_user_account'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minimum_wage_record'))
    )
    op.create_index('ix_minimum_wage_record_lookup', 'minimum_wage_record', ['province', 'effective_from'], unique=False)
    place = op.create_table('place_tier_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province', sa.String(length=10), nullable=False),
    sa.Column('city', sa.String(length=40), nullable=False),
    sa.Column('tier', sa.Integer(), nullable=True),
    sa.Column('standard_effective_from', sa.Date(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place_tier_record'))
    )
    op.create_index('ix_place_tier_record_lookup', 'place_tier_record', ['province', 'city'], unique=False)
    other = op.create_table('dated_standard',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('province', sa.String(length=10), nullable=False),
    sa.Column('sector', sa.String(length=30), nullable=False),
    sa.Column('scheme', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Numeric(precision=12, scale=4), nullable=False),
    sa.Column('value_high', sa.Numeric(precision=12, scale=4), nullable=True),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('condition', sa.Text(), nullable=False),
    sa.Column('document', sa.String(length=200), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dated_standard'))
    )
    op.create_index(op.f('ix_dated_standard_kind'), 'dated_standard', ['kind'], unique=False)
    op.bulk_insert(wage, [dict(r, created_at=SEEDED_AT) for r in seed.minimum_wage_rows()])
    op.bulk_insert(place, [dict(r, created_at=SEEDED_AT) for r in seed.place_rows()])
    op.bulk_insert(other, [dict(r, created_at=SEEDED_AT) for r in seed.other_rows()])


def downgrade() -> None:
    op.drop_index(op.f('ix_dated_standard_kind'), table_name='dated_standard')
    op.drop_table('dated_standard')
    op.drop_index('ix_place_tier_record_lookup', table_name='place_tier_record')
    op.drop_table('place_tier_record')
    op.drop_index('ix_minimum_wage_record_lookup', table_name='minimum_wage_record')
    op.drop_table('minimum_wage_record')
