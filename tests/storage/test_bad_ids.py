"""An id typed by hand (``/flags show`` with 26 digits) is one clear error, never the driver's OverflowError."""

from __future__ import annotations

import pytest

from bot.errors import CasewatchError, InputError
from bot.storage import Store


@pytest.mark.parametrize("flag_id", [10**25, 2**63, -(2**63) - 1])
async def test_a_huge_id_is_one_clear_error(store: Store, flag_id: int) -> None:
    with pytest.raises(InputError) as exc:
        await store.flags.get(flag_id)
    assert isinstance(exc.value, CasewatchError)  # the cogs show it as the ephemeral one-liner
    assert "out of range" in str(exc.value) and "\n" not in str(exc.value)


async def test_the_largest_id_is_still_looked_up(store: Store) -> None:
    assert await store.flags.get(2**63 - 1) is None
