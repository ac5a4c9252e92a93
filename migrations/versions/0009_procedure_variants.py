"""Procedure variants: a negotiation's rule set and version; paid representatives (issue 18)

Existing negotiations become ``national`` (the 2004 enterprise collective contract they
followed), version 1.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('negotiation') as batch:
        batch.add_column(sa.Column('variant', sa.String(length=30), nullable=False,
                                   server_default='national'))
        batch.add_column(sa.Column('variant_version', sa.Integer(), nullable=False,
                                   server_default='1'))
        batch.add_column(sa.Column('representatives_paid', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('negotiation') as batch:
        batch.drop_column('representatives_paid')
        batch.drop_column('variant_version')
        batch.drop_column('variant')
