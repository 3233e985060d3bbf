"""``/api/v1/certificates/{code}``: public verification, the PDF, the signed credential."""

from __future__ import annotations

from flask import Response, abort, current_app, g
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.api.schemas import ApiErrorSchema
from app.certificates import queries
from app.certificates.credentials import (
    MEDIA_TYPE,
    NoSigningKey,
    revocation_list,
    sign_credential,
)
from app.certificates.settings import from_config
from app.certificates.texts import local_date
from app.certificates.views import pdf_response
from app.errors import DomainError
from app.extensions import db
from app.orm import utcnow
from app.security import AUTHENTICATED, PUBLIC, permission

blp = Blueprint("api_certificates", __name__, url_prefix="/certificates",
                description="Certificates: public verification and signed credentials")


class CertificateStatusSchema(Schema):
    """Only what the public verification page shows."""

    code = fields.String()
    name = fields.String(metadata={"description": "the person's name as printed"})
    course = fields.String()
    issued_on = fields.Date()
    completed_on = fields.Date(metadata={"description": "the date printed on the certificate: "
                                                        "when the course was completed"})
    issuer = fields.String()
    status = fields.String(metadata={"description": "valid, expired or revoked"})
    expires_on = fields.Date(allow_none=True)
    revoked_on = fields.Date(allow_none=True)


def _certificate(code: str):
    cert = queries.certificate_by_code(db.session, code)
    if cert is None:
        abort(404)
    return cert


@blp.route("/<code>")
@permission(PUBLIC)
@blp.response(200, CertificateStatusSchema)
@blp.alt_response(404, schema=ApiErrorSchema, description="No certificate with this code")
def show(code: str):
    """Verify a certificate (no token needed): name, course, date, issuer and status."""
    cert = _certificate(code)
    return {
        "code": cert.code, "name": cert.person_name, "course": cert.course_title,
        "issued_on": local_date(cert.issued_at), "completed_on": local_date(cert.dated),
        "issuer": cert.issuer_name,
        "status": queries.certificate_status(cert, utcnow()),
        "expires_on": local_date(cert.expires_at), "revoked_on": local_date(cert.revoked_at),
    }


@blp.route("/<code>/pdf")
@permission(AUTHENTICATED)
@blp.response(200, content_type="application/pdf",
              description="The frozen PDF (the owner, or an organiser of the course)")
@blp.alt_response(404, schema=ApiErrorSchema, description="Not found or not yours")
def pdf(code: str):
    """The certificate as issued (the PDF never changes after issue)."""
    cert = _certificate(code)
    if not queries.may_download(g.api_user, cert):
        abort(404)
    return pdf_response(cert)


@blp.route("/<code>/credential")
@permission(PUBLIC)
@blp.response(200, content_type=MEDIA_TYPE,
              description="An Open Badges 3.0 credential as a compact JWT (EdDSA); the "
                          "keys are at /.well-known/jwks.json")
@blp.alt_response(404, schema=ApiErrorSchema, description="No certificate with this code")
def credential(code: str):
    """The signed Open Badges 3.0 credential of a certificate."""
    cert = _certificate(code)
    try:
        token = sign_credential(db.session, cert, from_config(current_app.config))
    except NoSigningKey:
        raise DomainError("no_signing_key", _l("Ingen signeringsnøkkel er laget ennå."),
                          status=503) from None
    return Response(token, mimetype=MEDIA_TYPE)


@blp.route("/<code>/status")
@permission(PUBLIC)
@blp.response(200, description="1EdTech revocation list for this one credential")
@blp.alt_response(404, schema=ApiErrorSchema, description="No certificate with this code")
def status(code: str):
    """The credential status entry's target: lists the credential when it is revoked."""
    return revocation_list(_certificate(code), from_config(current_app.config))
