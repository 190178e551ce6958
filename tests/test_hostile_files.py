"""Hostile and broken files: each is refused in one line naming the file and the place, with
no traceback, and the database is left as it was.

The files are made here: ZIP bombs (by what a member declares and by what it really
unpacks to), XML with a DTD and entities, broken sheet XML, truncated workbooks, workbooks
and CSV files of a million rows (refused within a memory budget, checked in a separate
process), CSV files with a NUL byte, a 10 MB cell, an unclosed quote or the wrong encoding,
and TOML data sets with wrong types or nested a thousand levels deep.
"""

from __future__ import annotations

import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import Workbook

from rectrack.errors import RectrackError
from rectrack.io import limits

UPR_HEADER = ["To", "Text", "From", "Session"]


def upr_workbook(path: Path, rows: int = 1) -> Path:
    """A small UPR Info export as a workbook."""
    wb = Workbook()
    ws = wb.active
    ws.append(UPR_HEADER)
    for i in range(rows):
        ws.append(["Serbia", f"Recommendation {i}", "France", 29])
    wb.save(path)
    return path


def rewritten(source: Path, target: Path, members: dict[str, bytes]) -> Path:
    """A copy of a workbook with some members replaced (or added)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, members.pop(item.filename, None) or zin.read(item.filename))
        for name, data in members.items():
            zout.writestr(name, data)
    return target


def sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml")


def set_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text, encoding="utf-8")


def refused(cli, path: Path, *fragments: str, fmt: str | None = None) -> str:
    """stderr of an import that must be refused in one line, changing nothing."""
    args = ["import", str(path)] + (["--format", fmt] if fmt else [])
    result = cli.refused(args, 1, *fragments)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), result.stderr
    return lines[0]


# --- limits --------------------------------------------------------------------------------


def test_the_default_limits_let_a_register_of_100000_recommendations_through() -> None:
    assert limits.Limits() == limits.Limits(250, 1000, 200_000)
    # What `rectrack export` writes of 100,000 recommendations: some 20 MB (50 MB as CSV),
    # 350 MB unpacked, 100,000 rows a sheet (measured; bench/export_bench.py builds one).
    assert limits.DEFAULT_FILE_MB >= 2 * 50
    assert limits.DEFAULT_UNPACKED_MB >= 2 * 350
    assert limits.DEFAULT_ROWS >= 2 * 100_000


def test_limits_are_read_from_config(cli, home) -> None:
    set_config(home, "[limits]\nfile_mb = 1\nunpacked_mb = 2\nrows = 3\n")
    assert limits.limits() == limits.Limits(1, 2, 3)


def test_a_limit_below_one_is_refused(cli, home) -> None:
    set_config(home, "[limits]\nrows = 0\n")
    with pytest.raises(RectrackError, match="'limits.rows' should be 1 or more"):
        limits.limits()


def test_a_file_over_the_size_limit_is_refused(cli, empty, home, tmp_path) -> None:
    set_config(home, "[limits]\nfile_mb = 1\n")
    path = tmp_path / "big.csv"
    path.write_text("To,Text,From,Session\n" + "Serbia,text,France,29\n" * 60_000)
    line = refused(cli, path, "big.csv: 1 MB, more than the 1 MB an import reads")
    assert "[limits] file_mb" in line and str(home / "config.toml") in line


def test_a_data_set_over_the_size_limit_is_refused(cli, empty, home, tmp_path) -> None:
    set_config(home, "[limits]\nfile_mb = 1\n")
    path = tmp_path / "big.toml"
    path.write_text("# padding\n" * 200_000)
    refused(cli, path, "big.toml: 2 MB, more than the 1 MB an import reads")


def test_a_zip_bomb_is_refused_by_its_declared_size(cli, empty, tmp_path) -> None:
    """Shared strings that declare 1,100 MB: refused before anything is unpacked."""
    plain = upr_workbook(tmp_path / "plain.xlsx")
    strings = b"<sst>" + b"A" * 1000 + b"</sst>"
    bomb = rewritten(plain, tmp_path / "bomb.xlsx", {"xl/sharedStrings.xml": strings})
    _lie_about_size(bomb, "xl/sharedStrings.xml", 1100 << 20)
    refused(
        cli,
        bomb,
        "bomb.xlsx:xl/sharedStrings.xml: declares 1,100 MB unpacked",
        "more than the 1,000 MB a workbook may unpack to (a ZIP bomb?",
        "[limits] unpacked_mb",
    )


def test_a_real_zip_bomb_is_refused(tmp_path) -> None:
    """20 MB of one letter in some 20 KB, over a limit of 10 MB."""
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", b"A" * (20 << 20))
    assert bomb.stat().st_size < 100_000
    with pytest.raises(RectrackError, match="declares 20 MB unpacked"):
        limits.check_package(bomb, limits.Limits(unpacked_mb=10))


def _lie_about_size(path: Path, member: str, declared: int) -> None:
    """Make a member of a ZIP file declare `declared` bytes, in its local header and in the
    central directory, whatever it really unpacks to."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.find(b"PK\x03\x04")
    while at != -1:
        length = struct.unpack_from("<H", data, at + 26)[0]
        if data[at + 30 : at + 30 + length] == name:
            struct.pack_into("<I", data, at + 22, declared)
        at = data.find(b"PK\x03\x04", at + 4)
    at = data.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            struct.pack_into("<I", data, at + 24, declared)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def test_a_zip_bomb_that_lies_about_its_size_is_refused_before_parsing(
    cli, empty, home, tmp_path, monkeypatch
) -> None:
    """A member that declares 1 KB but unpacks to 5 MB (over a limit of 2 MB): the scan
    unpacks in chunks and stops, before openpyxl parses anything."""
    set_config(home, "[limits]\nunpacked_mb = 2\n")
    plain = upr_workbook(tmp_path / "plain.xlsx")
    strings = b"<sst>" + b"A" * (5 << 20) + b"</sst>"
    bomb = rewritten(plain, tmp_path / "liar.xlsx", {"xl/sharedStrings.xml": strings})
    _lie_about_size(bomb, "xl/sharedStrings.xml", 1024)

    def parsed(*args, **kwargs):
        raise AssertionError("openpyxl was asked to parse the bomb")

    monkeypatch.setattr("openpyxl.load_workbook", parsed)
    line = refused(cli, bomb, "liar.xlsx")
    assert "xl/sharedStrings.xml" in line or "damaged" in line, line


