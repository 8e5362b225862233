"""Subcommands of ``python -m bot``.

Each module in :data:`COMMANDS` (command name -> module) exposes ``register(subparsers)``, which adds the
command's parser and sets ``func`` to a handler taking the parsed namespace and returning an exit status.
Only the named command's module is imported to run it (``scan`` does not load the Discord client).
"""

COMMANDS = {
    "run": "bot.commands.run",
    "sync": "bot.commands.sync",
    "migrate": "bot.commands.migrate",
    "copy-db": "bot.commands.copy_db",
    "scan": "bot.commands.scan",
    "demo": "bot.commands.demo",
    "summarize": "bot.commands.summarize",
    "bench": "bot.commands.bench",
    "train": "bot.commands.train",
    "models": "bot.commands.models",
}
