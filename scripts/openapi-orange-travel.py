#!/usr/bin/env python3
"""Orange Travel B2B's OpenAPI (tests/openapi/orange-travel-b2b.openapi.json),
mended where no server could satisfy it, for schemathesis.

One mend, and why: the product's `metadata` (TopupMetadata | SimMetadata)
and a transaction's `parameters` (TopupParameters | SimParameters) are
`oneOf` two object schemas that nothing tells apart: no `required`, no
`discriminator`, no `additionalProperties: false`, no shared property of
different types. Under `oneOf` ("exactly one") every object matches both,
so no answer Orange could give validates, the prose document's own
examples included. `anyOf` is what the document means; it is written here,
and only here. The check fails if the published document changes so that
the mend no longer applies (it is then to be looked at again).

Nothing else is changed: money declared `integer`, dates declared
`date-time` and the enums are answered as declared by the simulator.

    scripts/openapi-orange-travel.py IN.json OUT.json
"""
import json
import sys

MENDED = [
    ("ProductLight", "metadata"),
    ("TransactionCreation", "parameters"),
    ("DistributorTransaction", "parameters"),
]


def main(src, out):
    doc = json.load(open(src))
    schemas = doc["components"]["schemas"]
    for schema, prop in MENDED:
        p = schemas[schema]["properties"][prop]
        if "oneOf" not in p or len(p["oneOf"]) != 2:
            sys.exit(f"openapi-orange-travel: {schema}.{prop} is no longer a oneOf of two: look at the mend again")
        p["anyOf"] = p.pop("oneOf")
    json.dump(doc, open(out, "w"), indent=1)


if __name__ == "__main__":
    main(*sys.argv[1:])