def test_the_scan_stops_at_the_unpacked_limit(tmp_path) -> None:
    """Members that really unpack to more than the limit, each declaring its true size
    but together over it: the scan counts what it unpacks."""
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(3):
            z.writestr(f"xl/media/image{i}.bin", b"\0" * (1 << 20))
    with pytest.raises(RectrackError, match=r"declares 1 MB unpacked \(3 MB in all\)"):
        limits.check_package(path, limits.Limits(unpacked_mb=2))


def test_an_unknown_member_count_does_not_hide_rows(tmp_path) -> None:
    """Rows are counted whatever the chunk boundaries, and with a namespace prefix."""
    rows = b"".join(b'<x:row r="%d"><x:c/></x:row>' % i for i in range(1, 100_001))
    path = tmp_path / "rows.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "xl/worksheets/sheet1.xml",
            b"<x:worksheet><x:sheetData>" + rows + b"</x:sheetData></x:worksheet>",
        )
    package = limits.check_package(path, limits.Limits())
    assert package.rows == {"xl/worksheets/sheet1.xml": 100_000}


def _million_row_workbook(path: Path, rows: int = 1_000_000) -> Path:
    """A workbook of `rows` rows, its sheet written straight into the package (openpyxl
    would take a minute)."""
    plain = upr_workbook(path.with_name("seed.xlsx"))
    head, tail = sheet_xml(plain).split(b"<sheetData>")
    tail = tail.split(b"</sheetData>")[1]
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                zout.writestr(item, zin.read(item.filename))
        with zout.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(head + b"<sheetData>")
            f.write(
                b'<row r="1"><c r="A1" t="inlineStr"><is><t>To</t></is></c>'
                b'<c r="B1" t="inlineStr"><is><t>Text</t></is></c>'
                b'<c r="C1" t="inlineStr"><is><t>From</t></is></c>'
                b'<c r="D1" t="inlineStr"><is><t>Session</t></is></c></row>'
            )
            for start in range(2, rows + 1, 10_000):
                f.write(
                    b"".join(
                        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Serbia</t></is></c>'
                        b'<c r="B%d" t="inlineStr"><is><t>Same text</t></is></c>'
                        b'<c r="D%d"><v>29</v></c></row>' % (i, i, i, i)
                        for i in range(start, min(start + 10_000, rows + 1))
                    )
                )
            f.write(b"</sheetData>" + tail)
    return path


