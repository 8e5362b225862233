"""Discord's documented limits, in one table, with a citation for each row.

No discord.py import: the contract test (``tests/cogs/test_discord_contract.py``) and the loopback fake
(``tests/e2e/fake_discord.py``) both check payloads against these rows, and :func:`check_message`,
:func:`check_modal` and :func:`check_command` return Discord-style error paths (``embeds.0.fields.3.value``)
so a test names exactly what Discord would reject. Lengths are counted in characters (code points), as
Discord counts them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

DOCS = "https://discord.com/developers/docs"
COMMANDS = f"{DOCS}/interactions/application-commands"
MESSAGES = f"{DOCS}/resources/message"
COMPONENTS = f"{DOCS}/components/reference"
RESPONSES = f"{DOCS}/interactions/receiving-and-responding"


@dataclass(frozen=True, slots=True)
class Limit:
    """One documented limit: its value, and where Discord documents it."""

    value: int
    what: str
    source: str


# -- application commands --------------------------------------------------------------------------
COMMAND_NAME = Limit(32, "command, sub-command and option name (1-32 characters)",
                     f"{COMMANDS}#application-command-object-application-command-naming")
COMMAND_DESCRIPTION = Limit(100, "command, sub-command and option description (1-100 characters)",
                            f"{COMMANDS}#application-command-object-application-command-structure")
COMMAND_OPTIONS = Limit(25, "options (or sub-commands) of one command or group",
                        f"{COMMANDS}#application-command-object-application-command-structure")
COMMAND_TOTAL = Limit(4000, "name + description + option names/descriptions/choices of one command, combined",
                      f"{COMMANDS}#application-command-object-application-command-structure")
OPTION_CHOICES = Limit(25, "choices of one option",
                       f"{COMMANDS}#application-command-object-application-command-option-structure")
CHOICE_NAME = Limit(100, "choice name (1-100 characters)",
                    f"{COMMANDS}#application-command-object-application-command-option-choice-structure")
CHOICE_VALUE = Limit(100, "string choice value (up to 100 characters)",
                     f"{COMMANDS}#application-command-object-application-command-option-choice-structure")
INTEGER_OPTION = Limit(2**53 - 1, "largest value of an INTEGER option (-2^53 to 2^53); 63-bit ids go as strings",
                       f"{COMMANDS}#application-command-object-application-command-option-type")
AUTOCOMPLETE_CHOICES = Limit(25, "choices in one autocomplete response",
                             f"{RESPONSES}#interaction-response-object-autocomplete")
GUILD_COMMANDS = Limit(100, "top-level chat-input commands per application (global, or per guild)",
                       f"{COMMANDS}#registering-a-command")
SUBCOMMAND_DEPTH = Limit(2, "nesting: command → group → sub-command",
                         f"{COMMANDS}#subcommands-and-subcommand-groups")

# -- messages and embeds -------------------------------------------------------------------------
CONTENT = Limit(2000, "message content", f"{MESSAGES}#create-message-jsonform-params")
EMBEDS = Limit(10, "embeds per message", f"{MESSAGES}#create-message-jsonform-params")
EMBED_TOTAL = Limit(6000, "title + description + field names/values + footer + author name, all embeds",
                    f"{MESSAGES}#embed-object-embed-limits")
EMBED_TITLE = Limit(256, "embed title", f"{MESSAGES}#embed-object-embed-limits")
EMBED_DESCRIPTION = Limit(4096, "embed description", f"{MESSAGES}#embed-object-embed-limits")
EMBED_FIELDS = Limit(25, "fields per embed", f"{MESSAGES}#embed-object-embed-limits")
FIELD_NAME = Limit(256, "embed field name", f"{MESSAGES}#embed-object-embed-limits")
FIELD_VALUE = Limit(1024, "embed field value", f"{MESSAGES}#embed-object-embed-limits")
FOOTER_TEXT = Limit(2048, "embed footer text", f"{MESSAGES}#embed-object-embed-limits")
AUTHOR_NAME = Limit(256, "embed author name", f"{MESSAGES}#embed-object-embed-limits")

WEBHOOK_USERNAME = Limit(80, "username a webhook posts under",
                         f"{DOCS}/resources/webhook#execute-webhook-jsonform-params")

# -- components --------------------------------------------------------------------------------
CUSTOM_ID = Limit(100, "custom_id of a button, select, text input or modal", f"{COMPONENTS}#button")
ACTION_ROWS = Limit(5, "action rows per message", f"{COMPONENTS}#action-row")
ROW_BUTTONS = Limit(5, "buttons per action row", f"{COMPONENTS}#action-row")
BUTTON_LABEL = Limit(80, "button label", f"{COMPONENTS}#button-button-structure")
SELECT_OPTIONS = Limit(25, "options of a select menu", f"{COMPONENTS}#string-select-string-select-structure")
SELECT_PLACEHOLDER = Limit(150, "select menu placeholder", f"{COMPONENTS}#string-select-string-select-structure")
SELECT_OPTION_TEXT = Limit(100, "select option label, value and description",
                           f"{COMPONENTS}#string-select-select-option-structure")

# -- modals ------------------------------------------------------------------------------------
MODAL_TITLE = Limit(45, "modal title", f"{RESPONSES}#interaction-response-object-modal")
MODAL_ROWS = Limit(5, "components (rows) per modal", f"{RESPONSES}#interaction-response-object-modal")
TEXT_INPUT_LABEL = Limit(45, "text input label", f"{COMPONENTS}#text-input-text-input-structure")
TEXT_INPUT_PLACEHOLDER = Limit(100, "text input placeholder", f"{COMPONENTS}#text-input-text-input-structure")
TEXT_INPUT_VALUE = Limit(4000, "text input value, min_length and max_length",
                         f"{COMPONENTS}#text-input-text-input-structure")

# -- timing ------------------------------------------------------------------------------------
INTERACTION_DEADLINE_S = Limit(3, "seconds to answer (or defer) an interaction before its token is refused",
                               f"{RESPONSES}#responding-to-an-interaction")
FOLLOWUP_WINDOW_S = Limit(15 * 60, "seconds an interaction token stays valid for follow-ups",
                          f"{RESPONSES}#followup-messages")

#: Every row, for documentation and for the test that checks each row has a citation.
ALL: dict[str, Limit] = {name: value for name, value in globals().items() if isinstance(value, Limit)}

#: Discord's answer to a payload that breaks a limit (HTTP 400).
INVALID_FORM_BODY = 50035

# -- checks ------------------------------------------------------------------------------------
#: An error path and its message, e.g. ``("embeds.0.fields.3.value", "Must be 1024 or fewer in length.")``.
Problem = tuple[str, str]


def _too_long(path: str, value: Any, limit: Limit) -> Iterator[Problem]:
    if isinstance(value, str) and len(value) > limit.value:
        yield path, f"Must be {limit.value} or fewer in length."


def _too_many(path: str, items: Sequence[Any] | None, limit: Limit) -> Iterator[Problem]:
    if items is not None and len(items) > limit.value:
        yield path, f"Must be {limit.value} or fewer in length."


def embed_length(embed: Mapping[str, Any]) -> int:
    """The characters that count towards :data:`EMBED_TOTAL`."""
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "") + len((embed.get("author") or {}).get("name") or "")
    for f in embed.get("fields") or []:
        total += len(f.get("name") or "") + len(f.get("value") or "")
    return total


def check_embed(embed: Mapping[str, Any], path: str = "embeds.0") -> Iterator[Problem]:
    yield from _too_long(f"{path}.title", embed.get("title"), EMBED_TITLE)
    yield from _too_long(f"{path}.description", embed.get("description"), EMBED_DESCRIPTION)
    yield from _too_long(f"{path}.footer.text", (embed.get("footer") or {}).get("text"), FOOTER_TEXT)
    yield from _too_long(f"{path}.author.name", (embed.get("author") or {}).get("name"), AUTHOR_NAME)
    fields = embed.get("fields") or []
    yield from _too_many(f"{path}.fields", fields, EMBED_FIELDS)
    for i, f in enumerate(fields):
        if not f.get("name") or not f.get("value"):
            yield f"{path}.fields.{i}", "A field needs a name and a value."
        yield from _too_long(f"{path}.fields.{i}.name", f.get("name"), FIELD_NAME)
        yield from _too_long(f"{path}.fields.{i}.value", f.get("value"), FIELD_VALUE)


def check_components(rows: Sequence[Mapping[str, Any]] | None, path: str = "components") -> Iterator[Problem]:
    """Action rows of a message: rows per message, items per row, custom_ids, labels, select options."""
    if not rows:
        return
    yield from _too_many(path, rows, ACTION_ROWS)
    for r, row in enumerate(rows):
        items = row.get("components") or []
        yield from _too_many(f"{path}.{r}.components", items, ROW_BUTTONS)
        for i, item in enumerate(items):
            where = f"{path}.{r}.components.{i}"
            yield from _too_long(f"{where}.custom_id", item.get("custom_id"), CUSTOM_ID)
            yield from _too_long(f"{where}.label", item.get("label"), BUTTON_LABEL)
            yield from _too_long(f"{where}.placeholder", item.get("placeholder"), SELECT_PLACEHOLDER)
            options = item.get("options")
            yield from _too_many(f"{where}.options", options, SELECT_OPTIONS)
            for o, option in enumerate(options or []):
                for key in ("label", "value", "description"):
                    yield from _too_long(f"{where}.options.{o}.{key}", option.get(key), SELECT_OPTION_TEXT)


def check_message(body: Mapping[str, Any]) -> list[Problem]:
    """Problems with a message body (create/edit message, interaction reply, follow-up, webhook)."""
    problems = list(_too_long("content", body.get("content"), CONTENT))
    problems += _too_long("username", body.get("username"), WEBHOOK_USERNAME)
    embeds = body.get("embeds") or []
    problems += _too_many("embeds", embeds, EMBEDS)
    for i, embed in enumerate(embeds):
        problems += check_embed(embed, f"embeds.{i}")
    if sum(embed_length(e) for e in embeds) > EMBED_TOTAL.value:
        problems.append(("embeds", f"Embed size exceeds maximum size of {EMBED_TOTAL.value}"))
    problems += check_components(body.get("components"))
    return problems


def check_modal(data: Mapping[str, Any]) -> list[Problem]:
    """Problems with a modal's ``data`` (interaction response type 9)."""
    problems = list(_too_long("data.title", data.get("title"), MODAL_TITLE))
    problems += _too_long("data.custom_id", data.get("custom_id"), CUSTOM_ID)
    rows = data.get("components") or []
    problems += _too_many("data.components", rows, MODAL_ROWS)
    for r, row in enumerate(rows):
        for i, item in enumerate(row.get("components") or []):
            where = f"data.components.{r}.components.{i}"
            problems += _too_long(f"{where}.custom_id", item.get("custom_id"), CUSTOM_ID)
            problems += _too_long(f"{where}.label", item.get("label"), TEXT_INPUT_LABEL)
            problems += _too_long(f"{where}.placeholder", item.get("placeholder"), TEXT_INPUT_PLACEHOLDER)
            for key in ("max_length", "min_length"):
                if isinstance(item.get(key), int) and item[key] > TEXT_INPUT_VALUE.value:
                    problems.append((f"{where}.{key}", f"Must be {TEXT_INPUT_VALUE.value} or less."))
    return problems


