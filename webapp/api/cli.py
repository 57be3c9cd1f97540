"""``flask api-client create|revoke|list``: clients of the records software, per service."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from webapp.api.clients import SCOPES, create_client, revoke
from webapp.extensions import db
from webapp.models import ApiClient, Service

api_client_cli = AppGroup("api-client", help="Clients of the records-software API.")


def _service(reference: str) -> Service:
    service = db.session.scalar(select(Service).where((Service.public_id == reference) | (Service.name == reference)))
    if service is None:
        raise click.ClickException(f"Aucun service « {reference} ».")
    return service


@api_client_cli.command("create")
@click.option("--service", "service_ref", required=True, help="Identifiant ou nom exact du service.")
@click.option("--name", required=True, help="Nom du logiciel ou de l'installation (apparaît dans le journal).")
@click.option("--scope", "scopes", multiple=True, type=click.Choice(SCOPES), default=SCOPES, show_default=True)
def create(service_ref, name, scopes):
    """Create a client and print its token — shown this one time only."""
    try:
        client, token = create_client(_service(service_ref), name, list(scopes))
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Client créé : {client.public_id} ({client.name}), permissions : {client.scopes}")
    click.echo(f"Jeton (affiché une seule fois, à conserver dans le logiciel) : {token}")


@api_client_cli.command("revoke")
@click.option("--client", "client_id", required=True, help="Identifiant du client (flask api-client list).")
def revoke_command(client_id):
    """Revoke a client's token at once."""
    client = db.session.scalar(select(ApiClient).where(ApiClient.public_id == client_id))
    if client is None:
        raise click.ClickException(f"Aucun client {client_id}.")
    revoke(client)
    click.echo(f"Jeton de {client.name} révoqué.")


@api_client_cli.command("list")
def list_command():
    for client in db.session.scalars(select(ApiClient).order_by(ApiClient.created_at)):
        state = "révoqué" if client.revoked_at else "actif"
        click.echo(f"{client.public_id}  {client.name}  {client.service.name}  {client.scopes}  {state}")
