"""library of typical agreements: publications of signed agreements with both sides' consent

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa
import app.db


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agreement_publication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('province', sa.String(length=50), nullable=False),
    sa.Column('city', sa.String(length=50), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('anonymised', sa.Boolean(), nullable=False),
    sa.Column('worker_consent_by_id', sa.Integer(), nullable=True),
    sa.Column('worker_consent_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('employer_consent_by_id', sa.Integer(), nullable=True),
    sa.Column('employer_consent_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('content', sa.JSON(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_agreement_publication_agreement_id_agreement'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['worker_consent_by_id'], ['user_account.id'], name=op.f('fk_agreement_publication_worker_consent_by_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['employer_consent_by_id'], ['user_account.id'], name=op.f('fk_agreement_publication_employer_consent_by_id_user_account'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_publication')),
    sa.UniqueConstraint('agreement_id', name=op.f('uq_agreement_publication_agreement_id'))
    )
    op.create_index(op.f('ix_agreement_publication_province'), 'agreement_publication', ['province'], unique=False)
    op.create_index(op.f('ix_agreement_publication_sector'), 'agreement_publication', ['sector'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_agreement_publication_sector'), table_name='agreement_publication')
    op.drop_index(op.f('ix_agreement_publication_province'), table_name='agreement_publication')
    op.drop_table('agreement_publication')
