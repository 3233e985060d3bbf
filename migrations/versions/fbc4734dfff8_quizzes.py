"""Quizzes: quiz (one per course), its questions and choices, attempts and answers.

Revision ID: fbc4734dfff8
Revises: 32e210b16d94
Create Date: 2026-11-28 01:52:37.885281

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fbc4734dfff8'
down_revision = '32e210b16d94'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quiz',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('pass_percent', sa.Integer(), nullable=False),
    sa.Column('attempts_allowed', sa.Integer(), nullable=True),
    sa.Column('time_limit_minutes', sa.Integer(), nullable=True),
    sa.Column('shuffle_questions', sa.Boolean(), nullable=False),
    sa.Column('shuffle_choices', sa.Boolean(), nullable=False),
    sa.Column('draw_count', sa.Integer(), nullable=True),
    sa.Column('show_answers', sa.Boolean(), nullable=False),
    sa.Column('paging', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('attempts_allowed IS NULL OR attempts_allowed > 0', name=op.f('ck_quiz_attempts_positive')),
    sa.CheckConstraint('draw_count IS NULL OR draw_count > 0', name=op.f('ck_quiz_draw_positive')),
    sa.CheckConstraint('pass_percent >= 0 AND pass_percent <= 100', name=op.f('ck_quiz_pass_percent_range')),
    sa.CheckConstraint('time_limit_minutes IS NULL OR time_limit_minutes > 0', name=op.f('ck_quiz_time_limit_positive')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_quiz_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz')),
    sa.UniqueConstraint('course_id', name=op.f('uq_quiz_course_id'))
    )
    op.create_table('quiz_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('in_progress', 'graded', name='attempt_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('question_ids', sa.JSON(), nullable=False),
    sa.Column('choice_order', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('graded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('max_score', sa.Float(), nullable=True),
    sa.Column('percent', sa.Float(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('timed_out', sa.Boolean(), nullable=False),
    sa.CheckConstraint("(status = 'graded') = (graded_at IS NOT NULL)", name=op.f('ck_quiz_attempt_graded_consistent')),
    sa.CheckConstraint('number > 0', name=op.f('ck_quiz_attempt_number_positive')),
    sa.CheckConstraint('percent IS NULL OR (percent >= 0 AND percent <= 100)', name=op.f('ck_quiz_attempt_percent_range')),
    sa.CheckConstraint('sequence > 0', name=op.f('ck_quiz_attempt_sequence_positive')),
    sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name=op.f('fk_quiz_attempt_quiz_id_quiz'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_quiz_attempt_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_attempt')),
    sa.UniqueConstraint('quiz_id', 'user_id', 'number', name=op.f('uq_quiz_attempt_quiz_id_user_id_number'))
    )
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_attempt_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_quiz_attempt_open', ['quiz_id', 'user_id'], unique=True, sqlite_where=sa.text("status = 'in_progress'"), postgresql_where=sa.text("status = 'in_progress'"))

    op.create_table('quiz_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('single', 'multiple', 'true_false', 'numeric', 'short_text', 'ordering', name='question_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('prompt', sa.Text(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('partial_credit', sa.Boolean(), nullable=False),
    sa.Column('correct_true', sa.Boolean(), nullable=True),
    sa.Column('numeric_answer', sa.Float(), nullable=True),
    sa.Column('tolerance', sa.Float(), nullable=True),
    sa.Column('accepted_answers', sa.JSON(), nullable=True),
    sa.CheckConstraint('points > 0', name=op.f('ck_quiz_question_points_positive')),
    sa.CheckConstraint('tolerance IS NULL OR tolerance >= 0', name=op.f('ck_quiz_question_tolerance_not_negative')),
    sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name=op.f('fk_quiz_question_quiz_id_quiz'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_question')),
    sa.UniqueConstraint('quiz_id', 'position', name=op.f('uq_quiz_question_quiz_id_position'))
    )
    with op.batch_alter_table('quiz_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_question_quiz_id'), ['quiz_id'], unique=False)

    op.create_table('quiz_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON(), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('points', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['quiz_attempt.id'], name=op.f('fk_quiz_answer_attempt_id_quiz_attempt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['quiz_question.id'], name=op.f('fk_quiz_answer_question_id_quiz_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_answer')),
    sa.UniqueConstraint('attempt_id', 'question_id', name=op.f('uq_quiz_answer_attempt_id_question_id'))
    )
    with op.batch_alter_table('quiz_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_answer_attempt_id'), ['attempt_id'], unique=False)

    op.create_table('quiz_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('correct', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['quiz_question.id'], name=op.f('fk_quiz_choice_question_id_quiz_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_choice')),
    sa.UniqueConstraint('question_id', 'position', name=op.f('uq_quiz_choice_question_id_position'))
    )
    with op.batch_alter_table('quiz_choice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_choice_question_id'), ['question_id'], unique=False)



def downgrade():
    with op.batch_alter_table('quiz_choice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_choice_question_id'))

    op.drop_table('quiz_choice')
    with op.batch_alter_table('quiz_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_answer_attempt_id'))

    op.drop_table('quiz_answer')
    with op.batch_alter_table('quiz_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_question_quiz_id'))

    op.drop_table('quiz_question')
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.drop_index('uq_quiz_attempt_open', sqlite_where=sa.text("status = 'in_progress'"), postgresql_where=sa.text("status = 'in_progress'"))
        batch_op.drop_index(batch_op.f('ix_quiz_attempt_user_id'))

    op.drop_table('quiz_attempt')
    op.drop_table('quiz')
