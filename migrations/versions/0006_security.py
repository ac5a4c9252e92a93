"""Security: a session generation per user; login attempts indexed by time for pruning (issue 13)

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-03 20:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing users start at generation 0; sessions made before the upgrade carry none and
    # are asked to log in again.
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('session_generation', sa.Integer(), nullable=False,
                                   server_default='0'))
    op.create_index('ix_login_attempt_at', 'login_attempt', ['at'])


def downgrade() -> None:
    op.drop_index('ix_login_attempt_at', table_name='login_attempt')
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('session_generation')
