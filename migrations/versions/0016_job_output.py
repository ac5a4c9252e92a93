"""jobs: a file result (the regional report's PDF, a negotiation's documents as ZIP) stored with
the job, so every web host can serve it; an uploaded file a job reads (calibration of a large
file), kept until the job ends

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('output', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('upload', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_column('upload')
        batch_op.drop_column('output')
