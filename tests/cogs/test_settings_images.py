"""``/settings images``: reading images is on by default and a moderator can switch it off and on."""

from __future__ import annotations

import unittest.mock

from bot.guild_config import GuildConfig
from bot.guild_settings import GuildSettings
from cogs.settings import SettingsGroup, describe
from tests.helpers import MockInteraction


def test_images_are_read_by_default() -> None:
    assert GuildSettings().images is True
    fields = {f.name: f.value for f in describe(GuildSettings()).fields}
    assert fields["Images"].startswith("read")


async def test_the_switch_saves_the_guild_setting() -> None:
    config = unittest.mock.create_autospec(GuildConfig, instance=True)
    config.get.return_value = GuildSettings()
    config.save.side_effect = lambda guild_id, settings: settings
    group = SettingsGroup(unittest.mock.Mock(settings=config))
    interaction = MockInteraction()
    await group.images.callback(group, interaction, False)
    saved: GuildSettings = config.save.await_args.args[1]
    assert saved.images is False
    assert "no longer read" in interaction.response.send_message.await_args.args[0]
