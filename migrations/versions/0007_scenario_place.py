"""Scenarios: a place (province, tier) and a date for the minimum wage (issue 15, decision 3)

Existing scenarios keep their figures: they get Henan (河南, the registry's short name), the tier whose 2024-01-01 hourly minimum
they hold (tier 1 if none), and the date their stored standard took effect.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 20:00:00
"""
import datetime as dt
import json

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# Henan 2024-01-01 (豫政〔2023〕43号): hourly minimum by tier, as the scenarios stored it.
_TIERS_2024 = {20.6: "1", 19.6: "2", 17.6: "3"}
_FIRST = dt.date(2024, 1, 1)
_NEXT = dt.date(2025, 12, 1)


def _place(data) -> tuple[str, dt.date]:
    if isinstance(data, str):
        data = json.loads(data)
    th = (data or {}).get("thresholds") or {}
    try:
        on = dt.date.fromisoformat(str(th.get("valid_from", "")))
    except ValueError:
        on = _FIRST
    # A date inside the 2024 standard's period keeps the 2024 figures the scenario holds.
    on = min(max(on, _FIRST), _NEXT - dt.timedelta(days=1))
    tier = _TIERS_2024.get(round(float(th.get("hourly_minimum_wage", 20.6) or 20.6), 2), "1")
    return tier, on


def upgrade() -> None:
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.add_column(sa.Column('province', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('tier', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('as_of', sa.Date(), nullable=True))
    conn = op.get_bind()
    table = sa.table('scenario', sa.column('id', sa.Integer), sa.column('data', sa.JSON),
                     sa.column('province', sa.String), sa.column('tier', sa.String),
                     sa.column('as_of', sa.Date))
    for ident, data in conn.execute(sa.select(table.c.id, table.c.data)).all():
        tier, on = _place(data)
        conn.execute(table.update().where(table.c.id == ident)
                     .values(province="河南", tier=tier, as_of=on))
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.alter_column('province', existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column('tier', existing_type=sa.String(length=10), nullable=False)
        batch_op.alter_column('as_of', existing_type=sa.Date(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.drop_column('as_of')
        batch_op.drop_column('tier')
        batch_op.drop_column('province')
