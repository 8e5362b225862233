"""Query functions grouped per table; no cog writes SQL."""
