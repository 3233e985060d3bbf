"""Enrolment reasons and reminders: why an enrolment was declined or cancelled, when its
reminder was queued, why a whole offering was cancelled, and whether an offering is open
to the partner organisations.

Revision ID: 59b7112daa79
Revises: a872e93b04ee
Create Date: 2026-11-28 01:54:34.851150

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '59b7112daa79'
down_revision = 'a872e93b04ee'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('offering', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('open_to_partners', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('offering', schema=None) as batch_op:
        batch_op.drop_column('open_to_partners')
        batch_op.drop_column('cancel_reason')

    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('reason')
