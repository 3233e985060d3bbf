"""Course packages (uid, publisher, sharing scope) and their immutable versions; the package
parts of a course (mandatory_for, quiz and programme TOML), course attachments, editors'
drafts; and at most one course per organisation and package.

Revision ID: 32e210b16d94
Revises: c41f7a2d9e83
Create Date: 2026-11-28 02:10:34.369026

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '32e210b16d94'
down_revision = 'c41f7a2d9e83'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('package',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=120), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('publisher_organisation_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.Enum('own', 'partners', 'public', name='sharing_scope', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('licence', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('forked_from_uid', sa.String(length=120), nullable=True),
    sa.Column('forked_from_version', sa.String(length=40), nullable=True),
    sa.Column('forked_from_publisher', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['publisher_organisation_id'], ['organisation.id'], name=op.f('fk_package_publisher_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package')),
    sa.UniqueConstraint('uid', name=op.f('uq_package_uid'))
    )
    with op.batch_alter_table('package', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_package_publisher_organisation_id'), ['publisher_organisation_id'], unique=False)

    op.create_table('course_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.CheckConstraint('size > 0', name=op.f('ck_course_attachment_size_positive')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_attachment_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_attachment')),
    sa.UniqueConstraint('course_id', 'name', name=op.f('uq_course_attachment_course_id_name'))
    )
    with op.batch_alter_table('course_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_attachment_course_id'), ['course_id'], unique=False)

    op.create_table('course_content',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('mandatory_for', sa.JSON(), nullable=False),
    sa.Column('quiz_toml', sa.Text(), nullable=True),
    sa.Column('program_toml', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_content_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('course_id', name=op.f('pk_course_content'))
    )
    op.create_table('package_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('base_version', sa.String(length=40), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('changed', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('revision >= 1', name=op.f('ck_package_draft_revision_positive')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_package_draft_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_package_draft_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_draft')),
    sa.UniqueConstraint('course_id', name=op.f('uq_package_draft_course_id'))
    )
    op.create_table('package_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('major', sa.Integer(), nullable=False),
    sa.Column('minor', sa.Integer(), nullable=False),
    sa.Column('patch', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('licence', sa.String(length=40), nullable=False),
    sa.Column('change_note', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('module_count', sa.Integer(), nullable=False),
    sa.Column('question_count', sa.Integer(), nullable=False),
    sa.Column('outline', sa.JSON(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('major >= 0 AND minor >= 0 AND patch >= 0', name=op.f('ck_package_version_semver_parts')),
    sa.CheckConstraint('size > 0', name=op.f('ck_package_version_size_positive')),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], name=op.f('fk_package_version_package_id_package'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['received_by_id'], ['user_account.id'], name=op.f('fk_package_version_received_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_version')),
    sa.UniqueConstraint('package_id', 'major', 'minor', 'patch', name='uq_package_version_semver'),
    sa.UniqueConstraint('package_id', 'version', name=op.f('uq_package_version_package_id_version'))
    )
    with op.batch_alter_table('package_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_package_version_package_id'), ['package_id'], unique=False)

    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.create_index('uq_course_organisation_package', ['organisation_id', 'source_package_uid'], unique=True)



def downgrade():
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_index('uq_course_organisation_package')

    with op.batch_alter_table('package_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_package_version_package_id'))

    op.drop_table('package_version')
    op.drop_table('package_draft')
    op.drop_table('course_content')
    with op.batch_alter_table('course_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_attachment_course_id'))

    op.drop_table('course_attachment')
    with op.batch_alter_table('package', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_package_publisher_organisation_id'))

    op.drop_table('package')
