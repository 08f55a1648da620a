"""Mapping files: checked like role files (file:line:col), and what they change."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from request_helpers import EXAMPLES, import_file, line_of, stored, utc

JIRA = EXAMPLES / "jira-service-management.csv"
GLPI = EXAMPLES / "glpi-tickets.csv"


def locations(err: str, path: Path) -> dict[int, str]:
    """Line → headline of every diagnostic about ``path``."""
    pattern = re.compile(rf"^{re.escape(str(path))}:(\d+):\d+: error: (.*)$", re.MULTILINE)
    return {int(line): message for line, message in pattern.findall(err)}


def test_schema_problems_are_reported_at_their_lines(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    text = """\
format: jira
source: IT Desk
delimiter: ";;"
timezone: Europe/Warsaw
commitmnets:
  Get IT help: it-helpdesk-technician/it-help
priorities:
  High: 1
columns:
  request_type: Custom field (Request Type)
"""
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(text)

    status, err = import_file(capsys, sqlite_url, JIRA, "--mapping", mapping)

    assert status == 1
    found = locations(err, mapping)
    assert "'IT Desk'" in found[line_of(text, "source:")]
    assert "delimiter" in found[line_of(text, "delimiter:")]
    assert "unknown field 'commitmnets'" in found[line_of(text, "commitmnets")]
    assert "must be text" in found[line_of(text, "High: 1")]
    assert "unknown field 'request_type'" in found[line_of(text, "request_type")]
    assert len(found) == 5
    assert stored(sqlite_url) == {}


def test_values_the_handbook_does_not_know_are_reported_at_their_lines(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    text = """\
format: jira
timezone: Europe/Warshaw
date_format: "%d/%b/%y"
commitments:
  Get IT help: it-helpdesk-technician/it-hlep
  Report a security incident: head-of-technology/security-incidents
priorities:
  Highest: critical
  High: urgent
"""
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(text)

    status, err = import_file(capsys, sqlite_url, JIRA, "--mapping", mapping)

    assert status == 1
    found = locations(err, mapping)
    assert "unknown time zone 'Europe/Warshaw'" in found[line_of(text, "timezone:")]
    assert "not a date format" in found[line_of(text, "date_format:")]
    assert "unknown commitment 'it-helpdesk-technician/it-hlep'" in found[line_of(text, "it-hlep")]
    assert "did you mean 'it-helpdesk-technician/it-help'?" in err
    assert "'critical' is not a configured priority" in found[line_of(text, "critical")]
    assert len(found) == 4
    assert stored(sqlite_url) == {}


def test_strict_yaml_rules_apply(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    text = "format: jira\ntimezone: UTC\nformat: glpi\n"
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(text)
    status, err = import_file(capsys, sqlite_url, JIRA, "--mapping", mapping)
    assert status == 1
    assert f"{mapping}:3:" in err
    assert "duplicate key 'format'" in err


def test_columns_can_be_renamed(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    export = tmp_path / "jira.csv"
    export.write_text(
        JIRA.read_text(encoding="utf-8").replace(
            "Custom field (Request Type)", "Custom field (Service)", 1
        ),
        encoding="utf-8",
    )
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        (EXAMPLES / "jira-mapping.yaml").read_text(encoding="utf-8")
        + "columns:\n  id: Issue key\n  commitment: Custom field (Service)\n"
    )
    status, err = import_file(capsys, sqlite_url, export, "--mapping", mapping)
    assert status == 0, err
    ids = {rid for _source, rid in stored(sqlite_url)}
    assert "IT-412" in ids
    assert "10412" not in ids


def test_a_renamed_column_must_exist(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        (EXAMPLES / "jira-mapping.yaml").read_text(encoding="utf-8")
        + "columns:\n  first_response: Custom field (First reply)\n"
    )
    status, err = import_file(capsys, sqlite_url, JIRA, "--mapping", mapping)
    assert status == 1
    assert "'Custom field (First reply)' (first_response)" in err


def test_date_format_and_delimiter_of_another_glpi_setup(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    original = GLPI.read_text(encoding="utf-8-sig")
    swapped = re.sub(r"(\d{4})-(\d{2})-(\d{2}) ", r"\3-\2-\1 ", original)
    swapped = swapped.replace('";"', '","').replace('";\n', '",\n')  # GLPI ends lines with one
    export = tmp_path / "glpi.csv"
    export.write_text(swapped, encoding="utf-8-sig")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        (EXAMPLES / "glpi-mapping.yaml").read_text(encoding="utf-8")
        + 'date_format: "%d-%m-%Y %H:%M"\ndelimiter: ","\n'
    )
    status, err = import_file(capsys, sqlite_url, export, "--mapping", mapping)
    assert status == 0, err
    found = stored(sqlite_url)
    # "06-11-2026 15:30" in Warsaw, winter time
    assert found[("glpi-helpdesk", "1042")].opened == utc("2026-11-06T14:30:00+00:00")


def test_jira_without_a_time_zone_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    status, err = import_file(capsys, sqlite_url, JIRA, "--format", "jira")
    assert status == 2
    assert "timezone" in err
    assert stored(sqlite_url) == {}


def test_format_and_mapping_must_agree(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    status, err = import_file(
        capsys, sqlite_url, JIRA, "--format", "glpi", "--mapping", EXAMPLES / "jira-mapping.yaml"
    )
    assert status == 2
    assert "contradicts" in err


def test_a_source_must_be_an_id(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    status, err = import_file(capsys, sqlite_url, EXAMPLES / "generic.csv", "--source", "../x")
    assert status == 2
    assert "'../x'" in err
