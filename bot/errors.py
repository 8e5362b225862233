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
