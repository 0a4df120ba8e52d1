"""The root ``wpb`` app: it only assembles the command groups, one module each.

Nothing imports this module but :mod:`wpb.cli` (for the console script ``wpb.cli:app``).
"""

from __future__ import annotations

import typer

import wpb.cli.batch as batch
import wpb.cli.budget as budget
import wpb.cli.gba as gba
import wpb.cli.gemeente as gemeente
import wpb.cli.ijw as ijw
import wpb.cli.overgang as overgang
import wpb.cli.service as service
import wpb.cli.verrekening as verrekening
import wpb.cli.woonplaats as woonplaats
import wpb.cli.woonplaatscheck as woonplaatscheck

app = typer.Typer(
    help="wpb — woonplaatsbeginsel: welke gemeente is verantwoordelijk, en waarom.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(gemeente.gemeente_app, name="gemeente")
app.command("overgang")(overgang.overgang)
app.add_typer(gba.gba_app, name="gba")
app.add_typer(budget.app, name="budget")
app.add_typer(verrekening.verrekening_app, name="verreken")
app.add_typer(ijw.ijw_app, name="ijw")
app.command("serve")(service.serve)
app.command("openapi")(service.openapi_command)
batch.register(app)  # wpb synth, wpb batch
app.command("woonplaatscheck")(woonplaatscheck.woonplaatscheck_command)
woonplaats.register(app)  # wpb woonplaats, wpb voorbeelden (listed after them, as before)
app.add_typer(service.db_app, name="db")
app.add_typer(service.audit_app, name="audit")
app.add_typer(service.beheer_app, name="beheer")
