# Partial stubs for django-tenants 4.0.1 (it ships no type information): only what
# platform/core, tenants and billing use, so strict mypy checks those calls.
# Names not declared here are Any (module-level __getattr__).
from typing import Any

def __getattr__(name: str) -> Any: ...
