"""Magnum: container infrastructure management for OpenStack clouds."""

from oslo_service import backend as _service_backend

# No eventlet anywhere: oslo.messaging imports oslo.service, whose default
# backend loads eventlet. Choose its threading backend before anything does.
_service_backend.register_backend_default_hook(lambda: _service_backend.BackendType.THREADING)
