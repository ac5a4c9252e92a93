"""scenarios: organisations' private scenarios and snapshots shared into negotiations

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa
import app.db


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('scenario',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('baseline_pay', sa.JSON(), nullable=False),
    sa.Column('baseline_label', sa.String(length=200), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=60), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_scenario_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_scenario_owner_id_user_account'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario'))
    )
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenario_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('scenario_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('negotiation_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('shared_by_id', sa.Integer(), nullable=False),
    sa.Column('source_scenario_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('baseline_pay', sa.JSON(), nullable=False),
    sa.Column('baseline_label', sa.String(length=200), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('results', sa.JSON(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['negotiation_id'], ['negotiation.id'], name=op.f('fk_scenario_snapshot_negotiation_id_negotiation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_scenario_snapshot_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['shared_by_id'], ['user_account.id'], name=op.f('fk_scenario_snapshot_shared_by_id_user_account'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_snapshot'))
    )
    with op.batch_alter_table('scenario_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenario_snapshot_negotiation_id'), ['negotiation_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('scenario_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scenario_snapshot_negotiation_id'))
    op.drop_table('scenario_snapshot')
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scenario_organisation_id'))
    op.drop_table('scenario')
