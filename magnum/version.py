"""The package version, as pbr computes it from git."""

import pbr.version

version_info = pbr.version.VersionInfo("magnum")
version_string = version_info.version_string
