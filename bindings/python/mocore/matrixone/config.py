"""MatrixOneConfig: the SDK's connection settings from defaults, ``MATRIXONE_*``
environment variables and overrides (in that order of precedence, the last wins).

==========================  ===============  ==========
variable                    setting          default
==========================  ===============  ==========
MATRIXONE_HOST              host             127.0.0.1
MATRIXONE_PORT              port             6001
MATRIXONE_USER              user             root
MATRIXONE_PASSWORD          password         111
MATRIXONE_DATABASE          database         test
MATRIXONE_CHARSET           charset          utf8mb4
MATRIXONE_CONNECT_TIMEOUT   connect_timeout  30
MATRIXONE_AUTOCOMMIT        autocommit       True
MATRIXONE_ON_CONNECT        on_connect       None (comma-separated actions: "enable_ivf,enable_hnsw")
==========================  ===============  =========="""

import os

__all__ = ["MatrixOneConfig", "get_config", "get_connection_params", "get_connection_kwargs",
           "get_client_kwargs", "print_config"]

_TRUE = ("true", "1", "yes", "on")


def _on_connect(text):
    actions = [a.strip() for a in text.split(",") if a.strip()]
    return actions or None


class MatrixOneConfig:
    """The configuration (class methods; see the module docstring)."""

    DEFAULT_CONFIG = {"host": "127.0.0.1", "port": 6001, "user": "root", "password": "111",
                      "database": "test", "charset": "utf8mb4", "connect_timeout": 30,
                      "autocommit": True, "on_connect": None}

    ENV_MAPPING = {name: "MATRIXONE_" + name.upper() for name in DEFAULT_CONFIG}

    #: how an environment value becomes the setting
    _CONVERT = {"port": int, "connect_timeout": int,
                "autocommit": lambda v: v.lower() in _TRUE, "on_connect": _on_connect}

    @classmethod
    def get_config(cls, **overrides):
        """Every setting: defaults, then the environment, then ``overrides``."""
        config = dict(cls.DEFAULT_CONFIG)
        for name, variable in cls.ENV_MAPPING.items():
            value = os.getenv(variable)
            if value is not None:
                config[name] = cls._CONVERT.get(name, str)(value)
        config.update(overrides)
        return config

    @classmethod
    def get_connection_params(cls, **overrides):
        """(host, port, user, password, database)."""
        c = cls.get_config(**overrides)
        return c["host"], c["port"], c["user"], c["password"], c["database"]

    @classmethod
    def get_connection_kwargs(cls, **overrides):
        """Keyword arguments of Client.connect (on_connect included)."""
        kwargs = cls._client_kwargs(cls.get_config(**overrides))
        kwargs["on_connect"] = cls.get_config(**overrides)["on_connect"]
        return kwargs

    @staticmethod
    def _client_kwargs(c):
        return {"host": c["host"], "port": c["port"], "user": c["user"],
                "password": c["password"], "database": c["database"], "charset": c["charset"],
                "connection_timeout": c["connect_timeout"], "auto_commit": c["autocommit"]}

    @classmethod
    def get_client_kwargs(cls, **overrides):
        """Keyword arguments of the Client constructor."""
        return cls._client_kwargs(cls.get_config(**overrides))

    @classmethod
    def print_config(cls, **overrides):
        """Print the settings (the password masked)."""
        print("MatrixOne Connection Configuration:")
        print("=" * 40)
        for key, value in cls.get_config(**overrides).items():
            if key == "password":
                value = "*" * len(str(value))
            elif key == "on_connect" and value is not None:
                value = type(value).__name__
            print(f"  {key}: {value}")
        print("=" * 40)


def get_config(**overrides):
    """MatrixOneConfig.get_config."""
    return MatrixOneConfig.get_config(**overrides)


def get_connection_params(**overrides):
    """MatrixOneConfig.get_connection_params."""
    return MatrixOneConfig.get_connection_params(**overrides)


def get_connection_kwargs(**overrides):
    """MatrixOneConfig.get_connection_kwargs."""
    return MatrixOneConfig.get_connection_kwargs(**overrides)


def get_client_kwargs(**overrides):
    """MatrixOneConfig.get_client_kwargs."""
    return MatrixOneConfig.get_client_kwargs(**overrides)


def print_config(**overrides):
    """MatrixOneConfig.print_config."""
    MatrixOneConfig.print_config(**overrides)
