"""Seminar registration questions (diet, accessibility, free text) and the answers, which
are deleted a set number of days after the seminar.

Revision ID: a00c013508d3
Revises: 0f260e7fef0a
Create Date: 2026-11-28 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a00c013508d3'
down_revision = '0f260e7fef0a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('registration_questions',
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('ask_diet', sa.Boolean(), nullable=False),
    sa.Column('ask_accessibility', sa.Boolean(), nullable=False),
    sa.Column('free_text_label', sa.String(length=200), nullable=True),
    sa.Column('retention_days', sa.Integer(), nullable=False),
    sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('retention_days >= 0 AND retention_days <= 365', name=op.f('ck_registration_questions_retention_days_range')),
    sa.ForeignKeyConstraint(['offering_id'], ['offering.id'], name=op.f('fk_registration_questions_offering_id_offering'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('offering_id', name=op.f('pk_registration_questions'))
    )
    op.create_table('registration_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('diet', sa.Text(), nullable=True),
    sa.Column('accessibility', sa.Text(), nullable=True),
    sa.Column('free_text', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['offering_id'], ['offering.id'], name=op.f('fk_registration_answer_offering_id_offering'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_registration_answer_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_answer')),
    sa.UniqueConstraint('offering_id', 'user_id', name=op.f('uq_registration_answer_offering_id_user_id'))
    )
    with op.batch_alter_table('registration_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_answer_offering_id'), ['offering_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_answer_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('registration_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_answer_user_id'))
        batch_op.drop_index(batch_op.f('ix_registration_answer_offering_id'))

    op.drop_table('registration_answer')
    op.drop_table('registration_questions')
