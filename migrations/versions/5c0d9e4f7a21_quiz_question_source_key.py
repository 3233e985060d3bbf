"""Quiz questions keep their quiz.toml id (source_key), a unit for numeric answers, and
retired_at, so that a newer package version updates questions in place.

Revision ID: 5c0d9e4f7a21
Revises: 9db716eace75
Create Date: 2026-11-29 03:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c0d9e4f7a21'
down_revision = '9db716eace75'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz_question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_key', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('unit', sa.String(length=40), nullable=True))
    # Questions written before keys existed get one from their place, unique per quiz.
    op.execute("UPDATE quiz_question SET source_key = 'q-' || CAST(position AS VARCHAR(12))")
    with op.batch_alter_table('quiz_question', schema=None) as batch_op:
        batch_op.alter_column('source_key', existing_type=sa.String(length=40), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f('uq_quiz_question_quiz_id_source_key'), ['quiz_id', 'source_key'])
        batch_op.create_check_constraint(
            batch_op.f('ck_quiz_question_retired_parked'),
            '(retired_at IS NULL) = (position > 0)')


def downgrade():
    # Retired questions have no place among the others once the column is gone.
    op.execute("DELETE FROM quiz_question WHERE retired_at IS NOT NULL")
    with op.batch_alter_table('quiz_question', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_quiz_question_retired_parked'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_quiz_question_quiz_id_source_key'),
                                 type_='unique')
        batch_op.drop_column('unit')
        batch_op.drop_column('retired_at')
        batch_op.drop_column('source_key')
