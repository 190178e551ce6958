"""An export killed halfway (kill -9) leaves its temporary files beside the target, named
with its process id, openpyxl's temporary sheets among them (not in the system's temporary
folder); the next write to that folder removes those of processes no longer running."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from rectrack.io import formats

KILLED_AT_SAVE = """
import os, signal, sys
import openpyxl.workbook.workbook as wb
def killed(self, filename):
    os.kill(os.getpid(), signal.SIGKILL)
wb.Workbook.save = killed
from rectrack.cli import main
sys.argv = ["rectrack", "export", sys.argv[1]]
main()
"""


def dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(done.stdout)


def test_a_killed_export_leaves_its_files_beside_the_target_and_the_next_removes_them(
    cli, sample, home, tmp_path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {
        "RECTRACK_HOME": str(home),
        "TMPDIR": str(temp),
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    target = out / "meeting.xlsx"
    done = subprocess.run(
        [sys.executable, "-c", KILLED_AT_SAVE, str(target)], env=env, capture_output=True
    )
    assert done.returncode == -9, done.stderr
    left = sorted(p.name for p in out.iterdir())
    assert not target.exists()
    assert any(n.endswith(".sheet.tmp") for n in left), left  # openpyxl's sheets
    assert all(n.startswith(".rectrack-") and n.endswith(".tmp") for n in left), left
    assert list(temp.iterdir()) == []  # nothing in the system's temporary folder
    cli.ok("export", target)
    assert sorted(p.name for p in out.iterdir()) == ["meeting.xlsx"]


def test_only_the_files_of_processes_gone_are_removed(tmp_path) -> None:
    gone, alive = dead_pid(), os.getppid()
    names = {
        f".rectrack-{gone}-abc123.tmp": False,
        f".rectrack-{gone}-def_45.xml.sheet.tmp": False,
        f".rectrack-{alive}-ghi678.tmp": True,
        ".rectrack-oldname1.tmp": False,  # the first versions' name, two days old
        ".rectrack-newname.tmp": True,  # ... written a moment ago: perhaps in use
        ".rectrack-notes.txt": True,  # not one of ours
        "report.tmp": True,
    }
    for name in names:
        (tmp_path / name).write_text("x")
    old = time.time() - 2 * 24 * 3600
    os.utime(tmp_path / ".rectrack-oldname1.tmp", (old, old))
    removed = formats.remove_stale_temporary_files(tmp_path)
    assert sorted(p.name for p in removed) == sorted(n for n, kept in names.items() if not kept)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(n for n, k in names.items() if k)


def test_a_temporary_name_holds_the_process_id() -> None:
    assert formats.temporary_prefix() == f".rectrack-{os.getpid()}-"


def test_openpyxl_writes_its_sheets_where_the_cleaning_finds_them(tmp_path) -> None:
    from openpyxl.worksheet import _writer

    with formats.openpyxl_temporary_files(tmp_path):
        name = _writer.create_temporary_file()
    assert Path(name).parent == tmp_path
    assert Path(name).name.startswith(formats.temporary_prefix())
    assert _writer.create_temporary_file.__module__ == "openpyxl.worksheet._writer"
    Path(name).unlink()
    _writer.ALL_TEMP_FILES.remove(name)
