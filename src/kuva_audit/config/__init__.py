"""services.yaml: the models and the loader that reports problems with line numbers."""

from kuva_audit.config.loader import ConfigProblems, LoadedConfig, load_config
from kuva_audit.config.models import Config, Service, Settings

__all__ = ["Config", "ConfigProblems", "LoadedConfig", "Service", "Settings", "load_config"]
