"""Magnum's exceptions: each carries its HTTP status and a stable symbolic code.

Controllers and the conductor raise these; ``magnum.api.errors`` renders any of
them as the OpenStack error body. Bases are grouped by HTTP status; resource
errors subclass a base and name a ``error_code`` (``magnum.<resource>.<what>``)
that clients may match on, so a code is never changed or reused.

Only messages of exceptions marked ``safe`` reach clients verbatim; anything
else becomes a generic 500 whose detail is logged, never returned.
"""

from __future__ import annotations

from typing import Any

from magnum.i18n import _


class MagnumException(Exception):
    """Base of every magnum error; ``message`` is a %-template over kwargs."""

    message = _("An unknown exception occurred.")
    code = 500
    error_code = "magnum.error"
    safe = False

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        self.kwargs = kwargs
        if message is None:
            try:
                message = self.message % kwargs
            except (KeyError, TypeError):
                # A missing template key is a programming error; keep the
                # template rather than hiding the original failure.
                message = self.message
        super().__init__(message)

    def format_message(self) -> str:
        return str(self.args[0])


# --- 400 -------------------------------------------------------------------
class Invalid(MagnumException):
    message = _("Unacceptable parameters.")
    code = 400
    error_code = "magnum.invalid"
    safe = True


class InvalidParameterValue(Invalid):
    message = _("%(err)s")


class InvalidUUID(Invalid):
    message = _("Expected a uuid but received %(uuid)s.")


class InvalidName(Invalid):
    message = _("Expected a name but received %(name)s.")


class InvalidIdentity(Invalid):
    message = _("Expected a uuid or a name but received %(identity)s.")


class PatchError(Invalid):
    message = _("Couldn't apply patch '%(patch)s'. Reason: %(reason)s")
    error_code = "magnum.patch.invalid"


class NotSupported(Invalid):
    message = _("%(operation)s is not supported.")
    error_code = "magnum.not_supported"


class InvalidState(Invalid):
    message = _("%(resource)s %(ident)s is %(state)s; %(action)s needs one of: %(allowed)s.")
    error_code = "magnum.invalid_state"


class ClusterTypeNotSupported(Invalid):
    message = _(
        "Cluster type (%(server_type)s, %(os)s, %(coe)s) is not supported by any enabled driver."
    )
    error_code = "magnum.driver.not_supported"


class ClusterTemplateReferenced(Invalid):
    message = _("ClusterTemplate %(clustertemplate)s is referenced by one or more clusters.")
    error_code = "magnum.clustertemplate.in_use"


class ZeroNodeCountNotSupported(Invalid):
    message = _("node_count must be at least 1 before API version 1.10.")
    error_code = "magnum.cluster.zero_node_count"


class NGResizeOutBounds(Invalid):
    message = _(
        "Resizing %(nodegroup)s outside the allowed range: min_node_count = "
        "%(min_nc)s, max_node_count = %(max_nc)s."
    )
    error_code = "magnum.nodegroup.resize_out_of_bounds"


class InvalidCsr(Invalid):
    message = _("Received an invalid CSR: %(reason)s")
    error_code = "magnum.certificate.invalid_csr"


class CertificateKeyUnavailable(MagnumException):
    """The key that encrypts stored private keys is missing or wrong."""

    message = _("Stored certificate keys cannot be read: %(reason)s")
    code = 503
    error_code = "magnum.certificate.key_unavailable"
    safe = True


# --- 403 -------------------------------------------------------------------
class NotAuthorized(MagnumException):
    message = _("Not authorized.")
    code = 403
    error_code = "magnum.forbidden"
    safe = True


class PolicyNotAuthorized(NotAuthorized):
    message = _("Policy doesn't allow %(action)s to be performed.")
    error_code = "magnum.policy.forbidden"


class ClusterTemplatePublishDenied(NotAuthorized):
    message = _("Not authorized to set public or hidden flag for cluster template.")
    error_code = "magnum.clustertemplate.publish_denied"


class ResourceLimitExceeded(NotAuthorized):
    message = _("Resource limit exceeded: %(msg)s")
    error_code = "magnum.quota.exceeded"


# --- 404 -------------------------------------------------------------------
class NotFound(MagnumException):
    message = _("Resource could not be found.")
    code = 404
    error_code = "magnum.not_found"
    safe = True


class ResourceNotFound(NotFound):
    """A row of a named resource does not exist (or is not visible)."""

    message = _("%(resource)s %(ident)s could not be found.")

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        resource = str(kwargs.get("resource", "")).lower().replace(" ", "")
        if resource:
            self.error_code = f"magnum.{resource}.not_found"