# Runs a command and prints the most memory it held: a process of its own, since what
# getrusage says of children is the most any child of this process ever held.
_PEAK = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(peak, file=sys.stderr)\n"
    "sys.exit(done.returncode)\n"
)


def _peak_memory_mb(home: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run rectrack in a process of its own: what it did, and the most memory it held."""
    env = {"RECTRACK_HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, sys.executable, "-m", "rectrack", *args],
        capture_output=True,
        text=True,
        env=env,
    )
    stderr, _, peak = done.stderr.rstrip("\n").rpartition("\n")
    done.stderr = stderr + "\n" if stderr else ""
    return done, int(peak) / 1024


def test_a_workbook_of_a_million_rows_is_refused_within_200_mb(empty, home, tmp_path) -> None:
    path = _million_row_workbook(tmp_path / "million.xlsx")
    done, peak = _peak_memory_mb(home, "import", str(path), "--format", "upr-info")
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == (
        "Error: million.xlsx!Sheet: 1,000,000 rows, more than the 200,000 an import reads "
        f"(if the file is genuine, raise [limits] rows in {home / 'config.toml'})"
    )
    assert peak < 200, f"{peak:.0f} MB"


def test_a_csv_file_of_a_million_rows_is_refused_within_200_mb(empty, home, tmp_path) -> None:
    path = tmp_path / "million.csv"
    with path.open("w") as f:
        f.write("To,Text,From,Session\n")
        f.writelines("Serbia,Same text,France,29\n" for _ in range(1_000_000))
    done, peak = _peak_memory_mb(home, "import", str(path))
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(
        "Error: million.csv: more than 200,000 rows, the most an import reads (if the file is "
        "genuine, raise [limits] rows in"
    ), done.stderr
    assert peak < 200, f"{peak:.0f} MB"


def test_rows_over_a_lower_limit_are_refused_in_every_reader(cli, empty, home, tmp_path) -> None:
    set_config(home, "[limits]\nrows = 5\n")
    xlsx = upr_workbook(tmp_path / "six.xlsx", rows=6)
    refused(cli, xlsx, "six.xlsx!Sheet: 7 rows, more than the 5 an import reads")
    csv_file = tmp_path / "six.csv"
    csv_file.write_text(
        "To,Text,From,Session\n" + "".join(f"Serbia,T{i},France,29\n" for i in range(6))
    )
    refused(cli, csv_file, "six.csv: more than 5 rows")
    json_file = tmp_path / "six.json"
    json_file.write_text("[" + ",".join('{"Text": "t", "Body": "CAT"}' for _ in range(6)) + "]")
    result = cli.refused(
        ["import", str(json_file), "--map", "text=Text", "--map", "body=Body"],
        1,
        "six.json: 6 rows",
    )
    assert len(result.stderr.splitlines()) == 1


def test_rows_within_the_limit_are_imported(cli, empty, home, tmp_path) -> None:
    set_config(home, "[limits]\nrows = 7\n")
    cli.ok("import", upr_workbook(tmp_path / "six.xlsx", rows=6))
    assert len(cli.keys()) == 6


# --- XML attacks -----------------------------------------------------------------------------


def test_openpyxl_reads_with_defusedxml() -> None:
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_xml_with_a_dtd_and_entities_is_refused(cli, empty, tmp_path, member) -> None:
    plain = upr_workbook(tmp_path / "plain.xlsx")
    with zipfile.ZipFile(plain) as z:
        xml = z.read(member)
    body = xml.split(b"?>", 1)[-1].replace(b"<v>29</v>", b"<v>&lol3;</v>")
    attack = rewritten(plain, tmp_path / "laughs.xlsx", {member: LAUGHS + body})
    for fmt in (None, "xlsx", "upr-info"):
        refused(
            cli,
            attack,
            f"laughs.xlsx:{member}: holds a document type declaration (<!DOCTYPE), which no "
            "workbook has: refused as an XML entity attack",
            fmt=fmt,
        )


def test_entities_that_pass_the_scan_are_refused_by_defusedxml(cli, empty, tmp_path) -> None:
    """A sheet in UTF-16, whose declaration the byte scan cannot see: defusedxml refuses
    the entities when the sheet is parsed, in one line."""
    plain = upr_workbook(tmp_path / "plain.xlsx")
    body = sheet_xml(plain).split(b"?>", 1)[-1].replace(b"<v>29</v>", b"<v>&lol3;</v>")
    text = (LAUGHS + body).decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    attack = rewritten(
        plain, tmp_path / "utf16.xlsx", {"xl/worksheets/sheet1.xml": text.encode("utf-16")}
    )
    line = refused(cli, attack, "utf16.xlsx")
    assert "not a readable workbook" in line, line


def test_broken_sheet_xml_is_refused_in_one_line(cli, empty, tmp_path) -> None:
    plain = upr_workbook(tmp_path / "plain.xlsx", rows=3)
    xml = sheet_xml(plain)
    broken = rewritten(plain, tmp_path / "broken.xlsx", {"xl/worksheets/sheet1.xml": xml[:-40]})
    for fmt in ("upr-info", None):
        refused(cli, broken, "broken.xlsx!Sheet: not a readable workbook: broken XML (", fmt=fmt)


def test_a_broken_rectrack_workbook_is_refused_in_one_line(cli, sample, sample_export, tmp_path):
    exported = sample_export("meeting.xlsx")
    with zipfile.ZipFile(exported) as z:
        names = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        sheets = {n: z.read(n) for n in names}
    # Every sheet of rectrack's export broken in turn (the About sheet, the rows...).
    for name, xml in sheets.items():
        broken = rewritten(exported, tmp_path / "broken.xlsx", {name: xml[: len(xml) // 2]})
        line = refused(cli, broken, "broken.xlsx")
        assert "broken XML" in line, line


# --- damaged workbooks -------------------------------------------------------------------------


@pytest.mark.parametrize("keep", [0.9, 0.5, 0.1])
def test_a_truncated_workbook_is_refused(cli, empty, tmp_path, keep) -> None:
    plain = upr_workbook(tmp_path / "plain.xlsx", rows=50)
    data = plain.read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: int(len(data) * keep)])
    refused(cli, path, "cut.xlsx: a damaged workbook (its ZIP directory is missing: truncated?)")


def test_a_workbook_with_a_corrupt_member_is_refused(cli, empty, tmp_path) -> None:
    plain = upr_workbook(tmp_path / "plain.xlsx", rows=50)
    data = bytearray(plain.read_bytes())
    with zipfile.ZipFile(plain) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + 40):
        data[i] ^= 0xFF
    path = tmp_path / "corrupt.xlsx"
    path.write_bytes(bytes(data))
    refused(cli, path, "corrupt.xlsx: a damaged workbook (")


def test_a_package_that_is_no_workbook_is_refused(cli, empty, tmp_path) -> None:
    path = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("notes.txt", "hello")
    refused(cli, path, "notes.xlsx: not a readable workbook: ")
    refused(cli, path, "notes.xlsx: not a readable workbook: ", fmt="xlsx")


def test_a_compressed_member_with_a_bad_stream_is_refused(tmp_path) -> None:
    path = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", b"<workbook/>" * 1000)
    data = bytearray(path.read_bytes())
    payload = zlib.compressobj(9, zlib.DEFLATED, -15).compress(b"x")
    at = data.find(b"xl/workbook.xml") + len("xl/workbook.xml")
    data[at : at + len(payload) + 4] = b"\xff" * (len(payload) + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(RectrackError, match="bad.xlsx: a damaged workbook"):
        limits.check_package(path, limits.Limits())


# --- CSV files ---------------------------------------------------------------------------------

HEADER = "To,Text,From,Session\n"


def test_a_nul_byte_is_refused(cli, empty, tmp_path) -> None:
    path = tmp_path / "nul.csv"
    path.write_text(HEADER + "Serbia,a\x00b,France,29\n")
    refused(cli, path, "nul.csv: not a text file (it holds binary data: a NUL byte)")


def test_a_nul_byte_late_in_a_large_file_is_refused_with_its_line(cli, empty, tmp_path) -> None:
    path = tmp_path / "late.csv"
    filler = "".join(f"Serbia,{'word ' * 40}{i},France,29\n" for i in range(6000))
    path.write_text(HEADER + filler + "Serbia,a\x00b,France,29\n")
    refused(cli, path, "late.csv:6002: holds a NUL byte")


def test_a_nul_byte_in_a_rectrack_csv_file_is_refused(cli, sample, sample_export, tmp_path):
    text = sample_export("meeting.csv").read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[3] = lines[3].replace(",", ",\x00", 1)
    path = tmp_path / "nul.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    refused(cli, path, "nul.csv: not a text file (it holds binary data: a NUL byte)")
    refused(cli, path, "nul.csv:4: holds a NUL byte", fmt="csv")


def test_a_10_mb_cell_is_refused(cli, empty, tmp_path) -> None:
    path = tmp_path / "cell.csv"
    path.write_text(HEADER + 'Serbia,"' + "x" * 10_000_000 + '",France,29\n')
    refused(cli, path, "cell.csv:2: a field of more than 1,000,000 characters")


def test_a_10_mb_cell_in_a_rectrack_csv_file_is_refused(cli, sample, sample_export, tmp_path):
    lines = sample_export("meeting.csv").read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace(",", ',"' + "x" * 10_000_000 + '",', 1)
    path = tmp_path / "cell.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    refused(cli, path, "cell.csv:2: a field of more than 1,000,000 characters")


def test_a_long_real_text_reads_back(cli, empty, tmp_path) -> None:
    text = "The State party should " + "ensure that victims are compensated. " * 5000
    assert len(text) > 131_072
    path = tmp_path / "long.csv"
    path.write_text(HEADER + f'Serbia,"{text}",France,29\n')
    cli.ok("import", path)
    (key,) = cli.keys()
    assert cli.json("show", key)["text"] == text


def test_an_unclosed_quote_that_swallows_rows_is_refused(cli, empty, tmp_path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text(
        HEADER
        + 'Serbia,"Adopt a law,France,29\n'
        + "Serbia,Second text,France,29\n"
        + 'Serbia,Third",France,29\n'
    )
    refused(
        cli,
        path,
        "quote.csv:2: a quoted field runs over 3 lines and holds what looks like a whole row "
        "('Serbia,Second text,France,29', line 3): is a closing quote missing?",
    )


def test_an_unclosed_quote_at_the_end_is_refused(cli, empty, tmp_path) -> None:
    path = tmp_path / "end.csv"
    path.write_text(HEADER + 'Serbia,"Adopt a law,France,29\nSerbia,Second,France,29\n')
    refused(cli, path, "end.csv:")


def test_an_unclosed_quote_in_a_rectrack_csv_file_is_refused(cli, sample, sample_export, tmp_path):
    lines = sample_export("meeting.csv").read_text(encoding="utf-8").split("\n")
    lines[1] = '"' + lines[1]
    path = tmp_path / "quote.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    line = refused(cli, path, "quote.csv:2: ")
    assert "closing quote" in line, line


def test_multi_line_texts_with_commas_are_not_taken_for_rows(cli, empty, tmp_path) -> None:
    text = "Adopt a law.\nEnsure, in particular, that victims are heard.\nReport, within a year."
    path = tmp_path / "lines.csv"
    path.write_text(HEADER + f'Serbia,"{text}",France,29\n')
    cli.ok("import", path)
    (key,) = cli.keys()
    assert cli.json("show", key)["text"] == text


def test_a_csv_file_in_another_encoding_names_it(cli, empty, tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes((HEADER + "Serbia,Čačak,France,29\n").encode("utf-8") + b"\xff\xfe\n")
    result = cli("import", str(path), "--encoding", "utf-8")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: bad.csv:3: not utf-8 text (invalid start byte)")


def test_a_rectrack_csv_file_not_in_utf8_is_refused(cli, sample, sample_export, tmp_path):
    text = sample_export("meeting.csv").read_text(encoding="utf-8")
    path = tmp_path / "latin.csv"
    path.write_bytes(text.encode("utf-16"))
    refused(cli, path, "latin.csv: not UTF-8 text")


# --- TOML data sets ----------------------------------------------------------------------------


def test_a_data_set_nested_a_thousand_levels_deep_is_refused(cli, empty, tmp_path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 1000 + "]" * 1000 + "\n")
    result = cli.refused(
        ["import", str(path)],
        1,
        "deep.toml: not a data set: its arrays or tables are nested too deeply",
    )
    assert "RecursionError" not in result.output


def test_inline_tables_nested_deeply_are_refused(cli, empty, tmp_path) -> None:
    path = tmp_path / "tables.toml"
    path.write_text("x = " + "{a = " * 1000 + "1" + "}" * 1000 + "\n")
    cli.refused(["import", str(path)], 1, "tables.toml: not a data set")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("[[recommendations]]\ntext = 5\n", "'text' should be a string"),
        ('[[recommendations]]\ntext = "t"\nthemes = "a"\n', "'themes' should be a list"),
        ('[[recommendations]]\ntext = "t"\nthemes = [1]\n', "'themes' should be a list"),
        ('[[recommendations]]\ntext = "t"\ndate = 2019-03-01\n', "'date' should be a string"),
        (
            '[[recommendations]]\ntext = "t"\ncategory = 9\n',
            "'category' should be an action category, 1 to 5, not 9",
        ),
        (
            '[[recommendations]]\ntext = "t"\ncategory = 99999999999999999999\n',
            "'category' should be an action category",
        ),
        (
            '[[recommendations]]\ntext = "t"\nsource_row = -1\n',
            "'source_row' should be a row number",
        ),
        (
            '[[evidence]]\ntitle = "t"\nkind = "document"\nsize = -5\n',
            "'size' should be a size in bytes, 0 or more, not -5",
        ),
        (
            '[[evidence]]\ntitle = "t"\nkind = "document"\nsize = 1.5\n',
            "'size' should be a whole number",
        ),
        ("recommendations = 3\n", "'recommendations' should be an array of tables"),
        ("recommendations = [1, 2]\n", "recommendations[1]: expected a table"),
        ('[[recommendations]]\ntext = "t"\nwhat = 1\n', "unknown field 'what'"),
    ],
)
def test_a_data_set_with_wrong_types_is_refused(cli, empty, tmp_path, entry, message) -> None:
    path = tmp_path / "types.toml"
    path.write_text(entry)
    cli.refused(["import", str(path)], 1, message)


def test_a_data_set_in_another_encoding_is_refused(cli, empty, tmp_path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes('[[recommendations]]\ntext = "Čačak"\n'.encode("cp1250"))
    cli.refused(["import", str(path)], 1, "latin.toml: not a TOML text file (not UTF-8)")


def test_a_map_file_nested_a_thousand_levels_deep_is_refused(cli, empty, tmp_path) -> None:
    table = tmp_path / "ours.csv"
    table.write_text("Text,Body\nAdopt a law.,CEDAW\n")
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 1000 + "]" * 1000 + "\n")
    cli.refused(
        ["import", str(table), "--map-file", str(deep)],
        1,
        f"{deep}: not a mapping: its tables are nested too deeply",
    )
