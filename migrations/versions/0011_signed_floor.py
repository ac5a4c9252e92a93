"""signed copies keep the minimum wage their floor clause cited

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('agreement_signed_copy') as batch_op:
        batch_op.add_column(sa.Column('floor', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('agreement_signed_copy') as batch_op:
        batch_op.drop_column('floor')
