"""`{% shared_fragment "name" vary... %}…{% endshared_fragment %}`: a piece of a town's page that is the same
for everyone, rendered once and then read from the town's page cache.

Every page ends with the same footer (the contact person, office hours, legal links, the language
switch); rendering it cost a signed-in resident about a millisecond on every page. The fragment is
cached per town (the cache's key function), language and the `vary` values, and forgotten with the
town's visitor-pages generation (core.page_cache.VISITOR_PAGES: any change in the town that a page may
show). Its `{% csrf_token %}` renders the placeholder that core.visitor_pages replaces with each
visitor's own token, so a form inside it stays personal.

Only for what shows nobody's personal data: the body must not read `user` or anything derived from it,
except what its `vary` values capture (the header's menu: which of its entries' permissions the visitor
has, core.nav.nav_audience). A person's own pieces inside are personal parts (`{% personal_part %}`):
the fragment keeps holes for them, filled for each visitor.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe

from core.page_cache import VISITOR_PAGES, cached
from core.resident_pages import holes_filled, holes_for_personal_parts, rendering_shared
from core.tenancy import connection
from core.visitor_pages import CSRF_PLACEHOLDER

register = template.Library()
SECONDS = 300


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, name: str, vary: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context: Any) -> SafeString:
        request = context.get("request")
        if connection.schema_name == "public" or request is None:  # no town, or no visitor to fill holes for
            return mark_safe(self.nodelist.render(context))
        values = "|".join(str(expression.resolve(context)) for expression in self.vary)
        digest = hashlib.blake2b(values.encode(), digest_size=12).hexdigest()

        def compute() -> str:
            # Personal parts inside (the account menu) are kept as holes, filled below for each person.
            with context.push(csrf_token=CSRF_PLACEHOLDER), holes_for_personal_parts(request):
                return str(self.nodelist.render(context))

        html = cached(f"shared-fragment:{self.name}:{digest}", (VISITOR_PAGES,), compute, seconds=SECONDS)
        if rendering_shared(request):
            return mark_safe(html)  # the page is shared too: its answers fill the holes (core.resident_pages)
        engine = context.template.engine
        filled = holes_filled(html.encode(), request, lambda name: str(engine.get_template(name).render(context)))
        return mark_safe(filled.decode())


@register.tag
def shared_fragment(parser: Parser, token: Token) -> SharedFragmentNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% shared_fragment \"name\" [vary ...] %} needs a quoted name")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])
