"""Refresh the bundled HTML_CodeSniffer from the npm registry.

    python scripts/refresh_htmlcs.py [--version 2.6.0]

Runs ``npm pack @pa11y/html_codesniffer@VERSION`` in a temporary folder, takes the built
``build/HTMLCS.js`` and its licence, and writes them to ``src/kuva_audit/audit/vendor/`` with
``htmlcs.json`` (package, version, licence, SHA-256 of the script). Commit the three files;
``kuva_audit.audit.htmlcs`` refuses a script whose checksum does not match.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@pa11y/html_codesniffer"
DEFAULT_VERSION = "2.6.0"
VENDOR = Path(__file__).resolve().parent.parent / "src" / "kuva_audit" / "audit" / "vendor"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=DEFAULT_VERSION)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        done = subprocess.run(
            ["npm", "pack", f"{PACKAGE}@{args.version}", "--silent"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"npm pack {PACKAGE}@{args.version} failed: {done.stderr.strip()}")
            return 1
        tarball = folder / done.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as archive:
            script = _member(archive, "package/build/HTMLCS.js")
            licence = _member(archive, "package/licence.txt")
            manifest = json.loads(_member(archive, "package/package.json"))
    if manifest.get("version") != args.version:
        print(f"npm pack returned version {manifest.get('version')}, not {args.version}")
        return 1
    VENDOR.mkdir(parents=True, exist_ok=True)
    (VENDOR / "HTMLCS.js").write_bytes(script)
    (VENDOR / "HTMLCS-licence.txt").write_bytes(licence)
    info = {
        "package": PACKAGE,
        "version": manifest["version"],
        "license": manifest.get("license", ""),
        "file": "HTMLCS.js",
        "sha256": hashlib.sha256(script).hexdigest(),
    }
    (VENDOR / "htmlcs.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    print(f"{PACKAGE} {info['version']} written to {VENDOR} (sha256 {info['sha256'][:16]}…)")
    return 0


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    extracted = archive.extractfile(name)
    if extracted is None:
        raise SystemExit(f"{name} is missing from the npm package")
    return extracted.read()


if __name__ == "__main__":
    sys.exit(main())
