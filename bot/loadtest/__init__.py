"""Load runs (``python -m bot bench load``): a loopback Discord with many guilds, bot processes, figures."""
