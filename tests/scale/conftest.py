from tests.pg import pg_admin_url

__all__ = ["pg_admin_url"]
