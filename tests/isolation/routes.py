"""Enumerate every route of a URLconf from the resolver, so no route escapes the isolation suite."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name" or the bare route
    template: str  # e.g. "news/<slug:slug>/"
    params: tuple[str, ...]

    def fill(self, values: dict[str, object]) -> str:
        path = self.template
        for param in self.params:
            path = re.sub(r"<(?:\w+:)?" + param + ">", str(values[param]), path)
        return "/" + path


def _route_text(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    # regex patterns (allauth uses some): turn named groups into <name>
    text = pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
    return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text)


def all_routes(urlconf: str) -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            text = prefix + _route_text(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, text, ns)
            elif isinstance(entry, URLPattern):
                params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", text))
                name = f"{namespace}{entry.name}" if entry.name else text
                routes.append(Route(name=name, template=text, params=params))

    walk(get_resolver(urlconf).url_patterns, "", "")
    return routes


def dependants_of(key: str) -> list[str]:
    """Modules that require `key`, directly or through another, each listed before the ones it requires.

    Switch them off in this order before `key` (tenant_module_disable refuses otherwise), on again in reverse.
    """
    from core.modules import all_modules

    modules = all_modules()
    found: list[str] = []

    def visit(required: str) -> None:
        for other, module in modules.items():
            if required in module.spec.requires and other not in found:
                visit(other)
                found.append(other)

    visit(key)
    return found
