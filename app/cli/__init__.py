"""`treatments`: the operator's command-line tool.

Every command reads the same settings as the server (environment and `.env`)
and fails with a one-line message and a non-zero exit, never a traceback.
One module per group: content (migrate, seed, export, import, generate,
serve), keys, webhooks; support holds what they share.
"""

from app.cli.commands import cli
from app.cli.keys import keys_cli
from app.cli.webhooks import webhooks_cli

cli.add_typer(keys_cli, name="keys")
cli.add_typer(webhooks_cli, name="webhooks")

__all__ = ["cli", "main"]


def main() -> None:
    cli(prog_name="treatments")


if __name__ == "__main__":
    main()
