"""negotiations: negotiation, steps, representatives, offers, meetings, votes, filings, notes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa
import app.db


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('negotiation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('worker_org_id', sa.Integer(), nullable=False),
    sa.Column('employer_org_id', sa.Integer(), nullable=False),
    sa.Column('partner_org_id', sa.Integer(), nullable=True),
    sa.Column('mediator_org_id', sa.Integer(), nullable=True),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('province', sa.String(length=50), nullable=False),
    sa.Column('city', sa.String(length=50), nullable=False),
    sa.Column('workers_covered', sa.Text(), nullable=False),
    sa.Column('workers_count', sa.Integer(), nullable=False),
    sa.Column('current_rules', sa.JSON(), nullable=True),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_negotiation_created_by_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['employer_org_id'], ['organisation.id'], name=op.f('fk_negotiation_employer_org_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['mediator_org_id'], ['organisation.id'], name=op.f('fk_negotiation_mediator_org_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['partner_org_id'], ['organisation.id'], name=op.f('fk_negotiation_partner_org_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['worker_org_id'], ['organisation.id'], name=op.f('fk_negotiation_worker_org_id_organisation'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_negotiation'))
    )
    with op.batch_alter_table('negotiation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_negotiation_employer_org_id'), ['employer_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_negotiation_mediator_org_id'), ['mediator_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_negotiation_worker_org_id'), ['worker_org_id'], unique=False)

    op.create_table('negotiation_filing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('negotiation_id', sa.Integer(), nullable=False),
    sa.Column('authority', sa.String(length=200), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('objection_on', sa.Date(), nullable=True),
    sa.Column('objection_text', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['negotiation_id'], ['negotiation.id'], name=op.f('fk_negotiation_filing_negotiation_id_negotiation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_negotiation_filing_recorded_by_id_user_account'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_negotiation_filing'))
    )
    with op.batch_alter_table('negotiation_filing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_negotiation_filing_negotiation_id'), ['negotiation_id'], unique=False)

    op.create_table('negotiation_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('negotiation_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_negotiation_note_author_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['negotiation_id'], ['negotiation.id'], name=op.f('fk_negotiation_note_negotiation_id_negotiation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_negotiation_note_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_negotiation_note'))
    )
    with op.batch_alter_table('negotiation_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_negotiation_note_negotiation_id'), ['negotiation_id'], unique=False)

    op.create_table('negotiation_representative',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('negotiation_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('is_chief', sa.Boolean(), nullable=False),
    sa.Column('is_outside_expert', sa.Boolean(), nullable=False),
    sa.Column('person_id', sa.String(length=64), nullable=True),
    sa.Column('appointed_on', sa.Date(), nullable=False),
    sa.Column('vacated_on', sa.Date(), nullable=True),
    sa.Column('vacancy_reason', sa.String(length=200), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['negotiation_id'], ['negotiation.id'], name=op.f('fk_negotiation_representative_negotiation_id_negotiation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['replaces_id'], ['negotiation_representative.id'], name=op.f('fk_negotiation_representative_replaces_id_negotiation_representative'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_negotiation_representative'))
    )
    with op.batch_alter_table('negotiation_representative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_negotiation_representative_negotiation_id'), ['negotiation_id'], unique=False)

    op.create_table('negotiation_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('negotiation_id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=40), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['corrects_id'], ['negotiation_step.id'], name=op.f('fk_negotiation_step_corrects_id_negotiation_step'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['negotiation_id'], ['negotiation.id'], name=op.f('fk_negotiation_step_negotiation_id_negotiation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_negotiation_step_recorded_by_id_user_account'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_negotiation_step'))
    )
    with op.batch_alter_table('negotiation_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_negotiation_step_negotiation_id'), ['negotiation_id'], unique=False)

    op.create_table('negotiation_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('negotiation_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('chair_side', sa.String(length=10), nullable=False),
    sa.Column('chair_name', sa.String(length=100), nullable=False),
    sa.Column('minute_taker', sa.String(length=100), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('attendance', sa.Text(), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['negotiation_id'], ['negotiation.id'], name=op.f('fk_negotiation_meeting_negotiation_id_negotiation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_negotiation_meeting_recorded_by_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['step_id'], ['negotiation_step.id'], name=op.f('fk_negotiation_meeting_step_id_negotiation_step'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_negotiation_meeting'))
    )
    with op.batch_alter_table('negotiation_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_negotiation_meeting_negotiation_id'), ['negotiation_id'], unique=False)

    op.create_table('negotiation_offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('negotiation_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=10), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=True),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('step_id', sa.Integer(), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_negotiation_offer_created_by_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['negotiation_id'], ['negotiation.id'], name=op.f('fk_negotiation_offer_negotiation_id_negotiation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_negotiation_offer_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['step_id'], ['negotiation_step.id'], name=op.f('fk_negotiation_offer_step_id_negotiation_step'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_negotiation_offer'))
    )
    with op.batch_alter_table('negotiation_offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_negotiation_offer_negotiation_id'), ['negotiation_id'], unique=False)

    op.create_table('negotiation_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('negotiation_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('body', sa.String(length=20), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('present', sa.Integer(), nullable=False),
    sa.Column('in_favour', sa.Integer(), nullable=False),
    sa.Column('quorum', sa.Boolean(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['negotiation_id'], ['negotiation.id'], name=op.f('fk_negotiation_vote_negotiation_id_negotiation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_negotiation_vote_recorded_by_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['step_id'], ['negotiation_step.id'], name=op.f('fk_negotiation_vote_step_id_negotiation_step'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_negotiation_vote'))
    )
    with op.batch_alter_table('negotiation_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_negotiation_vote_negotiation_id'), ['negotiation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('negotiation_vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_negotiation_vote_negotiation_id'))

    op.drop_table('negotiation_vote')
    with op.batch_alter_table('negotiation_offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_negotiation_offer_negotiation_id'))

    op.drop_table('negotiation_offer')
    with op.batch_alter_table('negotiation_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_negotiation_meeting_negotiation_id'))

    op.drop_table('negotiation_meeting')
    with op.batch_alter_table('negotiation_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_negotiation_step_negotiation_id'))

    op.drop_table('negotiation_step')
    with op.batch_alter_table('negotiation_representative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_negotiation_representative_negotiation_id'))

    op.drop_table('negotiation_representative')
    with op.batch_alter_table('negotiation_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_negotiation_note_negotiation_id'))

    op.drop_table('negotiation_note')
    with op.batch_alter_table('negotiation_filing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_negotiation_filing_negotiation_id'))

    op.drop_table('negotiation_filing')
    with op.batch_alter_table('negotiation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_negotiation_worker_org_id'))
        batch_op.drop_index(batch_op.f('ix_negotiation_mediator_org_id'))
        batch_op.drop_index(batch_op.f('ix_negotiation_employer_org_id'))

    op.drop_table('negotiation')
