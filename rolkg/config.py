"""Settings shared by the CLI, the store and the API: one dataclass, filled from flags and environment.

Precedence: explicit argument (command-line flag) > environment variable > default.

Environment variables: ``ROLKG_STORE`` (embedded store directory), ``ROLKG_ENDPOINT`` (SPARQL query URL of
a remote store), ``ROLKG_UPDATE_ENDPOINT`` (its update URL), ``ROLKG_STORE_ENDPOINT`` (its Graph Store
Protocol URL), ``ROLKG_QUERY_TIMEOUT`` (seconds), ``ROLKG_BASE_IRI``, ``ROLKG_HOST``, ``ROLKG_PORT``,
``ROLKG_MAX_ROWS``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from platformdirs import user_data_dir

from rolkg.errors import ConfigError

DEFAULT_BASE_IRI = "https://w3id.org/rolkg/"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_QUERY_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 10_000


def default_store_path() -> Path:
    """Where the embedded store lives when neither ``--store`` nor ``ROLKG_STORE`` says otherwise."""
    return Path(user_data_dir("rolkg", appauthor=False)) / "store"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a rolkg process needs to know about where its data is and how to serve it.

    ``endpoint`` set means a remote SPARQL 1.1 store is used instead of the embedded one at ``store_path``.
    """

    store_path: Path = field(default_factory=default_store_path)
    endpoint: str | None = None
    update_endpoint: str | None = None
    store_endpoint: str | None = None
    query_timeout: float = DEFAULT_QUERY_TIMEOUT
    base_iri: str | None = None  # public URL of this deployment; None: http://host:port/
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    max_rows: int = DEFAULT_MAX_ROWS

    @property
    def public_base(self) -> str:
        """The deployment's public base URL (``--base-iri``), used in links; never the request's Host."""
        if self.base_iri:
            return self.base_iri if self.base_iri.endswith("/") else self.base_iri + "/"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def remote(self) -> bool:
        """True when the data lives in a remote SPARQL store rather than the embedded one."""
        return self.endpoint is not None

    def with_overrides(self, **changes: object) -> Settings:
        """A copy with the given fields replaced; ``None`` values are ignored (flag not given)."""
        given = {k: v for k, v in changes.items() if v is not None}
        if "store_path" in given:
            given["store_path"] = Path(str(given["store_path"])).expanduser()
        return replace(self, **given)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``env`` (default: ``os.environ``), then ``overrides`` (flags) on top."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        if env.get("ROLKG_STORE"):
            values["store_path"] = Path(env["ROLKG_STORE"]).expanduser()
        for key, name in (
            ("endpoint", "ROLKG_ENDPOINT"),
            ("update_endpoint", "ROLKG_UPDATE_ENDPOINT"),
            ("store_endpoint", "ROLKG_STORE_ENDPOINT"),
            ("base_iri", "ROLKG_BASE_IRI"),
            ("host", "ROLKG_HOST"),
        ):
            if env.get(name):
                values[key] = env[name]
        for key, name, conv in (
            ("query_timeout", "ROLKG_QUERY_TIMEOUT", float),
            ("port", "ROLKG_PORT", int),
            ("max_rows", "ROLKG_MAX_ROWS", int),
        ):
            if env.get(name):
                try:
                    values[key] = conv(env[name])
                except ValueError:
                    raise ConfigError(f"{name}={env[name]!r} is not a valid {conv.__name__}") from None
        settings = cls(**values).with_overrides(**overrides)  # type: ignore[arg-type]
        settings.check()
        return settings

    def check(self) -> None:
        """Raise :class:`ConfigError` for values that cannot work (negative timeout, bad port …)."""
        if self.query_timeout <= 0:
            raise ConfigError(f"query timeout must be > 0 seconds, got {self.query_timeout}")
        if not 0 < self.port < 65536:
            raise ConfigError(f"port must be 1–65535, got {self.port}")
        if self.max_rows <= 0:
            raise ConfigError(f"max rows must be > 0, got {self.max_rows}")
        for name in ("endpoint", "update_endpoint", "store_endpoint", "base_iri"):
            url = getattr(self, name)
            if url is not None and not url.startswith(("http://", "https://")):
                raise ConfigError(f"{name} must be an http(s) URL, got {url!r}")
        if self.update_endpoint and not self.endpoint:
            raise ConfigError("an update endpoint needs a query endpoint too (--endpoint / ROLKG_ENDPOINT)")
