"""What GitHub code scanning checks before it accepts a SARIF upload, as a reusable test helper.

From GitHub's "SARIF support for code scanning" (required properties, locations, limits) and
"SARIF results exceed one or more limits": a file is rejected as a whole when it breaks one of
these, so a test that calls :func:`upload_problems` catches a rejected upload before GitHub does.

- The log: ``version`` 2.1.0, ``$schema``, ``runs`` (1 to 20); gzip-compressed at most 10 MB.
- A run: ``tool.driver.name``; at most 100 tool extensions, 25,000 rules, 25,000 results.
- A rule (``reportingDescriptor``): a unique ``id``; ``shortDescription.text`` and
  ``fullDescription.text`` (at most 1,024 characters each); ``help.text``; ``properties.tags``
  (strings, at most 20); ``defaultConfiguration.level``, ``precision`` and ``problem.severity``
  from their documented values; ``security-severity`` absent or a number above 0.0 up to 10.0
  written as a string, on a rule tagged ``security``.
- A result: ``ruleId`` of a rule of the run (``ruleIndex``, if given, pointing at that rule);
  a valid ``level``; ``message.text``; 1 to 10 ``locations`` (1,000 at most in all);
  ``partialFingerprints``.
- A location: ``physicalLocation.artifactLocation.uri`` a file of the repository, relative to
  its root (no scheme, not absolute, no ``..``; ``uriBaseId`` only ``%SRCROOT%``), and
  ``region.startLine`` of at least 1 (columns, if given, at least 1). With ``source_root``, the
  file must exist there and have that line. Notifications' locations follow the same rule
  (their region is optional).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

MAX_RUNS = 20
MAX_RESULTS = 25_000
MAX_RULES = 25_000
MAX_EXTENSIONS = 100
MAX_LOCATIONS = 10
MAX_TAGS = 20
MAX_DESCRIPTION = 1_024
MAX_GZIP_BYTES = 10_000_000
LEVELS = {"none", "note", "warning", "error"}
RULE_LEVELS = {"note", "warning", "error"}
PRECISIONS = {"very-high", "high", "medium", "low"}
SEVERITIES = {"error", "warning", "recommendation"}


def _text(obj: Any, key: str) -> str | None:
    value = obj.get(key) if isinstance(obj, dict) else None
    text = value.get("text") if isinstance(value, dict) else None
    return text if isinstance(text, str) and text.strip() else None


def _location_problems(
    location: Any,
    where: str,
    source_root: Path | None,
    lines: dict[str, int | None],
    *,
    region_required: bool = True,
) -> list[str]:
    physical = location.get("physicalLocation") if isinstance(location, dict) else None
    artifact = physical.get("artifactLocation") if isinstance(physical, dict) else None
    uri = artifact.get("uri") if isinstance(artifact, dict) else None
    if not isinstance(uri, str) or not uri:
        return [f"{where}: physicalLocation.artifactLocation.uri is missing"]
    problems = []
    parts = urlsplit(uri)
    base = artifact.get("uriBaseId")
    if parts.scheme or parts.netloc:
        problems.append(
            f"{where}: {uri!r} is not a file of the repository (an absolute URI; code scanning "
            "accepts only paths relative to the repository root)"
        )
    elif uri.startswith("/") or ".." in PurePosixPath(unquote(uri)).parts or "\\" in uri:
        problems.append(f"{where}: {uri!r} is not a path relative to the repository root")
    elif base not in (None, "%SRCROOT%"):
        problems.append(f"{where}: uriBaseId {base!r} is not %SRCROOT%")
    region = physical.get("region") if isinstance(physical, dict) else None
    start = region.get("startLine") if isinstance(region, dict) else None
    if (region_required or start is not None) and (
        not isinstance(start, int) or isinstance(start, bool) or start < 1
    ):
        problems.append(f"{where}: region.startLine must be a line number (1 or more)")
    for key in ("startColumn", "endLine", "endColumn"):
        value = region.get(key) if isinstance(region, dict) else None
        if value is not None and (not isinstance(value, int) or value < 1):
            problems.append(f"{where}: region.{key} must be 1 or more")
    if problems or source_root is None:
        return problems
    relative = unquote(uri)
    if relative not in lines:
        path = source_root / relative
        lines[relative] = (
            len(path.read_text(encoding="utf-8").splitlines()) if path.is_file() else None
        )
    count = lines[relative]
    if count is None:
        return [f"{where}: {uri!r} is not a file of the repository at {source_root}"]
    if isinstance(start, int) and start > count:
        return [f"{where}: {uri!r} has {count} lines, not line {start}"]
    return []


def _rule_problems(rule: Any, where: str) -> list[str]:
    if not isinstance(rule, dict) or not isinstance(rule.get("id"), str) or not rule["id"]:
        return [f"{where}: a rule needs an id"]
    problems = []
    for key in ("shortDescription", "fullDescription"):
        text = _text(rule, key)
        if text is None:
            problems.append(f"{where} ({rule['id']}): {key}.text is missing")
        elif len(text) > MAX_DESCRIPTION:
            problems.append(f"{where} ({rule['id']}): {key}.text is over {MAX_DESCRIPTION} chars")
    if _text(rule, "help") is None:
        problems.append(f"{where} ({rule['id']}): help.text is missing")
    if len(rule.get("name") or "") > 255:
        problems.append(f"{where} ({rule['id']}): name is over 255 characters")
    level = (rule.get("defaultConfiguration") or {}).get("level")
    if level is not None and level not in RULE_LEVELS:
        problems.append(f"{where} ({rule['id']}): defaultConfiguration.level {level!r}")
    props = rule.get("properties") or {}
    tags = props.get("tags")
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) for t in tags):
        problems.append(f"{where} ({rule['id']}): properties.tags must list strings")
    elif len(tags) > MAX_TAGS:
        problems.append(f"{where} ({rule['id']}): {len(tags)} tags, more than {MAX_TAGS}")
    if props.get("precision") not in (None, *PRECISIONS):
        problems.append(f"{where} ({rule['id']}): precision {props['precision']!r}")
    if props.get("problem.severity") not in (None, *SEVERITIES):
        problems.append(f"{where} ({rule['id']}): problem.severity {props['problem.severity']!r}")
    if "security-severity" in props:
        value = props["security-severity"]
        try:
            score = float(value) if isinstance(value, str) else -1.0
        except ValueError:
            score = -1.0
        if not 0.0 < score <= 10.0:
            problems.append(
                f"{where} ({rule['id']}): security-severity {value!r} is not a number above "
                "0.0 up to 10.0 written as a string"
            )
        if not isinstance(tags, list) or "security" not in tags:
            problems.append(f"{where} ({rule['id']}): security-severity without a security tag")
    return problems


def upload_problems(
    sarif: Any, *, text: str | None = None, source_root: Path | None = None
) -> list[str]:
    """Every reason GitHub code scanning would reject this SARIF upload (empty: accepted).

    ``text`` is the file as written (for the size limit); ``source_root`` the repository
    checkout the locations must be files of."""
    if not isinstance(sarif, dict):
        return ["the SARIF log must be a JSON object"]
    problems = []
    if sarif.get("version") != "2.1.0":
        problems.append(f"version is {sarif.get('version')!r}, not '2.1.0'")
    if not isinstance(sarif.get("$schema"), str):
        problems.append("$schema is missing")
    if text is not None and len(gzip.compress(text.encode("utf-8"))) > MAX_GZIP_BYTES:
        problems.append(f"the file is over {MAX_GZIP_BYTES:,} bytes gzip-compressed")
    runs = sarif.get("runs")
    if not isinstance(runs, list) or not runs:
        return [*problems, "runs must list at least one run"]
    if len(runs) > MAX_RUNS:
        problems.append(f"{len(runs)} runs, more than {MAX_RUNS}")
    lines: dict[str, int | None] = {}
    for r, run in enumerate(runs):
        at = f"runs[{r}]"
        tool = run.get("tool") or {}
        driver = tool.get("driver") or {}
        if not isinstance(driver.get("name"), str) or not driver["name"]:
            problems.append(f"{at}: tool.driver.name is missing")
        extensions = tool.get("extensions") or []
        if len(extensions) > MAX_EXTENSIONS:
            problems.append(f"{at}: {len(extensions)} tool extensions, more than {MAX_EXTENSIONS}")
        rules = driver.get("rules") or []
        if len(rules) > MAX_RULES:
            problems.append(f"{at}: {len(rules)} rules, more than {MAX_RULES}")
        ids = []
        for i, rule in enumerate(rules):
            problems += _rule_problems(rule, f"{at}.tool.driver.rules[{i}]")
            ids.append(rule.get("id") if isinstance(rule, dict) else None)
        if len(set(ids)) != len(ids):
            problems.append(f"{at}: rule ids are not unique")
        results = run.get("results")
        if not isinstance(results, list):
            problems.append(f"{at}: results must be a list")
            continue
        if len(results) > MAX_RESULTS:
            problems.append(f"{at}: {len(results)} results, more than {MAX_RESULTS}")
        for i, result in enumerate(results):
            where = f"{at}.results[{i}]"
            rule_id = result.get("ruleId")
            if rule_id not in ids:
                problems.append(f"{where}: ruleId {rule_id!r} is not a rule of the run")
            index = result.get("ruleIndex")
            if index is not None and (
                not isinstance(index, int) or not 0 <= index < len(ids) or ids[index] != rule_id
            ):
                problems.append(f"{where}: ruleIndex {index!r} is not the rule {rule_id!r}")
            if result.get("level", "warning") not in LEVELS:
                problems.append(f"{where}: level {result.get('level')!r}")
            if _text(result, "message") is None:
                problems.append(f"{where}: message.text is missing")
            fingerprints = result.get("partialFingerprints")
            if not isinstance(fingerprints, dict) or not fingerprints:
                problems.append(f"{where}: partialFingerprints are missing")
            locations = result.get("locations")
            if not isinstance(locations, list) or not locations:
                problems.append(f"{where}: locations must list one location or more")
                continue
            if len(locations) > MAX_LOCATIONS:
                problems.append(f"{where}: {len(locations)} locations, more than {MAX_LOCATIONS}")
            for j, location in enumerate([*locations, *(result.get("relatedLocations") or [])]):
                problems += _location_problems(
                    location, f"{where}.location[{j}]", source_root, lines
                )
        for k, invocation in enumerate(run.get("invocations") or []):
            for n, note in enumerate(invocation.get("toolExecutionNotifications") or []):
                if _text(note, "message") is None:
                    problems.append(f"{at}.invocations[{k}].notification[{n}]: message.text")
                for j, location in enumerate(note.get("locations") or []):
                    where = f"{at}.invocations[{k}].notification[{n}].location[{j}]"
                    problems += _location_problems(
                        location, where, source_root, lines, region_required=False
                    )
    return problems


def assert_uploadable(text: str, source_root: Path | None = None) -> dict[str, Any]:
    """Parse a SARIF file's text and fail with every problem GitHub would reject it for."""
    data: dict[str, Any] = json.loads(text)
    problems = upload_problems(data, text=text, source_root=source_root)
    assert not problems, "GitHub code scanning would reject this upload:\n" + "\n".join(
        problems[:20]
    )
    return data
