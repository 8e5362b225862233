"""Errors that reach a person as one line; none of them may carry a protected name or identifier."""


class CasewatchError(Exception):
    """An error whose message is fit to show as it is; ``exit_code`` is what the CLI returns."""

    exit_code = 1


class ConfigError(CasewatchError):
    """A missing or invalid setting."""

    exit_code = 2


class CaseFileError(CasewatchError):
    """A case file that cannot be read or does not follow the contract."""

    exit_code = 2


class StorageError(CasewatchError):
    """The database cannot be opened or migrated."""

    exit_code = 2


class InputError(CasewatchError):
    """Input (messages, sources) that cannot be read."""

    exit_code = 1


class KeyMismatchError(CasewatchError):
    """The secret key is missing or is not the one the database was made with: refuse to start."""

    exit_code = 3


#: The exit statuses of ``python -m bot`` (README, "Exit status").
EXIT_STATUSES = {
    0: "success (scan: no malformed input)",
    1: "bad input: some messages could not be read (the rest were scanned), or a runtime failure",
    2: "bad configuration, case file or database (one line says which)",
    3: "the secret key is missing or does not match the database (one line says what to restore)",
    130: "interrupted",
}
