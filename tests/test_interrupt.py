"""An interrupted run leaves complete result files or none: never a partial one."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kuva_audit.audit.results import ServiceRun

from .conftest import Site, interruptible, service, write_config

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_run_leaves_no_partial_file(
    tmp_path: Path, site: Site, signum: signal.Signals
) -> None:
    config = write_config(
        tmp_path / "services.yaml",
        service("quick", site.origin + "/clean/", ["/"])
        + service("slow", site.origin + "/", ["/slow?1", "/slow?2", "/slow?3", "/slow?4"]),
        defaults="  concurrency: 1\n  timeout_s: 30\n",
    )
    out = tmp_path / "audits"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kuva_audit",
            "audit",
            "--config",
            str(config),
            "--out-dir",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=interruptible,
    )
    # Wait for the quick service's file however slow the machine is (a loaded 2-core machine
    # took over a minute): the bound only stops a run that never writes it.
    deadline = time.monotonic() + 900
    while not list(out.glob("*/quick.json")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "quick.json was never written"
        time.sleep(0.1)
    time.sleep(1.0)  # the slow service is most likely in flight (if not, nothing changes)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=600)

    assert proc.returncode == 1
    assert "interrupted" in stderr and "Traceback" not in stderr
    written = sorted(p.name for p in out.rglob("*") if p.is_file())
    assert written == ["quick.json"]  # no slow.json, no temporary file left behind
    (quick,) = out.glob("*/quick.json")
    assert ServiceRun.model_validate_json(quick.read_text()).totals.ok == 1
