"""Subcommands of ``python -m bot``.

Each module in :data:`COMMANDS` exposes ``register(subparsers)``, which adds its parser and sets
``func`` to a handler taking the parsed namespace and returning an exit status.
"""

COMMANDS = [
    "bot.commands.run",
    "bot.commands.sync",
    "bot.commands.migrate",
    "bot.commands.copy_db",
    "bot.commands.scan",
    "bot.commands.demo",
    "bot.commands.summarize",
    "bot.commands.bench",
    "bot.commands.train",
    "bot.commands.models",
]
