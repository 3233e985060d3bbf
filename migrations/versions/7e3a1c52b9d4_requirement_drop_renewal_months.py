"""Drop requirement.renewal_months: a requirement is renewed when the course's completion
expires (``Course.validity_months`` → ``Completion.expires_at``), the rule the reports,
the catalogue and the home page already follow. The column was never read or set.

Revision ID: 7e3a1c52b9d4
Revises: 5c0d9e4f7a21
Create Date: 2026-11-29 07:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e3a1c52b9d4'
down_revision = '5c0d9e4f7a21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('requirement', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_requirement_renewal_positive'), type_='check')
        batch_op.drop_column('renewal_months')


def downgrade():
    with op.batch_alter_table('requirement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('renewal_months', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_requirement_renewal_positive'),
                                         'renewal_months IS NULL OR renewal_months > 0')
