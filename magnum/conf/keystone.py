"""[keystone_auth] and [trust]: magnum's own Keystone credentials and bay trusts.

``[keystone_authtoken]`` (keystonemiddleware, registered by the middleware
itself) validates the tokens of API callers. The conductor needs credentials
of its own to act later on behalf of a bay's owner: ``[keystone_auth]`` holds
them as keystoneauth1 options (``auth_type = password``, ``auth_url``,
``username`` ...). When ``[keystone_auth]`` names no ``auth_type``, the
service user of ``[keystone_authtoken]`` is used, so an operator who
configured the middleware like any other OpenStack service needs nothing more.

``[trust]`` says where the per-bay trustee users live and what a trust
delegates; it is used only for bays whose driver asks for a trust
(``ClusterDriver.needs_trust``).
"""

import copy

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

KEYSTONE_AUTH = "keystone_auth"
AUTHTOKEN = "keystone_authtoken"

keystone_auth_group = cfg.OptGroup(
    KEYSTONE_AUTH,
    title="Credentials of the magnum service in Keystone",
    help="keystoneauth1 session and auth plugin options of the magnum service "
    "user (trusts for bays, calls to other services). Typically auth_type = "
    "password with auth_url, username, password, user_domain_name, "
    "project_name and project_domain_name: the options of the chosen plugin "
    "(see keystoneauth1's plugin documentation). Leave auth_type unset to "
    "use the service credentials of [keystone_authtoken].",
)

trust_group = cfg.OptGroup(
    "trust",
    title="Trusts for bays",
    help="A bay whose driver needs it (e.g. Heat) gets a trustee user in "
    "trustee_domain and a Keystone trust from the bay's creator to that user, "
    "so magnum can act for the owner later. Both are deleted with the bay.",
)

trust_opts = [
    cfg.StrOpt(
        "trustee_domain_id",
        help="Id of the Keystone domain holding the trustee users of bays. "
        "Required when a bay needs a trust, unless trustee_domain_name is set.",
    ),
    cfg.StrOpt(
        "trustee_domain_name",
        help="Name of the trustee domain (used when trustee_domain_id is unset).",
    ),
    cfg.StrOpt(
        "trustee_domain_admin_id",
        help="User id of an administrator of the trustee domain, who creates "
        "and deletes trustee users. Unset: the [keystone_auth] service user "
        "does it (it then needs the admin role).",
    ),
    cfg.StrOpt(
        "trustee_domain_admin_name",
        help="User name of the trustee domain administrator (with "
        "trustee_domain_admin_domain_id or _name when the name is not unique).",
    ),
    cfg.StrOpt(
        "trustee_domain_admin_domain_id",
        help="Domain of trustee_domain_admin_name; defaults to the trustee domain.",
    ),
    cfg.StrOpt(
        "trustee_domain_admin_domain_name",
        help="Domain name of trustee_domain_admin_name.",
    ),
    cfg.StrOpt(
        "trustee_domain_admin_password",
        secret=True,
        help="Password of the trustee domain administrator.",
    ),
    cfg.ListOpt(
        "roles",
        default=[],
        help="Roles the trust delegates. Empty: every role the creator holds "
        "on the bay's project at creation time.",
    ),
    cfg.StrOpt(
        "trustee_keystone_interface",
        default="public",
        choices=["public", "internal", "admin"],
        help="Catalog interface of the identity endpoint magnum uses for "
        "trustee users and trusts.",
    ),
    cfg.StrOpt(
        "trustee_keystone_region_name",
        help="Region of the identity endpoint for trustee users and trusts; "
        "unset: whatever region the catalog offers.",
    ),
    cfg.BoolOpt(
        "cluster_user_trust",
        default=False,
        help="Give the bay's nodes the trust id with the trustee credentials, "
        "so software on the nodes (volume or registry plugins) may call "
        "OpenStack APIs as the bay's owner. This widens what a compromised "
        "node can do; leave it off unless a template needs it. It does not "
        "affect the trust magnum itself uses.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    # oslo.config copies a group shallowly, so every ConfigOpts registered
    # with the module-level object would share its options and overrides
    # (and the auth plugin's required options, once loaded): give each its own.
    conf.register_group(copy.deepcopy(keystone_auth_group))
    ks_loading.register_session_conf_options(conf, KEYSTONE_AUTH)
    ks_loading.register_auth_conf_options(conf, KEYSTONE_AUTH)
    conf.register_group(copy.deepcopy(trust_group))
    conf.register_opts(trust_opts, group=trust_group.name)


def list_opts() -> dict:
    # The auth plugin's own options (auth_url, username, ...) depend on
    # auth_type and are registered when the plugin loads, so they are not
    # listed here; the group's help names the usual ones.
    auth_opts = ks_loading.get_auth_common_conf_options()
    return {
        keystone_auth_group: ks_loading.get_session_conf_options() + auth_opts,
        trust_group: trust_opts,
    }
