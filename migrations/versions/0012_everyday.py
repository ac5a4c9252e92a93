"""everyday use: user settings (calendar feed, notifications, guide) and the sent-notification log

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa
import app.db


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('user_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('calendar_token_hash', sa.String(length=64), nullable=True),
    sa.Column('calendar_token_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('notify_offers', sa.Boolean(), nullable=False),
    sa.Column('notify_deadlines', sa.Boolean(), nullable=False),
    sa.Column('notify_comments', sa.Boolean(), nullable=False),
    sa.Column('notify_since', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('guide_dismissed_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_settings_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user_settings')),
    sa.UniqueConstraint('calendar_token_hash', name=op.f('uq_user_settings_calendar_token_hash'))
    )
    op.create_table('notification_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('event_key', sa.String(length=200), nullable=False),
    sa.Column('sent_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notification_sent_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_sent')),
    sa.UniqueConstraint('user_id', 'event_key', name='uq_notification_sent_user_event')
    )


def downgrade() -> None:
    op.drop_table('notification_sent')
    op.drop_table('user_settings')
