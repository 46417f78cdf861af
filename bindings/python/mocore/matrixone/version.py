"""The SDK's version API: VersionInfo, VersionManager, FeatureRequirement, requires_version.

Server version strings are read by mocore's one parser (mo_server_version_parse, the SDK's
rules: "8.0.30-MatrixOne-v4.2.0" -> 4.2.0, "...-v3.0" -> 3.0.99999, "...-v" -> 999.0.0, the
development build). The features the SDK registers by default are the table FEATURES below
(one table; mocore's C core keeps none)."""

import enum
import functools
import re
from dataclasses import dataclass
from typing import Optional

from .exceptions import VersionError

__all__ = ["VersionComparison", "VersionInfo", "FeatureRequirement", "VersionManager",
           "VersionError", "get_version_manager", "requires_version", "parse_server_version",
           "FEATURES"]


class VersionComparison(enum.Enum):
    """The result of VersionManager.compare_versions."""
    LESS = -1
    EQUAL = 0
    GREATER = 1


@dataclass(eq=False)
class VersionInfo:
    """major.minor.patch, ordered as versions are."""
    major: int
    minor: int
    patch: int

    def _key(self):
        return (self.major, self.minor, self.patch)

    def __str__(self):
        return f"{self.major}.{self.minor}.{self.patch}"

    def __repr__(self):
        return f"VersionInfo({self.major}, {self.minor}, {self.patch})"

    def __eq__(self, other):
        return isinstance(other, VersionInfo) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __lt__(self, other):
        return self._key() < other._key()

    def __le__(self, other):
        return self._key() <= other._key()

    def __gt__(self, other):
        return self._key() > other._key()

    def __ge__(self, other):
        return self._key() >= other._key()


@dataclass
class FeatureRequirement:
    """The versions a feature needs (``min_version``/``max_version``: VersionInfo or text)."""
    feature_name: str
    min_version: Optional[VersionInfo] = None
    max_version: Optional[VersionInfo] = None
    description: Optional[str] = None
    alternative: Optional[str] = None


_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def parse_server_version(version_string):
    """The MatrixOne release ("4.2.0") a server version string names, by mocore's parser;
    None for a string that names no MatrixOne release (MySQL, MariaDB, unparsable)."""
    if not version_string:
        return None
    from .. import mocore_core as core
    try:
        kind, major, minor, patch = core.mo_server_version_parse(version_string.strip())
    except Exception:  # noqa: BLE001 — unparsable: no version
        return None
    if kind != 1:  # MO_SERVER_MATRIXONE
        return None
    return f"{major}.{minor}.{patch}"


