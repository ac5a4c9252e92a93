"""ledger: risk screenings, ledger items, evidence, history, lay-off plans

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa
import app.db


revision = '0005'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('layoff_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('layoff_on', sa.Date(), nullable=False),
    sa.Column('workers_affected', sa.Integer(), nullable=False),
    sa.Column('workforce', sa.Integer(), nullable=True),
    sa.Column('union_told_on', sa.Date(), nullable=True),
    sa.Column('reported_on', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_layoff_plan_created_by_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['organisation.id'], name=op.f('fk_layoff_plan_enterprise_id_organisation'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_layoff_plan'))
    )
    with op.batch_alter_table('layoff_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_layoff_plan_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('risk_screening',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('screened_on', sa.Date(), nullable=False),
    sa.Column('indicators', sa.JSON(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('grade', sa.String(length=10), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_risk_screening_created_by_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['organisation.id'], name=op.f('fk_risk_screening_enterprise_id_organisation'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_screening'))
    )
    with op.batch_alter_table('risk_screening', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_screening_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('ledger_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('source', sa.Enum('manual', 'screening', 'agreement', name='source', native_enum=False, length=20), nullable=False),
    sa.Column('screening_id', sa.Integer(), nullable=True),
    sa.Column('negotiation_id', sa.Integer(), nullable=True),
    sa.Column('standard_key', sa.String(length=80), nullable=True),
    sa.Column('responsible', sa.String(length=100), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('open', 'in_progress', 'closed', name='itemstatus', native_enum=False, length=20), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_ledger_item_created_by_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['organisation.id'], name=op.f('fk_ledger_item_enterprise_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['negotiation_id'], ['negotiation.id'], name=op.f('fk_ledger_item_negotiation_id_negotiation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['screening_id'], ['risk_screening.id'], name=op.f('fk_ledger_item_screening_id_risk_screening'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_item'))
    )
    with op.batch_alter_table('ledger_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_item_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_item_negotiation_id'), ['negotiation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_item_screening_id'), ['screening_id'], unique=False)
        batch_op.create_index('ix_ledger_item_status_deadline', ['status', 'deadline'], unique=False)

    op.create_table('ledger_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=True),
    sa.Column('content_type', sa.String(length=100), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['user_account.id'], name=op.f('fk_ledger_evidence_added_by_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['item_id'], ['ledger_item.id'], name=op.f('fk_ledger_evidence_item_id_ledger_item'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_evidence'))
    )
    with op.batch_alter_table('ledger_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_evidence_item_id'), ['item_id'], unique=False)

    op.create_table('ledger_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_ledger_history_actor_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['item_id'], ['ledger_item.id'], name=op.f('fk_ledger_history_item_id_ledger_item'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_history'))
    )
    with op.batch_alter_table('ledger_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_history_item_id'), ['item_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ledger_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_history_item_id'))

    op.drop_table('ledger_history')
    with op.batch_alter_table('ledger_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_evidence_item_id'))

    op.drop_table('ledger_evidence')
    with op.batch_alter_table('ledger_item', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_item_status_deadline')
        batch_op.drop_index(batch_op.f('ix_ledger_item_screening_id'))
        batch_op.drop_index(batch_op.f('ix_ledger_item_negotiation_id'))
        batch_op.drop_index(batch_op.f('ix_ledger_item_enterprise_id'))

    op.drop_table('ledger_item')
    with op.batch_alter_table('risk_screening', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_screening_enterprise_id'))

    op.drop_table('risk_screening')
    with op.batch_alter_table('layoff_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_layoff_plan_enterprise_id'))

    op.drop_table('layoff_plan')
