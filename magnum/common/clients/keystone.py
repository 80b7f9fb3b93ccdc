"""Keystone as the conductor uses it: its own session, and a bay's trust.

Three kinds of sessions, all keystoneauth1:

* ``service_session()``: magnum's service user (``[keystone_auth]``, or the
  service credentials of ``[keystone_authtoken]`` when that names no
  ``auth_type``). It deletes trusts.
* ``trustee_admin_session()``: the trustee domain administrator of
  ``[trust]`` when configured, else the service session. It creates and
  deletes trustee users.
* ``caller_session(context)``: the API caller's own token, carried over RPC
  in the request context. Only the trustor may create a trust, so the trust
  is created with it while the token is fresh (right after the create
  request).

Every Keystone failure becomes ``KeystoneFailure`` (safe to show: it names
the operation and Keystone's status, never a credential).
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
import threading
from typing import Any

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
from oslo_config import cfg

from magnum.common import exception
from magnum.conf import keystone as keystone_conf

LOG = logging.getLogger(__name__)

_lock = threading.Lock()
_sessions: dict[str, ks_session.Session] = {}


@dataclasses.dataclass(frozen=True)
class Trustee:
    """The per-bay trustee user and the trust delegated to it."""

    user_id: str
    username: str
    password: str = dataclasses.field(repr=False)
    trust_id: str


def reset() -> None:
    """Forget cached sessions (tests, or after configuration changes)."""
    with _lock:
        _sessions.clear()


def _service_group(conf: cfg.ConfigOpts) -> str:
    if conf[keystone_conf.KEYSTONE_AUTH].auth_type:
        return keystone_conf.KEYSTONE_AUTH
    # keystonemiddleware registers these when the API builds it; the
    # conductor never does, so register them here (identical re-registration
    # is allowed by oslo.config).
    ks_loading.register_auth_conf_options(conf, keystone_conf.AUTHTOKEN)
    return keystone_conf.AUTHTOKEN


def service_auth(conf: cfg.ConfigOpts | None = None) -> Any:
    conf = cfg.CONF if conf is None else conf
    group = _service_group(conf)
    auth = ks_loading.load_auth_from_conf_options(conf, group)
    if auth is None:
        raise exception.KeystoneFailure(
            reason="magnum has no service credentials: set auth_type and its options "
            "in [keystone_auth] (or in [keystone_authtoken])."
        )
    return auth


def _cached(name: str, build: Any) -> ks_session.Session:
    with _lock:
        if name not in _sessions:
            _sessions[name] = build()
        return _sessions[name]


def _new_session(auth: Any, conf: cfg.ConfigOpts) -> ks_session.Session:
    return ks_loading.load_session_from_conf_options(conf, keystone_conf.KEYSTONE_AUTH, auth=auth)


def service_session(conf: cfg.ConfigOpts | None = None) -> ks_session.Session:
    conf = cfg.CONF if conf is None else conf
    return _cached("service", lambda: _new_session(service_auth(conf), conf))


def identity_url(conf: cfg.ConfigOpts | None = None) -> str:
    """The Keystone URL magnum authenticates against (its auth_url)."""
    auth = service_auth(conf)
    url = getattr(auth, "auth_url", None)
    if not url:
        raise exception.KeystoneFailure(reason="the service credentials name no auth_url.")
    return str(url)


def trustee_admin_session(conf: cfg.ConfigOpts | None = None) -> ks_session.Session:
    conf = cfg.CONF if conf is None else conf
    trust = conf.trust
    if not (trust.trustee_domain_admin_id or trust.trustee_domain_admin_name):
        return service_session(conf)

    def build() -> ks_session.Session:
        auth = v3.Password(
            auth_url=identity_url(conf),
            user_id=trust.trustee_domain_admin_id,
            username=trust.trustee_domain_admin_name,
            password=trust.trustee_domain_admin_password,
            user_domain_id=trust.trustee_domain_admin_domain_id or trust.trustee_domain_id,
            user_domain_name=trust.trustee_domain_admin_domain_name
            or (None if trust.trustee_domain_id else trust.trustee_domain_name),
            domain_id=trust.trustee_domain_id,
            domain_name=None if trust.trustee_domain_id else trust.trustee_domain_name,
        )
        return _new_session(auth, conf)

    return _cached("trustee_admin", build)


def caller_session(context: Any, conf: cfg.ConfigOpts | None = None) -> ks_session.Session:
    """A session acting as the API caller, from the token in ``context``."""
    if not getattr(context, "auth_token", None):
        raise exception.KeystoneFailure(
            reason="this cluster type needs a Keystone trust from its creator, but the "
            "request carried no token (is [DEFAULT] auth_strategy = keystone?)."
        )
    auth = v3.Token(
        auth_url=identity_url(conf),
        token=context.auth_token,
        project_id=context.project_id,
    )
    return _new_session(auth, cfg.CONF if conf is None else conf)


def _identity(conf: cfg.ConfigOpts) -> dict[str, Any]:
    """Where identity calls go: the catalog's v3 endpoint on the chosen interface."""
    return {
        "service_type": "identity",
        "interface": conf.trust.trustee_keystone_interface,
        "region_name": conf.trust.trustee_keystone_region_name,
        "version": (3, 0),
    }


