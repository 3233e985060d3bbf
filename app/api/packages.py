"""``/api/v1/packages``: the shared catalogue visible to the caller, version downloads, and
uploading a package zip (editors).

``POST`` takes a multipart form with the zip in the field ``file`` (and optionally
``scope``: own, partners or public). A package uid belongs to the organisation that first
published it; another organisation's upload of it is refused with 403. An invalid package
gives 422 with every problem; a zip over the size limit gives 413.
"""

from __future__ import annotations

import io

import sqlalchemy as sa
from flask import current_app, g, request, send_file, url_for
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy.orm import joinedload, selectinload

from app.api.paging import PageArgsSchema, first_item, pagination_headers
from app.api.schemas import ApiErrorSchema
from app.errors import error_response
from app.extensions import db
from app.orm import utcnow
from app.security import permission
from app.sharing import services
from app.sharing.archive import MB
from app.sharing.models import Package, PackageVersion, SharingScope
from app.sharing.problems import PackageError
from app.sharing.storage import current_store

blp = Blueprint("api_packages", __name__, url_prefix="/packages",
                description="Course packages in the kurs/1 format")

#: Largest package zip the API and the upload page take (compressed); KURS_PACKAGE_MAX_BYTES.
DEFAULT_MAX_BYTES = 50 * MB


class PublisherSchema(Schema):
    slug = fields.String()
    name = fields.String()


class PackageSchema(Schema):
    uid = fields.String()
    slug = fields.String()
    title = fields.String()
    publisher = fields.Nested(PublisherSchema)
    scope = fields.String(metadata={"description": "own, partners or public"})
    licence = fields.String()
    language = fields.String()
    version = fields.Function(lambda p: p.latest.version,
                              metadata={"description": "the latest version"})
    updated = fields.Function(lambda p: (p.latest.published_on or p.latest.received_at.date())
                              .isoformat())
    versions = fields.Function(lambda p: [v.version for v in p.versions])
    download = fields.Function(lambda p: url_for("api_packages.download", uid=p.uid,
                                                 version=p.latest.version, _external=True))


class ReceivedSchema(Schema):
    uid = fields.String(attribute="package.uid")
    version = fields.String(attribute="version.version")
    title = fields.String(attribute="version.title")
    scope = fields.String(attribute="package.scope")
    licence = fields.String(attribute="version.licence")
    sha256 = fields.String(attribute="version.sha256")
    size = fields.Integer(attribute="version.size")
    new_version = fields.Boolean(metadata={"description": "false: exactly this version was "
                                                          "known already"})
    course = fields.String(attribute="course.slug", metadata={"description": "the course of "
                                                                             "the caller's "
                                                                             "organisation"})
    course_action = fields.String(metadata={"description": "created, updated or unchanged"})


@blp.route("", methods=["GET"])
@permission("sharing.catalogue")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, PackageSchema(many=True))
@blp.alt_response(401, schema=ApiErrorSchema, description="No or an invalid token")
@blp.alt_response(403, schema=ApiErrorSchema, description="The caller is no editor")
@blp.alt_response(422, schema=ApiErrorSchema, description="page or per_page is not valid")
def list_packages(args):
    """Packages the caller's organisation may see: its own, those shared with partners or
    publicly, and those it has imported; each with its latest version. Editors only, like
    the partner catalogue at /deling (anyone may fetch public packages at /deling/apen)."""
    condition = sa.and_(services.visible_condition(g.api_user.organisation_id),
                        sa.exists().where(PackageVersion.package_id == Package.id))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Package).where(condition))
    packages = list(db.session.scalars(
        sa.select(Package).options(joinedload(Package.publisher),
                                   selectinload(Package.versions))
        .where(condition).order_by(Package.title, Package.id)
        .offset(first_item(args)).limit(args["per_page"])))
    return packages, 200, pagination_headers(total, args)


@blp.route("/<uid>/<version>.zip", methods=["GET"])
@permission("sharing.catalogue")
@blp.alt_response(200, description="The package as a zip (application/zip)")
@blp.alt_response(403, schema=ApiErrorSchema, description="The caller is no editor")
@blp.alt_response(404, schema=ApiErrorSchema, description="No such version visible to you")
def download(uid: str, version: str):
    """One version of a package visible to the caller's organisation, as the canonical zip
    (editors only, like /deling)."""
    found = services.visible_version(db.session, uid=uid, version=version,
                                     organisation_id=g.api_user.organisation_id)
    return send_file(io.BytesIO(current_store().read(found.storage_key)),
                     mimetype="application/zip", as_attachment=True,
                     download_name=f"{found.package.slug}-{found.version}.zip")


@blp.route("", methods=["POST"])
@permission("sharing.publish")
@blp.response(201, ReceivedSchema)
@blp.alt_response(403, schema=ApiErrorSchema, description="The uid belongs to another "
                                                          "organisation")
@blp.alt_response(409, schema=ApiErrorSchema, description="That version exists with other "
                                                          "content, or is older")
@blp.alt_response(413, schema=ApiErrorSchema, description="The zip is too large")
@blp.alt_response(422, schema=ApiErrorSchema, description="The package is not valid")
def upload():
    """Publish an own package, or import one from an organisation that does not use this
    platform (multipart form: ``file``, optional ``scope``)."""
    limit = current_app.config.get("KURS_PACKAGE_MAX_BYTES", DEFAULT_MAX_BYTES)
    if (request.content_length or 0) > limit + 64 * 1024:
        return error_response(413, "package_too_large",
                              _("Pakken er større enn %(max)s MB.", max=limit // MB))
    upload_file = request.files.get("file")
    if upload_file is None:
        return error_response(422, "file_missing", _("Send zip-filen i feltet «file»."))
    data = upload_file.read(limit + 1)
    if len(data) > limit:
        return error_response(413, "package_too_large",
                              _("Pakken er større enn %(max)s MB.", max=limit // MB))
    scope = request.form.get("scope")
    if scope is not None and scope not in {s.value for s in SharingScope}:
        return error_response(422, "invalid_scope", _("scope skal være own, partners eller "
                                                      "public."))
    try:
        received = services.upload_package(db.session, actor=g.api_user, data=data,
                                           store=current_store(), now=utcnow(),
                                           scope=SharingScope(scope) if scope else None)
    except PackageError as error:
        db.session.rollback()
        return error_response(422, "invalid_package", _("Pakken er ikke gyldig."),
                              errors={"package": error.texts(_)})
    db.session.commit()
    return received
