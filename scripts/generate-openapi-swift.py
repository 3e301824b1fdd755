#!/usr/bin/env python3
"""Writes Sources/Emulator/OpenAPI/OpenAPIDocument.swift from openapi.yaml, so the binary serves the repository's file.

Usage: scripts/generate-openapi-swift.py   (run after editing openapi.yaml; a test fails until the two agree)
"""
import pathlib

root = pathlib.Path(__file__).resolve().parents[1]
text = (root / "openapi.yaml").read_text(encoding="utf-8")
if '"""#' in text:
    raise SystemExit('openapi.yaml must not contain """# (it ends the Swift raw string)')
body = "".join(("        " + line if line else "") + "\n" for line in text.splitlines())
swift = f'''/// The OpenAPI 3 description of the HTTP API, served at `GET /openapi.yaml`.
///
/// Generated from the repository's `openapi.yaml` by `scripts/generate-openapi-swift.py`: embedded so the binary
/// serves it wherever it runs (a container has no checkout). A test fails when the two differ.
enum OpenAPIDocument {{
    static let path = "/openapi.yaml"
    static let contentType = "application/yaml"
    static let text = #"""
{body}\n        """#
}}
'''
(root / "Sources/Emulator/OpenAPI/OpenAPIDocument.swift").write_text(swift, encoding="utf-8")