def _call(
    session: ks_session.Session,
    method: str,
    path: str,
    what: str,
    conf: cfg.ConfigOpts,
    missing_ok: bool = False,
    secret: bool = False,
    **kwargs: Any,
) -> Any:
    try:
        # keystoneauth logs request bodies verbatim at DEBUG: never one that
        # carries a password.
        response = session.request(
            path, method, endpoint_filter=_identity(conf), log=not secret, **kwargs
        )
    except ks_exc.NotFound:
        if missing_ok:
            return None
        raise exception.KeystoneFailure(reason=f"{what}: not found.") from None
    except ks_exc.HttpError as err:
        raise exception.KeystoneFailure(
            reason=f"{what} was refused (HTTP {err.http_status}: {err.message})."
        ) from None
    except ks_exc.ClientException as err:
        raise exception.KeystoneFailure(
            reason=f"{what} failed: {type(err).__name__}: {err}."
        ) from None
    return response.json() if response.content else None


def trustee_domain_id(conf: cfg.ConfigOpts | None = None) -> str:
    conf = cfg.CONF if conf is None else conf
    trust = conf.trust
    if trust.trustee_domain_id:
        return trust.trustee_domain_id
    if not trust.trustee_domain_name:
        raise exception.KeystoneFailure(
            reason="this cluster type needs a trust, but [trust] names no "
            "trustee_domain_id or trustee_domain_name."
        )
    found = _call(
        service_session(conf),
        "GET",
        "/domains",
        f"looking up the trustee domain {trust.trustee_domain_name}",
        conf,
        params={"name": trust.trustee_domain_name},
    )
    domains = (found or {}).get("domains") or []
    if not domains:
        raise exception.KeystoneFailure(
            reason=f"the trustee domain {trust.trustee_domain_name} does not exist."
        )
    return str(domains[0]["id"])


def create_trust(
    context: Any, cluster: Any, conf: cfg.ConfigOpts | None = None, generation: int = 0
) -> Trustee:
    """A trustee user for ``cluster`` and a trust from the caller to it.

    ``generation`` > 0 names the user of a rotation apart from the one it
    replaces (user names are unique in the trustee domain).
    """
    conf = cfg.CONF if conf is None else conf
    caller = caller_session(context, conf)
    admin = trustee_admin_session(conf)
    username = f"{cluster.uuid}_{context.project_id}"
    if generation:
        username += f"_{generation}"
    password = secrets.token_urlsafe(24)
    user = _call(
        admin,
        "POST",
        "/users",
        f"creating the trustee user of cluster {cluster.uuid}",
        conf,
        secret=True,
        json={
            "user": {
                "name": username,
                "password": password,
                "domain_id": trustee_domain_id(conf),
                "enabled": True,
                "description": f"Trustee of magnum cluster {cluster.uuid}",
            }
        },
    )["user"]
    roles = list(conf.trust.roles) or list(context.roles or [])
    try:
        trust = _call(
            caller,
            "POST",
            "/OS-TRUST/trusts",
            f"creating the trust of cluster {cluster.uuid}",
            conf,
            json={
                "trust": {
                    "trustor_user_id": context.user_id,
                    "trustee_user_id": user["id"],
                    "project_id": context.project_id,
                    "impersonation": True,
                    "roles": [{"name": role} for role in roles],
                }
            },
        )["trust"]
    except exception.KeystoneFailure:
        _delete_user(admin, user["id"], conf)
        raise
    LOG.info(
        "Cluster %s: trust %s to trustee user %s created", cluster.uuid, trust["id"], user["id"]
    )
    return Trustee(user_id=user["id"], username=username, password=password, trust_id=trust["id"])


def _delete_user(session: ks_session.Session, user_id: str, conf: cfg.ConfigOpts) -> None:
    _call(session, "DELETE", f"/users/{user_id}", f"deleting trustee user {user_id}", conf, True)


def delete_trust(cluster: Any, conf: cfg.ConfigOpts | None = None) -> None:
    """Remove the bay's trust and trustee user; what is already gone is fine."""
    conf = cfg.CONF if conf is None else conf
    if cluster.trust_id:
        _call(
            service_session(conf),
            "DELETE",
            f"/OS-TRUST/trusts/{cluster.trust_id}",
            f"deleting trust {cluster.trust_id} of cluster {cluster.uuid}",
            conf,
            True,
        )
    if cluster.trustee_user_id:
        _delete_user(trustee_admin_session(conf), cluster.trustee_user_id, conf)
    LOG.info("Cluster %s: trust and trustee user deleted", cluster.uuid)


def node_credentials(cluster: Any, conf: cfg.ConfigOpts | None = None) -> dict[str, str]:
    """What a driver hands to a bay's nodes so they can call OpenStack APIs.

    The trust id is included only with ``[trust] cluster_user_trust``: with
    it, a node may act as the bay's owner.
    """
    conf = cfg.CONF if conf is None else conf
    return {
        "auth_url": identity_url(conf),
        "trustee_domain_id": trustee_domain_id(conf),
        "trustee_user_id": cluster.trustee_user_id or "",
        "trustee_username": cluster.trustee_username or "",
        "trustee_password": cluster.trustee_password or "",
        "trust_id": (cluster.trust_id or "") if conf.trust.cluster_user_trust else "",
    }


def project_exists(context: Any, project_id: str, conf: cfg.ConfigOpts | None = None) -> bool:
    """True when Keystone knows ``project_id`` (asked with the caller's token)."""
    conf = cfg.CONF if conf is None else conf
    found = _call(
        caller_session(context, conf),
        "GET",
        f"/projects/{project_id}",
        f"looking up project {project_id}",
        conf,
        missing_ok=True,
    )
    return found is not None
