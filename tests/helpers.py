"""Mocks of discord.py objects for unit tests of the cogs, after python-discord/bot's tests/helpers.py.

Each mock is a ``MagicMock`` with ``spec_set`` on a *real* discord.py instance, so reading or setting an
attribute that discord.py does not have fails the test, and coroutine methods become ``AsyncMock``s.
Defaults are realistic (ids, names, roles); pass keyword arguments to override them.
"""

from __future__ import annotations

import itertools
import unittest.mock
import warnings
from collections.abc import Iterable
from typing import Any

import discord
from discord.ext import commands

from bot.moderation import Moderation

_ids = itertools.count(700_000_000_000_000_000)
_state = unittest.mock.MagicMock()


def new_id() -> int:
    return next(_ids)


class CustomMockMixin:
    """Mocks whose children are plain MagicMocks, whose ``spec_set`` is a real discord.py object."""

    child_mock_type: type[unittest.mock.Base] = unittest.mock.MagicMock
    spec_set: Any = None

    def __init__(self, **kwargs: Any) -> None:
        name = kwargs.pop("name", None)
        # reading a spec's deprecated properties (Message.interaction) warns, and discord.py forces such
        # warnings on with simplefilter("always"): record them here instead of showing them
        with warnings.catch_warnings(record=True):
            super().__init__(spec_set=self.spec_set, **kwargs)  # type: ignore[call-arg]
        if name:
            self.name = name

    def _get_child_mock(self, **kw: Any) -> unittest.mock.Base:
        """Coroutine methods of the spec become AsyncMocks; everything else a plain child mock."""
        new_name = kw.get("_new_name")
        if new_name in self.__dict__["_spec_asyncs"]:
            return unittest.mock.AsyncMock(**kw)
        klass: type[unittest.mock.Base] = self.child_mock_type
        if isinstance(self, unittest.mock.AsyncMock):
            klass = unittest.mock.AsyncMock
        return klass(**kw)


class ColourMixin:
    """python-discord's trick for the two spellings of colour."""

    @property
    def color(self) -> discord.Colour:
        return self.colour  # type: ignore[attr-defined,no-any-return]

    @color.setter
    def color(self, value: discord.Colour) -> None:
        self.colour = value  # type: ignore[attr-defined]


guild_data = {
    "id": 1, "name": "guild", "region": "Europe", "verification_level": 2, "default_notications": 1,
    "afk_timeout": 100, "icon": "icon.png", "banner": "banner.png", "mfa_level": 1, "splash": "splash.png",
    "system_channel_id": 464033278631084042, "description": "mocking is fun", "max_presences": 10_000,
    "max_members": 100_000, "preferred_locale": "UTC", "owner_id": 1, "afk_channel_id": 464033278631084042,
}
guild_instance = discord.Guild(data=guild_data, state=_state)  # type: ignore[arg-type]


class MockGuild(CustomMockMixin, unittest.mock.Mock):
    spec_set = guild_instance

    def __init__(self, roles: Iterable[MockRole] | None = None, **kwargs: Any) -> None:
        default = {"id": new_id(), "members": [], "chunked": True}
        super().__init__(**(default | kwargs))
        self.roles = [MockRole(name="@everyone", position=1, id=0), *(roles or [])]


role_data = {"name": "role", "id": 1}
role_instance = discord.Role(guild=guild_instance, state=_state, data=role_data)  # type: ignore[arg-type]


class MockRole(CustomMockMixin, unittest.mock.Mock, ColourMixin):
    spec_set = role_instance

    def __init__(self, **kwargs: Any) -> None:
        default = {"id": new_id(), "name": "role", "position": 1, "colour": discord.Colour(0xDEADBF),
                   "permissions": discord.Permissions()}
        super().__init__(**(default | kwargs))


member_data = {"user": {"id": 1, "username": "member", "discriminator": "0", "avatar": None},
               "roles": [], "joined_at": "2024-01-01T00:00:00+00:00", "deaf": False, "mute": False, "flags": 0}
member_instance = discord.Member(data=member_data, guild=guild_instance, state=_state)  # type: ignore[arg-type]


class MockMember(CustomMockMixin, unittest.mock.Mock, ColourMixin):
    spec_set = member_instance

    def __init__(self, roles: Iterable[MockRole] | None = None, **kwargs: Any) -> None:
        default = {"name": "member", "id": new_id(), "bot": False, "display_name": "Member",
                   "guild_permissions": discord.Permissions()}
        super().__init__(**(default | kwargs))
        self.roles = [MockRole(name="@everyone", position=1, id=0), *(roles or [])]
        self.mention = f"<@{self.id}>"
        self.display_avatar = unittest.mock.MagicMock(url=f"https://cdn.example/{self.id}.png")


user_instance = discord.User(data={"id": 2, "username": "user", "discriminator": "0", "avatar": None},
                             state=_state)  # type: ignore[arg-type]


class MockUser(CustomMockMixin, unittest.mock.Mock, ColourMixin):
    spec_set = user_instance

    def __init__(self, **kwargs: Any) -> None:
        default = {"name": "user", "id": new_id(), "bot": False, "display_name": "User"}
        super().__init__(**(default | kwargs))
        self.mention = f"<@{self.id}>"


channel_data = {"id": 1, "type": 0, "name": "channel", "parent_id": None, "topic": "topic", "position": 1,
                "nsfw": False, "last_message_id": 1}
text_channel_instance = discord.TextChannel(state=_state, guild=guild_instance, data=channel_data)  # type: ignore
forum_instance = discord.ForumChannel(state=_state, guild=guild_instance,  # type: ignore[arg-type]
                                      data={**channel_data, "type": 15, "available_tags": []})


