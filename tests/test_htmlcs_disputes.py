"""HTML_CodeSniffer's errors on a criterion axe-core tested and passed are for review."""

from __future__ import annotations

from kuva_audit.audit.beyond import _disputed
from kuva_audit.audit.results import Finding


def _finding(rule: str, engine: str, wcag: list[str]) -> Finding:
    return Finding(
        rule=rule,
        engine=engine,  # type: ignore[arg-type]
        impact="moderate",
        wcag=wcag,
        level="A",
        legal=True,
        tags=[],
        description="",
        help="",
        help_url="",
        nodes=[],
    )


def test_errors_where_axe_passed_the_criterion_are_disputed() -> None:
    criteria = {"color-contrast": ["1.4.3"], "label": ["4.1.2"], "image-alt": ["1.1.1"]}
    contrast = _finding("htmlcs:1.4.3:G18.Fail", "htmlcs", ["1.4.3"])
    name = _finding("htmlcs:4.1.2:H91.InputText.Name", "htmlcs", ["4.1.2"])
    table = _finding("htmlcs:1.3.1:H43.HeadersRequired", "htmlcs", ["1.3.1"])
    axe_label = _finding("label", "axe-core", ["4.1.2"])
    certain, disputed = _disputed(
        [contrast, name, table], [axe_label], [], ["color-contrast", "label"], criteria
    )
    # 1.4.3: axe passed and found nothing -> review; 4.1.2: axe failed it too -> certain;
    # 1.3.1: axe did not pass any rule for it -> certain.
    assert [f.rule for f in disputed] == [contrast.rule]
    assert [f.rule for f in certain] == [name.rule, table.rule]


def test_errors_where_axe_could_not_decide_are_disputed() -> None:
    contrast = _finding("htmlcs:1.4.3:G18.Fail", "htmlcs", ["1.4.3"])
    unsure = _finding("color-contrast", "axe-core", ["1.4.3"])
    certain, disputed = _disputed([contrast], [], [unsure], [], {})
    assert (certain, [f.rule for f in disputed]) == ([], [contrast.rule])
