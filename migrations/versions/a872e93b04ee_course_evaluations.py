"""Course evaluations: the answers (first and follow-up, one per enrolment and kind), the
requests that ask for them, and a course's own extra questions (at most three active).

Revision ID: a872e93b04ee
Revises: f29af861e5b2
Create Date: 2026-11-28 01:58:26.118878

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a872e93b04ee'
down_revision = 'f29af861e5b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evaluation_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.Enum('scale', 'text', name='question_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('position BETWEEN 1 AND 3', name=op.f('ck_evaluation_question_position_range')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_evaluation_question_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_evaluation_question_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_question'))
    )
    with op.batch_alter_table('evaluation_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_question_course_id'), ['course_id'], unique=False)
        batch_op.create_index('uq_evaluation_question_active_position', ['course_id', 'position'], unique=True, sqlite_where=sa.text('active'), postgresql_where=sa.text('active'))

    op.create_table('evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=True),
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('first', 'follow_up', name='evaluation_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('relevance', sa.SmallInteger(), nullable=True),
    sa.Column('usefulness', sa.SmallInteger(), nullable=True),
    sa.Column('teaching', sa.SmallInteger(), nullable=True),
    sa.Column('recommend', sa.SmallInteger(), nullable=True),
    sa.Column('follow_up', sa.Enum('yes', 'partly', 'no', name='follow_up_answer', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.CheckConstraint("(kind = 'first' AND relevance IS NOT NULL AND usefulness IS NOT NULL AND teaching IS NOT NULL AND recommend IS NOT NULL AND follow_up IS NULL) OR (kind = 'follow_up' AND follow_up IS NOT NULL AND relevance IS NULL AND usefulness IS NULL AND teaching IS NULL AND recommend IS NULL)", name=op.f('ck_evaluation_answers_fit_kind')),
    sa.CheckConstraint('recommend IS NULL OR recommend BETWEEN 0 AND 10', name=op.f('ck_evaluation_recommend_range')),
    sa.CheckConstraint('relevance IS NULL OR relevance BETWEEN 1 AND 5', name=op.f('ck_evaluation_relevance_range')),
    sa.CheckConstraint('teaching IS NULL OR teaching BETWEEN 1 AND 5', name=op.f('ck_evaluation_teaching_range')),
    sa.CheckConstraint('usefulness IS NULL OR usefulness BETWEEN 1 AND 5', name=op.f('ck_evaluation_usefulness_range')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_evaluation_enrolment_id_enrolment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['offering_id'], ['offering.id'], name=op.f('fk_evaluation_offering_id_offering'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation')),
    sa.UniqueConstraint('enrolment_id', 'kind', name=op.f('uq_evaluation_enrolment_id_kind'))
    )
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_offering_kind', ['offering_id', 'kind'], unique=False)

    op.create_table('evaluation_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('first', 'follow_up', name='evaluation_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminders_sent', sa.Integer(), nullable=False),
    sa.Column('last_reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_evaluation_request_closes_after_opening')),
    sa.CheckConstraint('reminders_sent >= 0', name=op.f('ck_evaluation_request_reminders_not_negative')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_evaluation_request_enrolment_id_enrolment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_request')),
    sa.UniqueConstraint('enrolment_id', 'kind', name=op.f('uq_evaluation_request_enrolment_id_kind'))
    )
    with op.batch_alter_table('evaluation_request', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_request_open', ['answered_at', 'closes_at'], unique=False)

    op.create_table('evaluation_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.SmallInteger(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.CheckConstraint('score IS NOT NULL OR text IS NOT NULL', name=op.f('ck_evaluation_answer_has_answer')),
    sa.CheckConstraint('score IS NULL OR score BETWEEN 1 AND 5', name=op.f('ck_evaluation_answer_score_range')),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], name=op.f('fk_evaluation_answer_evaluation_id_evaluation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['evaluation_question.id'], name=op.f('fk_evaluation_answer_question_id_evaluation_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_answer')),
    sa.UniqueConstraint('evaluation_id', 'question_id', name=op.f('uq_evaluation_answer_evaluation_id_question_id'))
    )
    with op.batch_alter_table('evaluation_answer', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_answer_question', ['question_id'], unique=False)



def downgrade():
    with op.batch_alter_table('evaluation_answer', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_answer_question')

    op.drop_table('evaluation_answer')
    with op.batch_alter_table('evaluation_request', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_request_open')

    op.drop_table('evaluation_request')
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_offering_kind')

    op.drop_table('evaluation')
    with op.batch_alter_table('evaluation_question', schema=None) as batch_op:
        batch_op.drop_index('uq_evaluation_question_active_position', sqlite_where=sa.text('active'), postgresql_where=sa.text('active'))
        batch_op.drop_index(batch_op.f('ix_evaluation_question_course_id'))

    op.drop_table('evaluation_question')
