"""``python -m extractor`` runs the ``foi`` command."""

from .cli import app

app(prog_name="foi")
