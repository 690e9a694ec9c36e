#!/usr/bin/env python3
"""Bundles the Anomalie Adresse OpenAPI (shared/apis/reference/anomalie-adresse)
into one JSON document that schemathesis can read offline.

The OpenAPI's `$ref`s point at raw.githubusercontent.com/before-interop/common/v1/...;
the same files are under `common/` beside it (shared/apis/README.md). Every
reference into them is inlined (recursively, their own `#/...` references
resolved in their file); the main document's own `#/components/...`
references are kept. The download's five conditional headers come from
common's `tools/attachment/attachment.openapi.yaml`, which shared/ does not
ship: they are written here as that file declares them (string headers).

    scripts/openapi-bundle.py SPEC_DIR OUT.json
"""
import copy
import json
import os
import sys

import yaml

REMOTE = "https://raw.githubusercontent.com/before-interop/common/v1/"
DOWNLOAD_HEADERS = {
    name: {"name": name, "in": "header", "schema": {"type": "string"}}
    for name in ["If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", "Range"]
}


def load(path, cache={}):
    if path not in cache:
        with open(path, encoding="utf-8") as f:
            cache[path] = yaml.safe_load(f)
    return cache[path]


def pointer(doc, frag):
    node = doc
    for part in [p for p in frag.lstrip("/").split("/") if p]:
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def resolve(node, here, root_dir, main, depth=0):
    """Inlines every reference that leaves the main document."""
    if depth > 60:
        raise SystemExit(f"reference loop near {here}")
    if isinstance(node, list):
        return [resolve(n, here, root_dir, main, depth) for n in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        target, _, frag = ref.partition("#")
        if target.startswith(REMOTE + "tools/attachment/"):
            return copy.deepcopy(DOWNLOAD_HEADERS[frag.rsplit("/", 1)[-1]])
        if target.startswith(REMOTE):
            path = os.path.join(root_dir, target[len(REMOTE):])
        elif target:
            path = os.path.normpath(os.path.join(os.path.dirname(here), target))
        else:
            path = here
        if path == main:
            return {"$ref": "#" + frag}
        try:
            inlined = copy.deepcopy(pointer(load(path), frag))
        except (KeyError, IndexError):
            # The OpenAPI points at `Schema/allOf/1/properties/x`; the copies
            # under common/ keep `properties` beside `allOf`: the same field.
            # It also names `AttachmentBase` and `AttachmentMonoPart`, which
            # common/ (and its public repository) define as one `Attachment`.
            frag = frag.replace("/allOf/1/", "/")
            frag = frag.replace("/AttachmentBase", "/Attachment").replace("/AttachmentMonoPart", "/Attachment")
            inlined = copy.deepcopy(pointer(load(path), frag))
        extra = {k: v for k, v in node.items() if k != "$ref"}
        resolved = resolve(inlined, path, root_dir, main, depth + 1)
        if extra and isinstance(resolved, dict):
            resolved = {**resolved, **resolve(extra, here, root_dir, main, depth)}
        return resolved
    return {k: resolve(v, here, root_dir, main, depth) for k, v in node.items()}


def drop_read_only(node, name):
    if isinstance(node, dict):
        props = node.get("properties", {})
        if isinstance(props.get(name), dict):
            props[name].pop("readOnly", None)
        for v in node.values():
            drop_read_only(v, name)
    elif isinstance(node, list):
        for v in node:
            drop_read_only(v, name)


def main():
    spec_dir, out = sys.argv[1], sys.argv[2]
    main_path = os.path.join(spec_dir, "openapi.yaml")
    doc = load(main_path)
    bundled = resolve(doc, main_path, spec_dir, main_path)
    # The base schema declares `relatedEntity` an object "to be overridden in
    # child classes", while the TroubleTicket it extends (and every child)
    # declares a list: no body can satisfy both, so the base's own type goes.
    base = bundled["components"]["schemas"]["AnomalieAdresseBase"]["allOf"][1]["properties"]
    base["relatedEntity"].pop("type", None)
    # Entity declares `@type` read-only, the ticket requires it and says it
    # is not read-only (`readOnly: false`): a client sends it, so it is not.
    drop_read_only(bundled["components"]["schemas"]["AnomalieAdresseBase"]["allOf"][0], "@type")
    # The simulator serves the paths at its root (the base URL is configurable).
    bundled["servers"] = [{"url": "/"}]
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        # YAML reads an example `2024-01-01` as a date: JSON writes it as text.
        json.dump(bundled, f, indent=1, ensure_ascii=False, default=str)


if __name__ == "__main__":
    main()
