"""A job's owner follows it and fetches its result; admins see the queue."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, render_template, send_file
from flask_login import current_user

from app.accounts.models import User
from app.accounts.scope import organisation_ids
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.security import AUTHENTICATED, permission

bp = Blueprint("jobs", __name__, template_folder="templates")


def _own_job(job_id: int) -> Job:
    job = db.session.scalar(
        sa.select(Job).where(Job.id == job_id, Job.created_by_id == current_user.id)
    )
    if job is None:
        abort(404)
    return job


@bp.route("/jobber/<int:job_id>")
@permission(AUTHENTICATED)
def show(job_id: int):
    return render_template("jobs/show.html", job=_own_job(job_id))


@bp.route("/jobber/<int:job_id>/resultat")
@permission(AUTHENTICATED)
def result(job_id: int):
    job = _own_job(job_id)
    if job.status != JobStatus.DONE or not job.result_path:
        abort(404)
    storage = Path(current_app.config["KURS_STORAGE_DIR"]).resolve()
    path = (storage / job.result_path).resolve()
    if not path.is_relative_to(storage) or not path.is_file():
        abort(404)
    return send_file(path, mimetype=job.result_mimetype, as_attachment=True,
                     download_name=job.result_name)


@bp.route("/admin/jobber")
@permission("admin.jobs")
def admin_index():
    orgs = organisation_ids(current_user, "admin")
    jobs = db.session.scalars(
        sa.select(Job)
        .where(
            sa.or_(
                Job.created_by_id.is_(None),
                Job.created_by_id.in_(sa.select(User.id).where(User.organisation_id.in_(orgs))),
            )
        )
        .order_by(Job.created_at.desc(), Job.id.desc())
        .limit(100)
    ).all()
    return render_template("jobs/admin_index.html", jobs=jobs)
