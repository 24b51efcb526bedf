#!/usr/bin/env python3
"""docs/openapi.yaml is read by tools, not only by people: it must parse as
YAML and have the shape of an OpenAPI 3 document. (The unit test
api_every_route_is_in_openapi keeps its routes in step with the route table.)
Prints one "ok - " or "not ok - " line per check and "N passed, N failed"."""
import sys

import yaml

results = []


def check(name, cond, why=""):
    results.append(bool(cond))
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else ": " + why))


try:
    doc = yaml.safe_load(open("docs/openapi.yaml", encoding="utf-8"))
    check("openapi_yaml_parses", True)
except yaml.YAMLError as e:
    doc = None
    check("openapi_yaml_parses", False, str(e).replace("\n", " "))

if doc is not None:
    check("openapi_version_is_3", str(doc.get("openapi", "")).startswith("3."), "openapi: 3.x")
    paths = doc.get("paths") or {}
    bad = [p for p, ops in paths.items()
           if not isinstance(ops, dict) or not any(
               m in ops and isinstance(ops[m], dict) and "responses" in ops[m]
               for m in ("get", "post", "put", "patch", "delete"))]
    check("openapi_every_path_has_an_operation_with_responses", paths and not bad,
          ", ".join(bad[:5]))

print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
sys.exit(0 if all(results) else 1)