class MockTextChannel(CustomMockMixin, unittest.mock.Mock):
    spec_set = text_channel_instance

    def __init__(self, **kwargs: Any) -> None:
        default = {"id": new_id(), "name": "channel", "guild": MockGuild()}
        super().__init__(**(default | kwargs))
        self.mention = f"<#{self.id}>"


class MockForumChannel(CustomMockMixin, unittest.mock.Mock):
    spec_set = forum_instance

    def __init__(self, **kwargs: Any) -> None:
        default = {"id": new_id(), "name": "forum", "guild": MockGuild()}
        super().__init__(**(default | kwargs))
        self.mention = f"<#{self.id}>"


class MockThread(CustomMockMixin, unittest.mock.Mock):
    # the class, not an instance: some Thread properties raise without a cached parent channel
    spec_set = discord.Thread

    def __init__(self, **kwargs: Any) -> None:
        default = {"id": new_id(), "name": "thread", "guild": MockGuild(), "parent_id": new_id(),
                   "owner_id": new_id(), "owner": None}
        super().__init__(**(default | kwargs))
        self.mention = f"<#{self.id}>"


message_data = {"id": 1, "webhook_id": 431341013479718912, "attachments": [], "embeds": [],
                "edited_timestamp": None, "type": 0, "pinned": False, "mention_everyone": False, "tts": False,
                "content": "content", "nonce": None, "author": {"id": 1, "username": "a", "discriminator": "0",
                                                                "avatar": None}}
_message_channel = unittest.mock.MagicMock(spec=discord.TextChannel, guild=guild_instance)
message_instance = discord.Message(state=_state, channel=_message_channel, data=message_data)  # type: ignore


class MockMessage(CustomMockMixin, unittest.mock.MagicMock):
    spec_set = message_instance

    def __init__(self, **kwargs: Any) -> None:
        default = {"id": new_id(), "attachments": [], "webhook_id": None, "reference": None, "content": "hello",
                   "author": MockMember(), "channel": MockThread()}
        default["guild"] = kwargs.get("channel", default["channel"]).guild
        super().__init__(**(default | kwargs))
        self.created_at = discord.utils.utcnow()


class MockInteractionResponse(CustomMockMixin, unittest.mock.MagicMock):
    spec_set = discord.InteractionResponse

    def __init__(self, done: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.is_done.return_value = done

        def answered(*_: Any, **__: Any) -> None:  # as on Discord: one answer, then follow-ups
            self.is_done.return_value = True

        for name in ("defer", "send_message", "send_modal", "edit_message"):
            getattr(self, name).side_effect = answered


class MockInteraction(CustomMockMixin, unittest.mock.MagicMock):
    """An interaction in a guild; ``permissions`` are the member's resolved channel permissions."""

    spec_set = discord.Interaction

    def __init__(self, *, user: Any = None, permissions: discord.Permissions | None = None,
                 responded: bool = False, **kwargs: Any) -> None:
        guild = kwargs.pop("guild", None) or MockGuild()
        default = {"id": new_id(), "guild_id": guild.id, "guild": guild, "channel_id": new_id(),
                   "user": user or MockMember(), "permissions": permissions or discord.Permissions.none(),
                   "response": MockInteractionResponse(done=responded), "followup": unittest.mock.AsyncMock()}
        super().__init__(**(default | kwargs))


class MockBot(CustomMockMixin, unittest.mock.MagicMock):
    """A ``commands.Bot`` with the attributes :class:`cogs._client.CasewatchBot` adds, specced too."""

    spec_set = commands.Bot(command_prefix=commands.when_mentioned, intents=discord.Intents.none())

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.loop = unittest.mock.MagicMock()


def services_mock() -> Any:
    """A :class:`bot.services.Services` whose every service is specced on the real class."""
    from types import SimpleNamespace

    from bot.case_engines import CaseEngines  # noqa: F401  (the services' own imports)
    from bot.cases_service import CaseService
    from bot.cursors import ThreadCursors
    from bot.decisions import DecisionService
    from bot.guild_config import GuildConfig
    from bot.outbox import Outbox
    from bot.pipeline import Pipeline
    from bot.retention import RetentionService
    from bot.summaries_service import SummaryService

    def spec(cls: type) -> Any:
        return unittest.mock.create_autospec(cls, instance=True)

    checks = spec(Pipeline)
    checks.abuse = None
    return SimpleNamespace(settings=spec(GuildConfig), cases=spec(CaseService), checks=checks,
                           decisions=spec(DecisionService), summaries=spec(SummaryService), outbox=spec(Outbox),
                           cursors=spec(ThreadCursors), retention=spec(RetentionService))


class CasewatchBotMock:
    """The Casewatch-specific surface of the bot: services (specced), moderation, actions, spawn, closing."""

    def __init__(self, moderation: Any = None) -> None:
        self.bot = MockBot()
        self.services = services_mock()
        self.moderation = moderation or unittest.mock.create_autospec(Moderation, instance=True)
        self.actions = unittest.mock.AsyncMock()
        self.store: Any = None
        self.closing = False
        self.spawned: list[Any] = []
        self.dispatched: list[tuple[Any, ...]] = []

    def spawn(self, coro: Any, *, name: str = "") -> Any:
        import asyncio

        task = asyncio.ensure_future(coro)
        self.spawned.append(task)
        return task

    def dispatch(self, event: str, *args: Any) -> None:
        self.dispatched.append((event, *args))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.bot, name)
