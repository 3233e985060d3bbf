"""Courses (modules, audiences, requirements, module reading), offerings with their
sessions, enrolments, and attendance with external participants.

Revision ID: 887aadd9786c
Revises: 299e7c1b7c62
Create Date: 2026-11-28 01:45:14.368222

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '887aadd9786c'
down_revision = '299e7c1b7c62'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.Enum('course', 'seminar', name='course_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'archived', name='course_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('validity_months', sa.Integer(), nullable=True),
    sa.Column('completion_requires_attendance', sa.Boolean(), nullable=False),
    sa.Column('completion_attendance_percent', sa.Integer(), nullable=True),
    sa.Column('completion_requires_quiz', sa.Boolean(), nullable=False),
    sa.Column('completion_requires_modules', sa.Boolean(), nullable=False),
    sa.Column('licence', sa.String(length=40), nullable=True),
    sa.Column('source_package_uid', sa.String(length=120), nullable=True),
    sa.Column('source_version', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('completion_attendance_percent IS NULL OR (completion_attendance_percent > 0 AND completion_attendance_percent <= 100)', name=op.f('ck_course_attendance_percent_range')),
    sa.CheckConstraint('validity_months IS NULL OR validity_months > 0', name=op.f('ck_course_validity_positive')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_course_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course')),
    sa.UniqueConstraint('slug', name=op.f('uq_course_slug'))
    )
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_source_package_uid'), ['source_package_uid'], unique=False)

    op.create_table('course_audience',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.Enum('toppleder', 'mellomleder', 'forstelinjeleder', 'project_leader', 'everyone', name='audience', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_audience_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('course_id', 'audience', name=op.f('pk_course_audience'))
    )
    op.create_table('module',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('estimated_minutes', sa.Integer(), nullable=True),
    sa.Column('source_name', sa.String(length=120), nullable=True),
    sa.CheckConstraint('estimated_minutes IS NULL OR estimated_minutes >= 0', name=op.f('ck_module_minutes_not_negative')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_module_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module')),
    sa.UniqueConstraint('course_id', 'position', name=op.f('uq_module_course_id_position'))
    )
    with op.batch_alter_table('module', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_module_course_id'), ['course_id'], unique=False)

    op.create_table('requirement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('group_kind', sa.Enum('leader_level', 'project_leader', 'unit', name='requirement_group', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('leader_level', sa.String(length=32), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('due_months', sa.Integer(), nullable=True),
    sa.Column('renewal_months', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(group_kind = 'leader_level' AND leader_level IS NOT NULL AND unit_id IS NULL) OR (group_kind = 'project_leader' AND leader_level IS NULL AND unit_id IS NULL) OR (group_kind = 'unit' AND unit_id IS NOT NULL AND leader_level IS NULL)", name=op.f('ck_requirement_group_consistent')),
    sa.CheckConstraint('due_months IS NULL OR due_months >= 0', name=op.f('ck_requirement_due_not_negative')),
    sa.CheckConstraint('renewal_months IS NULL OR renewal_months > 0', name=op.f('ck_requirement_renewal_positive')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_requirement_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_requirement_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_requirement_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requirement'))
    )
    with op.batch_alter_table('requirement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requirement_course_id'), ['course_id'], unique=False)
        batch_op.create_index('ix_requirement_org_course', ['organisation_id', 'course_id'], unique=False)

    op.create_table('module_read',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['module.id'], name=op.f('fk_module_read_module_id_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_module_read_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_read')),
    sa.UniqueConstraint('user_id', 'module_id', name=op.f('uq_module_read_user_id_module_id'))
    )
    with op.batch_alter_table('module_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_module_read_module_id'), ['module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_module_read_user_id'), ['user_id'], unique=False)

    op.create_table('offering',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'cancelled', name='offering_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('format', sa.Enum('in_person', 'online', 'hybrid', 'self_paced', name='offering_format', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('taken', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('enrol_opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('enrol_closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_deadline_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('requires_approval', sa.Boolean(), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 0', name=op.f('ck_offering_capacity_not_negative')),
    sa.CheckConstraint('capacity IS NULL OR taken <= capacity', name=op.f('ck_offering_taken_within_capacity')),
    sa.CheckConstraint('taken >= 0', name=op.f('ck_offering_taken_not_negative')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_offering_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_offering_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_offering_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offering'))
    )
    with op.batch_alter_table('offering', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offering_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offering_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offering_starts_at'), ['starts_at'], unique=False)

    op.create_table('course_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('room', sa.String(length=200), nullable=True),
    sa.Column('online_url', sa.String(length=500), nullable=True),
    sa.Column('speaker', sa.String(length=200), nullable=True),
    sa.Column('mandatory', sa.Boolean(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_course_session_ends_after_start')),
    sa.ForeignKeyConstraint(['offering_id'], ['offering.id'], name=op.f('fk_course_session_offering_id_offering'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_session'))
    )
    with op.batch_alter_table('course_session', schema=None) as batch_op:
        batch_op.create_index('ix_course_session_offering_start', ['offering_id', 'starts_at'], unique=False)

    op.create_table('enrolment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('requested', 'enrolled', 'waitlisted', 'declined', 'cancelled', 'no_show', name='enrolment_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('ics_sequence', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint('ics_sequence >= 0', name=op.f('ck_enrolment_sequence_not_negative')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_enrolment_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['offering_id'], ['offering.id'], name=op.f('fk_enrolment_offering_id_offering'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_enrolment_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment')),
    sa.UniqueConstraint('offering_id', 'user_id', name=op.f('uq_enrolment_offering_id_user_id'))
    )
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolment_user_id'), ['user_id'], unique=False)
        batch_op.create_index('ix_enrolment_waitlist', ['offering_id', 'status', 'requested_at', 'id'], unique=False)

    op.create_table('participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation_name', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_participant_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['offering_id'], ['offering.id'], name=op.f('fk_participant_offering_id_offering'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant'))
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_offering_id'), ['offering_id'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('present', 'late', 'excused', 'absent', name='attendance_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('method', sa.Enum('manual', 'bulk', 'qr', name='attendance_method', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('(user_id IS NULL) <> (participant_id IS NULL)', name=op.f('ck_attendance_one_kind_of_person')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_attendance_version_positive')),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_attendance_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_attendance_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['course_session.id'], name=op.f('fk_attendance_session_id_course_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_attendance_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('session_id', 'participant_id', name=op.f('uq_attendance_session_id_participant_id')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_attendance_session_id_user_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_user_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_session_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_offering_id'))

    op.drop_table('participant')
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_index('ix_enrolment_waitlist')
        batch_op.drop_index(batch_op.f('ix_enrolment_user_id'))

    op.drop_table('enrolment')
    with op.batch_alter_table('course_session', schema=None) as batch_op:
        batch_op.drop_index('ix_course_session_offering_start')

    op.drop_table('course_session')
    with op.batch_alter_table('offering', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offering_starts_at'))
        batch_op.drop_index(batch_op.f('ix_offering_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_offering_course_id'))

    op.drop_table('offering')
    with op.batch_alter_table('module_read', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_module_read_user_id'))
        batch_op.drop_index(batch_op.f('ix_module_read_module_id'))

    op.drop_table('module_read')
    with op.batch_alter_table('requirement', schema=None) as batch_op:
        batch_op.drop_index('ix_requirement_org_course')
        batch_op.drop_index(batch_op.f('ix_requirement_course_id'))

    op.drop_table('requirement')
    with op.batch_alter_table('module', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_module_course_id'))

    op.drop_table('module')
    op.drop_table('course_audience')
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_source_package_uid'))
        batch_op.drop_index(batch_op.f('ix_course_organisation_id'))

    op.drop_table('course')
