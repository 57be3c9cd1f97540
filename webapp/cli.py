"""Administration commands: ``flask create-service``, ``flask create-agent``, ``flask demo``."""
from __future__ import annotations

import click
from flask import Flask, current_app
from sqlalchemy import select

from webapp.auth.passwords import hash_password, password_problem
from webapp.extensions import db
from webapp.models import Agent, AgentRole, Service


def register(app: Flask) -> None:
    app.cli.add_command(create_service)
    app.cli.add_command(create_agent)
    app.cli.add_command(agent_totp)
    app.cli.add_command(demo)


@click.command("agent-totp")
@click.option("--email", required=True)
def agent_totp(email):
    """Give an agent a (new) second factor; print the otpauth:// address for an authenticator app."""
    from webapp.auth.totp import enrol
    agent = db.session.scalar(select(Agent).where(Agent.email == email.lower()))
    if agent is None:
        raise click.ClickException(f"Aucun agent avec l'adresse {email}.")
    click.echo("À scanner ou saisir dans l'application d'authentification de l'agent (une seule fois) :")
    click.echo(enrol(agent))


@click.command("create-service")
@click.option("--name", required=True, help="Nom affiché aux victimes.")
@click.option("--address", default="")
@click.option("--phone", default="")
@click.option("--email", default="")
@click.option("--opening-hours", default="")
@click.option("--hide-investigator", is_flag=True, help="Ne pas montrer le nom de l'enquêteur aux victimes.")
def create_service(name, address, phone, email, opening_hours, hide_investigator):
    """Create a police service and print its identifier."""
    service = Service(name=name, address=address, phone=phone, email=email, opening_hours=opening_hours,
                      show_investigator=not hide_investigator)
    db.session.add(service)
    db.session.commit()
    click.echo(f"Service créé : {service.public_id}  {service.name}")


@click.command("create-agent")
@click.option("--service", "service_ref", required=True, help="Identifiant ou nom exact du service.")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--grade", default="")
@click.option("--role", type=click.Choice([r.value for r in AgentRole]), default=AgentRole.AGENT.value)
@click.password_option(help="Demandé au clavier s'il n'est pas donné.")
def create_agent(service_ref, email, full_name, grade, role, password):
    """Create an agent account in a service."""
    service = db.session.scalar(select(Service).where(
        (Service.public_id == service_ref) | (Service.name == service_ref)))
    if service is None:
        raise click.ClickException(f"Aucun service « {service_ref} ».")
    if problem := password_problem(password):
        raise click.ClickException(problem)
    if db.session.scalar(select(Agent).where(Agent.email == email.lower())) is not None:
        raise click.ClickException(f"Un agent existe déjà avec l'adresse {email}.")
    agent = Agent(service_id=service.id, email=email.lower(), full_name=full_name, grade=grade,
                  role=AgentRole(role), password_hash=hash_password(password))
    db.session.add(agent)
    db.session.commit()
    click.echo(f"Agent créé : {agent.email} ({agent.role.label}) dans {service.name}")


@click.command("demo")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True,
              help="Address where the app is served, for the printed links (SUIVI_PUBLIC_URL wins).")
def demo(base_url):
    """Seed the demonstration data on first run, then print logins and fresh activation codes."""
    from webapp import demo as demo_data
    with current_app.test_request_context(base_url=current_app.config.get("PUBLIC_URL") or base_url):
        if demo_data.seed_if_empty():
            click.echo("Données de démonstration créées.")
        demo_data.issue_codes(click.echo)
