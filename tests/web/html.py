"""Reading rendered pages in tests: find elements by attribute and take their text, with Django's HTML parser."""

import json
import re

from django.test.html import parse_html


def tree(response):
    assert response.status_code == 200, response.status_code
    return parse_html(response.content.decode())


def find_all(node, attribute, value=None):
    """Elements under `node` (depth first) carrying `attribute`, equal to `value` when one is given."""
    for child in getattr(node, "children", []):
        if isinstance(child, str):
            continue
        attributes = dict(child.attributes)
        if attribute in attributes and (value is None or attributes[attribute] == str(value)):
            yield child
        yield from find_all(child, attribute, value)


def find(node, attribute, value=None):
    """The one element under `node` with `attribute` (= `value`); fails unless there is exactly one."""
    found = list(find_all(node, attribute, value))
    assert len(found) == 1, f"{len(found)} elements with {attribute}={value!r}"
    return found[0]


def text(node):
    """The element's text, unescaped, whitespace collapsed."""
    if isinstance(node, str):
        return node
    return " ".join(part for part in (text(child) for child in node.children) if part).strip()


def attribute(node, name):
    return dict(node.attributes)[name]


def page_data(response, script_id):
    """The JSON a page embeds for its script (json_script `script_id`)."""
    found = re.search(rf'<script id="{script_id}" type="application/json">(.*?)</script>', response.content.decode())
    return json.loads(found.group(1))