def _command_chars(node: Mapping[str, Any]) -> int:
    total = len(node.get("name") or "") + len(node.get("description") or "")
    for choice in node.get("choices") or []:
        total += len(str(choice.get("name") or "")) + len(str(choice.get("value") or ""))
    return total + sum(_command_chars(o) for o in node.get("options") or [])


def check_option(node: Mapping[str, Any], path: str) -> Iterator[Problem]:
    name = node.get("name") or ""
    if not name or name != name.lower():
        yield f"{path}.name", "Names must be 1-32 lower-case characters."
    yield from _too_long(f"{path}.name", name, COMMAND_NAME)
    description = node.get("description") or ""
    if not description:
        yield f"{path}.description", "A description of 1-100 characters is required."
    yield from _too_long(f"{path}.description", description, COMMAND_DESCRIPTION)
    choices = node.get("choices")
    yield from _too_many(f"{path}.choices", choices, OPTION_CHOICES)
    for c, choice in enumerate(choices or []):
        yield from _too_long(f"{path}.choices.{c}.name", choice.get("name"), CHOICE_NAME)
        yield from _too_long(f"{path}.choices.{c}.value", choice.get("value"), CHOICE_VALUE)
    if choices and node.get("autocomplete"):
        yield f"{path}.autocomplete", "An option cannot have both choices and autocomplete."
    options = node.get("options") or []
    yield from _too_many(f"{path}.options", options, COMMAND_OPTIONS)
    seen_optional = False
    for o, option in enumerate(options):
        if option.get("type") not in (1, 2):  # plain options: required ones first
            if option.get("required") and seen_optional:
                yield f"{path}.options.{o}.required", "Required options must come before optional ones."
            seen_optional = seen_optional or not option.get("required")
        yield from check_option(option, f"{path}.options.{o}")


