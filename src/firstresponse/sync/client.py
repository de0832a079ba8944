"""The terminal's httpx client for the hub.

It talks as one device and one officer's session. Given a `SessionToken` it sends that token;
given `Credentials` (collar and PIN) it signs in on first use, keeps the session token
and forgets the PIN, so no request after sign-in carries it.

Failures are sorted into what the caller should do: `NetworkFailure` (no answer, a
dropped connection, a 5xx: retry later with backoff), `AuthFailure` (401/403: stop
until someone signs in again or the device is re-enrolled) and `RequestRejected`
(the hub refused this request as malformed: do not retry it unchanged).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from firstresponse.sync import key_sign_in
from firstresponse.sync.key_sign_in import KeySignIn, SignInChallenge
from firstresponse.sync.lookup_protocol import (
    LookupMatch,
    LookupResults,
    PersonHistory,
    PersonRecord,
)
from firstresponse.sync.protocol import (
    API,
    DEVICE_HEADER,
    SESSION_HEADER,
    AuditHead,
    ChainHead,
    EndedSessions,
    Envelope,
    HeldItem,
    HeldResponse,
    ItemResult,
    PullResponse,
    PushRequest,
    PushResponse,
    RosterResponse,
    SessionGrant,
    SignIn,
    SignInProblem,
    UsersResponse,
    UserState,
    WhoAmI,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

T = TypeVar("T", bound=BaseModel)
#: Seconds a waiting pull may take beyond its wait before the hub counts as unreachable.
WAIT_MARGIN = 10.0


class SyncFailure(Exception):
    """The hub could not be used for this request."""


class NetworkFailure(SyncFailure):
    """No usable answer: unreachable, timed out, connection dropped, or a server error."""


class AuthFailure(SyncFailure):
    """The hub refused the device or the officer (revoked token, wrong PIN, role)."""


class RequestRejected(SyncFailure):
    """The hub answered that the request itself is malformed (4xx other than auth)."""


class SignInRefused(AuthFailure):
    """The hub refused a sign-in (wrong PIN, locked, unknown, waiting after wrong PINs);
    with wrong PINs, how many more before a wait and how long to wait (protocol.SignInProblem)."""

    def __init__(self, message: str, attempts_left: int | None = None, wait: int = 0) -> None:
        super().__init__(message)
        self.attempts_left = attempts_left
        self.wait = wait

    @classmethod
    def from_response(cls, response: httpx.Response) -> SignInRefused:
        try:
            problem = SignInProblem.model_validate_json(response.content)
        except ValidationError:
            return cls(_detail(response))
        return cls(problem.detail[:500], problem.attempts_left, problem.retry_after)


class KeyNotAccepted(AuthFailure):
    """The hub will not sign this officer in with their key here (unknown on this device,
    revoked, or the challenge stale): sign in with the PIN instead."""


@dataclass(frozen=True)
class Credentials:
    """An officer's collar and PIN: exchanged once for a session, then forgotten."""

    collar: str
    pin: str


@dataclass(frozen=True)
class SessionToken:
    """An officer's session on this device (the token the hub issued at sign-in)."""

    collar: str
    token: str


def _detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail", response.text)
    except ValueError:
        detail = response.text
    return str(detail)[:500] if detail else f"HTTP {response.status_code}"


def _refusal(response: httpx.Response) -> None:
    """Raise what a refused answer means: signed out (401/403), the hub failing (5xx) or
    the request itself refused (another 4xx)."""
    if response.status_code in (401, 403):
        raise AuthFailure(_detail(response))
    if response.status_code >= 500:
        raise NetworkFailure(f"hub error {response.status_code}: {_detail(response)}")
    if response.status_code >= 400:
        raise RequestRejected(_detail(response))


