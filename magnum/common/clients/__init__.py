"""Authenticated clients of the services magnum talks to (Keystone, Heat)."""
