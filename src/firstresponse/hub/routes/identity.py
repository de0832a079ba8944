"""Who the hub sees: the device and the signed-in officer."""

from __future__ import annotations

from fastapi import APIRouter

from firstresponse.hub.deps import ERRORS, Who
from firstresponse.sync.protocol import WhoAmI

router = APIRouter(tags=["hub"])


@router.get("/whoami", response_model=WhoAmI, responses=ERRORS)
def whoami(who: Who) -> WhoAmI:
    """The device and officer the hub sees."""
    user = who.user
    return WhoAmI(
        device=who.device.name, collar=user.collar, name=user.name, role=user.role, team=user.team
    )