class VersionManager:
    """Version parsing and comparison, the backend version, and feature requirements."""

    VERSION_PATTERN = _VERSION

    def __init__(self):
        self._current_backend_version = None
        self._feature_requirements = {}
        self._version_hints = {}

    def parse_version(self, version_string):
        """VersionInfo of "major.minor.patch" (ValueError otherwise)."""
        if isinstance(version_string, VersionInfo):
            return version_string
        if not isinstance(version_string, str):
            raise ValueError(f"Version string must be a string, got {type(version_string)}")
        m = _VERSION.match(version_string.strip())
        if not m:
            raise ValueError(f"Invalid version format: '{version_string}'. "
                             "Expected format: major.minor.patch (e.g., 3.0.1)")
        return VersionInfo(*map(int, m.groups()))

    def compare_versions(self, version1, version2):
        """VersionComparison of version1 against version2."""
        a, b = self.parse_version(version1), self.parse_version(version2)
        if a == b:
            return VersionComparison.EQUAL
        return VersionComparison.GREATER if a > b else VersionComparison.LESS

    def is_version_compatible(self, required_version, current_version=None, operator=">="):
        """Whether ``current_version`` (default: the backend's; True when unknown)
        ``operator`` ``required_version``."""
        if current_version is None:
            current_version = self._current_backend_version
        if current_version is None:
            return True
        c = self.compare_versions(current_version, required_version).value
        checks = {">=": c >= 0, ">": c > 0, "<=": c <= 0, "<": c < 0, "==": c == 0, "!=": c != 0}
        if operator not in checks:
            raise ValueError(f"Unsupported operator: {operator}")
        return checks[operator]

    def set_backend_version(self, version):
        """Set the backend version (text or VersionInfo)."""
        self._current_backend_version = self.parse_version(version)

    def get_backend_version(self):
        """The backend version (VersionInfo) or None."""
        return self._current_backend_version

    def is_development_version(self, version=None):
        """True for a development build (999.x.x)."""
        version = self._current_backend_version if version is None else self.parse_version(version)
        return version is not None and version.major == 999

    def _parse_matrixone_version(self, version_string):
        return parse_server_version(version_string)

    def register_feature_requirement(self, feature_requirement):
        """Register (or replace) a feature's requirement."""
        self._feature_requirements[feature_requirement.feature_name] = feature_requirement

    def _within(self, requirement, current):
        if requirement.min_version and not self.is_version_compatible(
                self.parse_version(requirement.min_version), current, ">="):
            return False
        if requirement.max_version and not self.is_version_compatible(
                self.parse_version(requirement.max_version), current, "<="):
            return False
        return True

    def is_feature_available(self, feature_name):
        """Whether the backend version meets the feature's requirement (True for an
        unregistered feature or an unknown backend version)."""
        requirement = self._feature_requirements.get(feature_name)
        current = self._current_backend_version
        if requirement is None or current is None:
            return True
        return self._within(requirement, current)

    def get_feature_info(self, feature_name):
        """The feature's FeatureRequirement, or None."""
        return self._feature_requirements.get(feature_name)

    def get_version_hint(self, feature_name, error_context=""):
        """A message saying why a feature is unavailable and what to do instead."""
        requirement = self._feature_requirements.get(feature_name)
        if requirement is None:
            return f"Feature '{feature_name}' is not registered for version checking."
        current = self._current_backend_version
        if current is None:
            return "Backend version is not set. Please set the backend version using set_backend_version()."
        hints = []
        if requirement.min_version and not self.is_version_compatible(
                self.parse_version(requirement.min_version), current, ">="):
            hints.append(f"Feature '{feature_name}' requires backend version "
                         f"{requirement.min_version} or higher, but current version is {current}")
        if requirement.max_version and not self.is_version_compatible(
                self.parse_version(requirement.max_version), current, "<="):
            hints.append(f"Feature '{feature_name}' is not supported in backend version "
                         f"{requirement.max_version} or higher, but current version is {current}")
        if requirement.alternative:
            hints.append(f"Alternative: {requirement.alternative}")
        if requirement.description:
            hints.append(f"Description: {requirement.description}")
        if error_context:
            hints.append(f"Context: {error_context}")
        return "\n".join(hints)


#: The features the SDK registers by default: name -> (min version, description, alternative)
FEATURES = {
    "snapshot_cluster_level": ("1.0.0", "Cluster-level snapshot functionality",
                               "Use database-level snapshots instead"),
    "snapshot_account_level": ("1.0.0", "Account-level snapshot functionality",
                               "Use database-level snapshots instead"),
    "pitr_point_in_time_recovery": ("1.0.0", "Point-in-time recovery functionality",
                                    "Use snapshot restore instead"),
    "pubsub_publications": ("1.0.0", "Publication and subscription functionality",
                            "Use direct table queries instead"),
    "account_management": ("1.0.0", "Account and user management functionality",
                           "Use SQL DDL statements directly"),
}

_version_manager = VersionManager()
for _name, (_min, _desc, _alt) in FEATURES.items():
    _version_manager.register_feature_requirement(
        FeatureRequirement(_name, _version_manager.parse_version(_min), None, _desc, _alt))


def get_version_manager():
    """The process-wide VersionManager the clients set the backend version of."""
    return _version_manager


def requires_version(min_version=None, max_version=None, feature_name=None, description=None,
                     alternative=None, raise_error=True):
    """Decorator: the function runs only when the backend version is within
    [min_version, max_version]; otherwise VersionError (or None with raise_error=False)."""
    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            feature = feature_name or func.__name__
            if feature not in _version_manager._feature_requirements:
                _version_manager.register_feature_requirement(FeatureRequirement(
                    feature, _version_manager.parse_version(min_version) if min_version else None,
                    _version_manager.parse_version(max_version) if max_version else None,
                    description, alternative))
            if not _version_manager.is_feature_available(feature):
                if raise_error:
                    hint = _version_manager.get_version_hint(feature, f"Method: {func.__name__}")
                    raise VersionError(f"Feature '{feature}' is not available in current "
                                       f"backend version.\n{hint}")
                import warnings
                warnings.warn(f"Feature '{feature}' is not available in current backend version")
                return None
            return func(*args, **kwargs)

        wrapper._version_requirement = {"min_version": min_version, "max_version": max_version,
                                        "feature_name": feature_name, "description": description,
                                        "alternative": alternative}
        return wrapper
    return decorator