def check_command(command: Mapping[str, Any], path: str = "0") -> list[Problem]:
    """Problems with one application command payload (as ``AppCommand.to_dict()`` or a PUT body row)."""
    problems = list(check_option(command, path))
    if _command_chars(command) > COMMAND_TOTAL.value:
        problems.append((path, f"Command exceeds maximum size ({COMMAND_TOTAL.value})"))
    return problems


def check_commands(commands: Sequence[Mapping[str, Any]]) -> list[Problem]:
    """Problems with a bulk overwrite of commands."""
    problems = list(_too_many("", [c for c in commands if c.get("type", 1) == 1], GUILD_COMMANDS))
    for i, command in enumerate(commands):
        problems += check_command(command, str(i))
    return problems


def error_body(problems: Sequence[Problem]) -> dict[str, Any]:
    """Discord's 400 body for ``problems``: code 50035 and an ``errors`` tree keyed by the path."""
    errors: dict[str, Any] = {}
    for path, message in problems:
        node = errors
        for part in (p for p in path.split(".") if p):
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": "BASE_TYPE_MAX_LENGTH", "message": message})
    return {"message": "Invalid Form Body", "code": INVALID_FORM_BODY, "errors": errors}


def split_content(text: str, limit: int = CONTENT.value) -> list[str]:
    """``text`` as consecutive parts of at most ``limit`` characters that join back to ``text`` exactly.

    Each part ends after the last line break in the second half of the limit, else after the last space, else
    at the limit (so no part is needlessly short). Used where a member's own text is sent again: a restored
    message may be 4,000 characters with Nitro, and a message is 2,000.
    """
    parts: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        line = window.rfind("\n") + 1
        cut = line if line > limit // 2 else (window.rfind(" ") + 1 or limit)
        parts.append(text[:cut])
        text = text[cut:]
    if text or not parts:
        parts.append(text)
    return parts
