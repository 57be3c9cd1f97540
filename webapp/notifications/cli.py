"""``flask vapid init`` and ``flask notifications worker``."""
from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.notifications.vapid import init_keys, load_vapid, public_key

vapid_cli = AppGroup("vapid", help="VAPID keys for web push.")
notifications_cli = AppGroup("notifications", help="Sending alerts.")


@vapid_cli.command("init")
def vapid_init():
    """Create the VAPID key pair once (kept in the instance folder)."""
    path, created = init_keys()
    state = "créée" if created else "déjà présente"
    click.echo(f"Clé VAPID {state} ({'variable SUIVI_VAPID_PRIVATE_KEY' if not path.exists() else path}).")
    click.echo(f"Clé publique : {public_key(load_vapid())}")


@notifications_cli.command("worker")
@click.option("--concurrency", type=int, default=None, help="Parallel sends (default: configuration).")
@click.option("--batch-size", type=int, default=None)
@click.option("--poll-interval", type=float, default=1.0, show_default=True)
@click.option("--exit-when-idle", is_flag=True, help="Stop when nothing is due (tests, cron).")
def worker(concurrency, batch_size, poll_interval, exit_when_idle):
    """Send due alerts until stopped (SIGTERM/SIGINT finish the current batch). Run as many as needed."""
    from webapp.notifications.dispatcher import Dispatcher
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    dispatcher = Dispatcher(current_app._get_current_object(), concurrency=concurrency, batch_size=batch_size)
    try:
        dispatcher.run(stop, poll_interval=poll_interval, exit_when_idle=exit_when_idle)
    finally:
        dispatcher.close()


def register(app) -> None:
    app.cli.add_command(vapid_cli)
    app.cli.add_command(notifications_cli)
