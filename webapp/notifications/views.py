"""Alerts: the victim's subscriptions and preferences; the service admin's view of failed alerts."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from webapp.auth.access import agent_required, victim_required
from webapp.extensions import db, limiter
from webapp.models import AgentRole, Complaint, Notification, NotificationStatus, utcnow
from webapp.notifications import subscriptions
from webapp.notifications.forms import PreferencesForm, RemoveDeviceForm, RetryForm
from webapp.notifications.vapid import VapidError, load_vapid, public_key

bp = Blueprint("notifications", __name__)


def vapid_public_key() -> str | None:
    """The key pages give to ``pushManager.subscribe``; None when push is not set up here."""
    if "vapid_public_key" not in current_app.extensions:
        try:
            current_app.extensions["vapid_public_key"] = public_key(load_vapid())
        except VapidError:
            return None
    return current_app.extensions["vapid_public_key"]


@bp.post("/notifications/abonnements")
@victim_required
@limiter.limit("20 per hour")
def subscribe():
    """Called by the page with the browser's PushSubscription (JSON, CSRF header)."""
    try:
        clean = subscriptions.validate(request.get_json(silent=True))
    except subscriptions.InvalidSubscription as refused:
        return {"error": refused.message}, 400
    subscription = subscriptions.subscribe(current_user, clean, auth_session_id=current_user.auth_session_id,
                                           user_agent=request.user_agent.string)
    return {"id": subscription.public_id, "device": subscription.device_label}, 201


@bp.route("/mes-alertes", methods=["GET", "POST"])
@victim_required
def preferences():
    victim = current_user
    form = PreferencesForm(obj=victim) if request.method == "GET" else PreferencesForm()
    status = 200
    if form.validate_on_submit():
        victim.push_enabled = form.push_enabled.data
        victim.email_enabled = form.email_enabled.data
        victim.notification_email = (form.notification_email.data or "").strip().lower()
        db.session.commit()
        flash("Vos choix d'alertes sont enregistrés.", "success")
        return redirect(url_for("notifications.preferences"))
    if form.is_submitted():
        status = 422
    return render_template("notifications/preferences.html", form=form, victim=victim,
                           devices=subscriptions.devices_of(victim), remove_form=RemoveDeviceForm(),
                           vapid_key=vapid_public_key()), status


@bp.post("/mes-alertes/appareils/<public_id>/retirer")
@victim_required
def remove_device(public_id: str):
    form = RemoveDeviceForm()
    if not form.validate_on_submit():
        abort(400)
    device = subscriptions.victim_device_or_none(current_user, public_id)
    if device is None:
        abort(404)
    label = device.device_label
    subscriptions.remove(device, "appareil retiré par la victime")
    db.session.commit()
    flash(f"{label} ne recevra plus d'alertes.", "success")
    return redirect(url_for("notifications.preferences"))


@bp.get("/agents/alertes")
@agent_required(roles=(AgentRole.SERVICE_ADMIN,))
def failed_alerts():
    """Alerts that could not be delivered after every retry, for the service's complaints."""
    page = db.paginate(
        select(Notification).join(Complaint, Notification.complaint_id == Complaint.id)
        .where(Complaint.service_id == current_user.service_id, Notification.status == NotificationStatus.FAILED)
        .order_by(Notification.created_at.desc()), per_page=50, error_out=False)
    return render_template("notifications/failed.html", page=page, retry_form=RetryForm())


@bp.post("/agents/alertes/<public_id>/relancer")
@agent_required(roles=(AgentRole.SERVICE_ADMIN,))
def retry_alert(public_id: str):
    if not RetryForm().validate_on_submit():
        abort(400)
    notification = db.session.scalar(
        select(Notification).join(Complaint, Notification.complaint_id == Complaint.id)
        .where(Notification.public_id == public_id, Complaint.service_id == current_user.service_id,
               Notification.status == NotificationStatus.FAILED))
    if notification is None:
        abort(404)
    notification.status, notification.attempts = NotificationStatus.PENDING, 0
    notification.next_attempt_at, notification.lease_until = utcnow(), None
    db.session.commit()
    flash("L'alerte sera renvoyée dans quelques instants.", "success")
    return redirect(url_for("notifications.failed_alerts"))
