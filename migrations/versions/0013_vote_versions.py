"""the workers' vote names the frozen agreement version it was held on (number and SHA-256)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: votes recorded before this revision named no version, and keep none.
    with op.batch_alter_table('negotiation_vote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreement_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('agreement_sha256', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('negotiation_vote', schema=None) as batch_op:
        batch_op.drop_column('agreement_sha256')
        batch_op.drop_column('agreement_version')