class HubClient:
    """Talks to one hub as one device and one officer."""

    def __init__(
        self,
        base_url: str,
        device_token: str,
        credentials: Credentials | SessionToken | None = None,
        timeout: float = 20.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not base_url:
            raise SyncFailure("no hub configured: set hub_url (FIRSTRESPONSE_HUB_URL)")
        if not device_token:
            raise AuthFailure("this terminal has no device token: ask an admin to enrol it")
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + API,
            timeout=timeout,
            transport=transport,
            headers={DEVICE_HEADER: device_token},
        )
        self._pending: Credentials | None = None
        self.session: SessionToken | None = None
        if isinstance(credentials, SessionToken):
            self.use_session(credentials)
        else:
            self._pending = credentials

    @property
    def collar(self) -> str:
        """The officer this client acts for ("" before anyone is known)."""
        if self.session is not None:
            return self.session.collar
        return self._pending.collar if self._pending is not None else ""

    def use_session(self, session: SessionToken) -> None:
        self.session = session
        self._http.headers[SESSION_HEADER] = session.token

    def sign_in(self, collar: str, pin: str, public_key: str = "") -> SessionGrant:
        """Exchange collar and PIN for a session (kept by this client); raises SignInRefused."""
        body = SignIn(collar=collar, pin=pin, public_key=public_key).model_dump_json()
        return self._session_from(self._post_sign_in("/sessions", body))

    def sign_in_with_key(self, collar: str, key_id: str, key: Ed25519PrivateKey) -> SessionGrant:
        """Sign in again with the officer's key on this device, which the hub registered
        at a PIN sign-in here (sync.key_sign_in): no PIN is sent. Raises KeyNotAccepted
        (sign in with the PIN instead) or SignInRefused."""
        try:
            asked = self._http.get("/sessions/challenge")
        except httpx.HTTPError as exc:
            raise NetworkFailure(f"hub unreachable: {exc or type(exc).__name__}") from exc
        if asked.status_code == 404:
            raise KeyNotAccepted("this hub signs officers in by PIN only")
        if asked.status_code == 401:  # the device revoked: as a PIN sign-in would hear
            raise SignInRefused.from_response(asked)
        challenge = self._answer(asked, SignInChallenge).challenge
        signed = key.sign(key_sign_in.message(collar, key_id, challenge))
        signature = base64.b64encode(signed).decode()
        body = KeySignIn(collar=collar, key_id=key_id, challenge=challenge, signature=signature)
        return self._session_from(
            self._post_sign_in("/sessions/key", body.model_dump_json()), key_refusal=True
        )

    def _post_sign_in(self, path: str, body: str) -> httpx.Response:
        try:
            return self._http.post(path, content=body, headers={"Content-Type": "application/json"})
        except httpx.HTTPError as exc:
            raise NetworkFailure(f"hub unreachable: {exc or type(exc).__name__}") from exc

    def _answer(self, response: httpx.Response, model: type[T]) -> T:
        _refusal(response)
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise NetworkFailure(f"hub answer not understood: {exc}") from exc

    def _session_from(self, response: httpx.Response, key_refusal: bool = False) -> SessionGrant:
        """The session a sign-in answered with (kept by this client), or why not."""
        if key_refusal and response.status_code in (403, 404, 422):
            raise KeyNotAccepted(_detail(response))
        if response.status_code in (401, 403, 429):
            raise SignInRefused.from_response(response)
        if response.status_code == 422:
            raise SignInRefused("collar number or PIN not recognised")
        if response.status_code >= 500:
            raise NetworkFailure(f"hub error {response.status_code}: {_detail(response)}")
        if response.status_code >= 400:
            raise RequestRejected(_detail(response))
        try:
            grant = SessionGrant.model_validate_json(response.content)
        except ValidationError as exc:
            raise NetworkFailure(f"hub answer not understood: {exc}") from exc
        self.use_session(SessionToken(grant.user.collar, grant.token))
        return grant

    def sign_out(self) -> None:
        """End this client's session on the hub (best effort: it also lapses by itself)."""
        if self.session is not None:
            self._response("DELETE", "/sessions")
            self.session = None
            self._http.headers.pop(SESSION_HEADER, None)

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _response(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The hub's answer, or the failure it amounts to."""
        if self.session is None and self._pending is not None:
            try:
                self.sign_in(self._pending.collar, self._pending.pin)
            except SignInRefused:
                self._pending = None  # never retried: a wrong PIN would count again
                raise
            self._pending = None  # exchanged: the PIN is forgotten
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise NetworkFailure(f"hub unreachable: {exc or type(exc).__name__}") from exc
        _refusal(response)
        return response

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._response(method, path, **kwargs)
        try:
            return response.json()
        except ValueError as exc:
            raise NetworkFailure("hub answered with something that is not JSON") from exc

    def push(self, envelopes: list[Envelope]) -> list[ItemResult]:
        """Send one batch; the hub answers for every envelope."""
        return self.push_batch(envelopes).results

    def push_batch(
        self, envelopes: list[Envelope], audit_head: ChainHead | None = None
    ) -> PushResponse:
        """Send one batch with this terminal's audit chain head; the hub answers for every
        envelope and with the head it holds."""
        body = PushRequest(envelopes=envelopes, audit_head=audit_head).model_dump_json()
        response = self._response(
            "POST", "/push", content=body, headers={"Content-Type": "application/json"}
        )
        try:
            return PushResponse.model_validate_json(response.content)
        except ValidationError as exc:
            raise NetworkFailure(f"hub answer not understood: {exc}") from exc

    def pull(self, cursor: str = "", limit: int = 200, wait: float = 0) -> PullResponse:
        """The feed after `cursor`; with `wait`, the hub holds the request up to that many
        seconds until there is something (an older hub answers at once either way)."""
        params: dict[str, Any] = {"cursor": cursor, "limit": limit}
        kwargs: dict[str, Any] = {}
        if wait > 0:
            params["wait"] = f"{wait:g}"
            kwargs["timeout"] = wait + WAIT_MARGIN
        data = self._request("GET", "/pull", params=params, **kwargs)
        try:
            return PullResponse.model_validate(data)
        except ValidationError as exc:
            raise NetworkFailure(f"hub answer not understood: {exc}") from exc

    def whoami(self) -> WhoAmI:
        return WhoAmI.model_validate(self._request("GET", "/whoami"))

    def _device_get(self, path: str) -> httpx.Response:
        """GET `path` with the device token alone (no officer signed in)."""
        try:
            response = self._http.get(path)
        except httpx.HTTPError as exc:
            raise NetworkFailure(f"hub unreachable: {exc or type(exc).__name__}") from exc
        if response.status_code in (401, 403):
            raise AuthFailure(_detail(response))
        if response.status_code != 200:
            raise NetworkFailure(f"hub error {response.status_code}: {_detail(response)}")
        return response

    def device(self) -> str:
        """The name the hub enrolled this device under (checks the token; no sign-in)."""
        return str(self._device_get("/device").json().get("device", ""))

    def health(self, timeout: float = 3.0) -> bool:
        """True when the hub answers its health check (no sign-in; cheap)."""
        try:
            response = self._http.get("/health", timeout=timeout)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def end_sessions(self, digests: list[str]) -> None:
        """Tell the hub these sessions of this device ended (officers who signed out while
        it did not answer; needs only the device token)."""
        body = EndedSessions(sessions=digests).model_dump_json()
        try:
            response = self._http.post(
                "/sessions/ended", content=body, headers={"Content-Type": "application/json"}
            )
        except httpx.HTTPError as exc:
            raise NetworkFailure(f"hub unreachable: {exc or type(exc).__name__}") from exc
        _refusal(response)

    def users(self) -> list[UserState]:
        """The officers who have signed in on this device, as the hub holds them now
        (needs only the device token)."""
        response = self._device_get("/users")
        try:
            return UsersResponse.model_validate_json(response.content).users
        except ValidationError as exc:
            raise NetworkFailure(f"hub answer not understood: {exc}") from exc

    def roster(self, digest: str = "") -> RosterResponse | None:
        """The officers this terminal's lists may name; None while `digest` is still current."""
        headers = {"If-None-Match": digest} if digest else {}
        response = self._response("GET", "/roster", headers=headers)
        if response.status_code == 304:
            return None
        try:
            return RosterResponse.model_validate_json(response.content)
        except ValidationError as exc:
            raise NetworkFailure(f"hub answer not understood: {exc}") from exc

    def held(self) -> list[HeldItem]:
        """Records the hub holds waiting for a parent (this device's; a supervisor: all)."""
        try:
            return HeldResponse.model_validate(self._request("GET", "/held")).held
        except ValidationError as exc:
            raise NetworkFailure(f"hub answer not understood: {exc}") from exc

    def _typed(self, model: type[T], method: str, path: str, **kwargs: Any) -> T:
        """The hub's answer validated into `model` (NetworkFailure when it does not fit)."""
        response = self._response(method, path, **kwargs)
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise NetworkFailure(f"hub answer not understood: {exc}") from exc

    def search(self, limit: int = 20, **fields: str) -> list[LookupMatch]:
        """Online repeat-victim search (call handlers), best match first."""
        params: dict[str, Any] = {k: v for k, v in fields.items() if v}
        params["limit"] = limit
        return self._typed(LookupResults, "GET", "/lookup/search", params=params).results

    def person_history(self, person_id: str) -> PersonHistory:
        """One person's history (the hub withholds what this officer may not see)."""
        return self._typed(PersonHistory, "GET", f"/lookup/people/{person_id}")

    def person_record(self, person_id: str) -> PersonRecord:
        """One person's record in store form, for this terminal to hold a copy of."""
        return self._typed(PersonRecord, "GET", f"/lookup/people/{person_id}/record")

    def audit_head(self) -> AuditHead:
        """This terminal's audit chain head as the hub recorded it: entries and hash."""
        return self._typed(AuditHead, "GET", "/audit/head")