# --- 406 -------------------------------------------------------------------
class NotAcceptable(MagnumException):
    message = _("Request not acceptable.")
    code = 406
    error_code = "magnum.not_acceptable"
    safe = True


class MicroversionUnsupported(NotAcceptable):
    message = _(
        "Version %(version)s was requested but the minor version is not "
        "supported by this service. The supported version range is: "
        "[%(min)s, %(max)s]."
    )
    error_code = "magnum.microversion-unsupported"


class InvalidMicroversion(NotAcceptable):
    message = _("Invalid value for %(header)s header: %(value)s. %(reason)s")
    error_code = "magnum.microversion-invalid"


class MethodNotSupportedForVersion(NotAcceptable):
    message = _(
        "Version %(version)s was requested but the requested API %(method)s "
        "is not supported for this version."
    )
    error_code = "magnum.microversion-unsupported"


# --- 415 -------------------------------------------------------------------
class UnsupportedMediaType(MagnumException):
    message = _("Request bodies must be application/json, not %(content_type)s.")
    code = 415
    error_code = "magnum.unsupported_media_type"
    safe = True


class RequestTooLarge(MagnumException):
    message = _("The request body is larger than the limit of %(limit)s bytes.")
    code = 413
    error_code = "magnum.too_large"
    safe = True


# --- 409 -------------------------------------------------------------------
class Conflict(MagnumException):
    message = _("Conflict.")
    code = 409
    error_code = "magnum.conflict"
    safe = True


class AmbiguousName(Conflict):
    message = _(
        "Multiple %(resource)ss exist with same name. Please use the %(resource)s uuid instead."
    )
    error_code = "magnum.name.ambiguous"


class AlreadyExists(Conflict):
    message = _("A %(resource)s with %(field)s %(value)s already exists.")
    error_code = "magnum.already_exists"


class ClusterLocked(Conflict):
    message = _(
        "Cluster %(cluster)s is locked by conductor %(host)s; try again "
        "when the operation in progress has finished."
    )
    error_code = "magnum.cluster.locked"


class OperationInProgress(Conflict):
    message = _("%(resource)s %(ident)s is %(state)s; wait until that finishes.")
    error_code = "magnum.operation_in_progress"


class MemberAlreadyExists(Conflict):
    message = _("Cluster %(member)s is already a member of federation %(federation)s.")
    error_code = "magnum.federation.member_exists"


class NodeGroupInvalidInput(Conflict):
    message = _("%(attr)s for %(nodegroup)s is invalid (%(expl)s).")
    error_code = "magnum.nodegroup.invalid_input"


class ClusterAPIAddressUnavailable(Conflict):
    message = _(
        "Cluster %(cluster)s has no API address yet; nodegroups can be added once "
        "it has been created."
    )
    error_code = "magnum.cluster.api_address_unavailable"


class ClusterNotReady(Conflict):
    message = _(
        "Bay %(cluster)s is %(state)s; containers run only on a bay whose status "
        "is one of the *_COMPLETE states."
    )
    error_code = "magnum.container.bay_not_ready"


class ContainerStateConflict(Conflict):
    message = _("Container %(container)s is %(state)s; %(action)s needs it %(needed)s.")
    error_code = "magnum.container.invalid_state"


class ContainerGone(Conflict):
    message = _(
        "The Docker container of container %(container)s is gone from node %(host)s "
        "(removed outside Magnum); it is now in Error, delete it."
    )
    error_code = "magnum.container.gone"


# --- 5xx -------------------------------------------------------------------
class ServiceUnavailable(MagnumException):
    message = _("The service is temporarily unavailable: %(reason)s")
    code = 503
    error_code = "magnum.unavailable"
    safe = True


class NoConductorAvailable(ServiceUnavailable):
    message = _("No conductor is running to handle this request.")
    error_code = "magnum.conductor.unavailable"


class ConductorTimeout(MagnumException):
    message = _("The conductor did not answer %(method)s within %(timeout)s seconds.")
    code = 504
    error_code = "magnum.conductor.timeout"
    safe = True


class DriverError(MagnumException):
    """The outside world (Docker, Heat, Kubernetes) failed an operation."""

    message = _("%(reason)s")
    code = 502
    error_code = "magnum.driver.error"
    safe = True


class KeystoneFailure(MagnumException):
    """Keystone refused or failed a call magnum made for a bay (trusts)."""

    message = _("Keystone: %(reason)s")
    code = 502
    error_code = "magnum.keystone.error"
    safe = True


class DatabaseUnavailable(MagnumException):
    message = _("The database at %(url)s cannot be reached: %(reason)s")
    code = 503
    error_code = "magnum.db.unavailable"
