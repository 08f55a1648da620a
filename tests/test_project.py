"""load_project: finding files, collecting every diagnostic, and the loaded organisation."""

from __future__ import annotations

from pathlib import Path

from helpers import (
    DELETE,
    REPO_ROOT,
    ROLE_FILES,
    TODAY,
    cover_notes,
    diagnostics,
    load,
    role_with,
    teams_with,
    valid_roles,
    with_code,
    write_valid_org,
)

from generator.cli.commands import load_settings
from generator.diagnostics.values import Severity, sort_key
from generator.model.settings import Settings

AGENT = "roles/" + ROLE_FILES["helpdesk-agent"]
LEAD = "roles/" + ROLE_FILES["helpdesk-lead"]
DIRECTOR = "roles/" + ROLE_FILES["director"]
VENDOR = "roles/" + ROLE_FILES["vendor-manager"]
ROOT = Path(__file__).resolve().parents[1]


# --- the example organisation --------------------------------------------------------------


def test_example_organisation_is_clean() -> None:
    assert ROOT == REPO_ROOT
    project, diags = load(ROOT, load_settings(ROOT))
    assert set(cover_notes(diags)) == {"HB125", "HB126"}
    assert len(project.organisation.roles) == 17
    assert project.organisation.name == "Northwind Components Ltd."
    assert set(project.documents) == set(project.organisation.roles)
    for role in project.organisation.roles.values():
        assert role.source == project.documents[role.id].file
        assert Path(role.source).stem == role.id


def test_example_organisation_is_clean_with_default_settings() -> None:
    _, diags = load(ROOT, Settings())
    assert set(cover_notes(diags)) == {"HB125", "HB126"}


# --- the loaded organisation ---------------------------------------------------------------


def test_valid_organisation_loads(tmp_path: Path) -> None:
    project, diags = load(write_valid_org(tmp_path))
    assert diags == []
    org = project.organisation
    assert org.name == "Tiny Test Ltd."
    assert list(org.teams) == ["company", "support", "vendor"]
    assert org.teams["vendor"].kind == "external"
    assert org.teams["support"].parent == "company"
    # Roles in path order: company/, support/ (agent before lead), vendor/.
    assert list(org.roles) == ["director", "helpdesk-agent", "helpdesk-lead", "vendor-manager"]
    assert org.roles["helpdesk-lead"].source == LEAD
    assert project.roles_path == tmp_path / "roles"
    assert "helpdesk-lead/it-requests" in org.feedback_keys()


def test_roles_dir_comes_from_settings(tmp_path: Path) -> None:
    write_valid_org(tmp_path)
    (tmp_path / "roles").rename(tmp_path / "people")
    project, diags = load(tmp_path, Settings(roles_dir="people"))
    assert diags == []
    assert project.organisation.roles["helpdesk-lead"].source == "people/support/helpdesk-lead.yaml"


def test_yml_files_are_found(tmp_path: Path) -> None:
    lead = valid_roles()[ROLE_FILES["helpdesk-lead"]]
    write_valid_org(
        tmp_path, roles={ROLE_FILES["helpdesk-lead"]: None, "support/helpdesk-lead.yml": lead}
    )
    (tmp_path / "roles" / "README.md").write_text("# Roles\n", encoding="utf-8")
    (tmp_path / "roles" / "notes.json").write_text("{}", encoding="utf-8")
    project, diags = load(tmp_path)
    assert diags == []
    assert project.organisation.roles["helpdesk-lead"].source == "roles/support/helpdesk-lead.yml"
    assert len(project.organisation.roles) == 4


def test_diagnostics_of_a_yml_file_name_it(tmp_path: Path) -> None:
    lead = valid_roles()[ROLE_FILES["helpdesk-lead"]]
    lead["reports_to"] = "directr"
    write_valid_org(
        tmp_path, roles={ROLE_FILES["helpdesk-lead"]: None, "support/helpdesk-lead.yml": lead}
    )
    (diag,) = diagnostics(tmp_path)
    assert (diag.code, diag.location.file) == ("HB101", "roles/support/helpdesk-lead.yml")


# --- every problem at once -----------------------------------------------------------------


def test_all_diagnostics_are_collected_and_sorted(tmp_path: Path) -> None:
    write_valid_org(
        tmp_path,
        teams=teams_with(("teams", 1, "parent"), "compny"),
        roles={
            # YAML syntax error
            "aaa/broken-yaml.yaml": "id: broken-yaml\ntitle: [unclosed\n",
            # lint errors in two files
            **role_with("director", ("commitments", 0, "targets", 0, "resolution"), "1h"),
            **role_with("helpdesk-agent", ("reports_to",), "helpdesk-laed"),
            # schema errors (two in one file)
            ROLE_FILES["vendor-manager"]: role_with("vendor-manager", ("title",), ["x"])[
                ROLE_FILES["vendor-manager"]
            ]
            | {"colour": "blue"},
            # an empty file
            "zzz/empty.yaml": "",
        },
    )
    diags = diagnostics(tmp_path)
    assert diags == sorted(diags, key=sort_key)
    by_file = [(d.location.file, d.code) for d in diags]
    assert by_file == [
        ("roles/aaa/broken-yaml.yaml", "yaml-syntax"),
        (DIRECTOR, "HB106"),
        (AGENT, "HB101"),
        ("roles/teams.yaml", "HB101"),
        (VENDOR, "HB001"),
        (VENDOR, "HB001"),
        ("roles/zzz/empty.yaml", "HB001"),
    ]
    lines = [(d.location.line, d.location.column) for d in diags if d.location.file == VENDOR]
    assert lines == sorted(lines)
    assert {d.severity for d in diags} == {Severity.ERROR}


def test_sorting_puts_worse_first_at_the_same_place(tmp_path: Path) -> None:
    lead = valid_roles()[ROLE_FILES["helpdesk-lead"]]
    del lead["owners"]
    del lead["commitments"]
    lead["expectations"] = [e for e in lead["expectations"] if e["id"] == "first-fix-rate"]
    write_valid_org(tmp_path, roles={ROLE_FILES["helpdesk-lead"]: lead})
    diags = diagnostics(tmp_path)
    assert [(d.location.file, d.location.line, d.code, d.severity) for d in diags] == [
        (LEAD, 1, "HB110", Severity.WARNING),
        (LEAD, 1, "HB111", Severity.INFO),
    ]


# --- files ---------------------------------------------------------------------------------


def test_symlinked_role_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    write_valid_org(tmp_path)
    outside = tmp_path / "elsewhere" / "helpdesk-agent-copy.yaml"
    outside.parent.mkdir()
    agent = (tmp_path / AGENT).read_text(encoding="utf-8")
    outside.write_text(agent.replace("helpdesk-agent", "intruder"), encoding="utf-8")
    link = tmp_path / "roles" / "extra" / "intruder.yaml"
    link.parent.mkdir()
    link.symlink_to(outside)
    project, diags = load(tmp_path)
    (diag,) = diags
    assert (diag.code, diag.severity, diag.location.file, diag.location.line) == (
        "HB114",
        Severity.WARNING,
        "roles/extra/intruder.yaml",
        0,
    )
    assert diag.message == "symbolic link to a file skipped: links are not followed"
    assert diag.hint == "move the file into roles/extra/ instead of linking it"
    assert "intruder" not in project.organisation.roles
    assert len(project.organisation.roles) == 4


def test_symlinked_role_folder_is_reported(tmp_path: Path) -> None:
    write_valid_org(tmp_path)
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    agent = (tmp_path / AGENT).read_text(encoding="utf-8")
    (folder / "intruder.yaml").write_text(
        agent.replace("helpdesk-agent", "intruder"), encoding="utf-8"
    )
    (tmp_path / "roles" / "linked").symlink_to(folder, target_is_directory=True)
    project, diags = load(tmp_path)
    assert "intruder" not in project.organisation.roles
    assert [(d.code, d.severity, d.location.file) for d in diags] == [
        ("HB114", Severity.WARNING, "roles/linked")
    ]


def test_file_names_differing_only_in_case(tmp_path: Path) -> None:
    agent = valid_roles()[ROLE_FILES["helpdesk-agent"]]
    agent["id"] = "helpdesk-agent-two"
    write_valid_org(tmp_path, roles={"other/HelpDesk-Agent.yml": agent})
    diags = diagnostics(tmp_path)
    (collision,) = with_code(diags, "HB114")
    assert collision.severity is Severity.ERROR
    assert collision.location.file in {AGENT, "roles/other/HelpDesk-Agent.yml"}
    other = ({AGENT, "roles/other/HelpDesk-Agent.yml"} - {collision.location.file}).pop()
    assert collision.message == f"file name differs only in case from {other}"
    assert collision.hint == "the two files collide on case-insensitive file systems"


def test_missing_teams_file(tmp_path: Path) -> None:
    write_valid_org(tmp_path)
    (tmp_path / "roles" / "teams.yaml").unlink()
    diags = diagnostics(tmp_path)
    (missing,) = [d for d in diags if d.location.file == "roles/teams.yaml"]
    assert missing.severity is Severity.ERROR
    assert missing.message == "the team tree is missing"
    assert missing.hint == "create roles/teams.yaml with 'organisation' and 'teams'"


def test_missing_teams_file_is_one_error(tmp_path: Path) -> None:
    write_valid_org(tmp_path)
    (tmp_path / "roles" / "teams.yaml").unlink()
    assert [d.location.file for d in diagnostics(tmp_path)] == ["roles/teams.yaml"]


def test_missing_roles_folder(tmp_path: Path) -> None:
    project, diags = load(tmp_path)
    assert [(d.severity, d.location.file, d.message) for d in diags] == [
        (Severity.ERROR, "roles/teams.yaml", "the team tree is missing")
    ]
    assert project.organisation.roles == {}


# --- no noise from a broken file -----------------------------------------------------------


def test_schema_error_causes_no_dangling_reference_noise(tmp_path: Path) -> None:
    # helpdesk-lead is named by teams.yaml (lead), two reports_to, two escalate_to and a
    # role: customer; a schema error in its file must not make those references dangle.
    lead = role_with("helpdesk-lead", ("title",), ["Helpdesk", "Lead"])
    write_valid_org(tmp_path, roles=lead)
    diags = diagnostics(tmp_path)
    assert [(d.location.file, d.code, d.path, d.message) for d in diags] == [
        (LEAD, "HB001", "$.title", "'title' must be text, not a list")
    ]


def test_schema_error_in_teams_causes_no_unknown_team_noise(tmp_path: Path) -> None:
    write_valid_org(tmp_path, teams=teams_with(("teams", 1, "name"), DELETE))
    diags = diagnostics(tmp_path)
    assert [(d.location.file, d.code, d.path) for d in diags] == [
        ("roles/teams.yaml", "HB001", "$.teams[1]")
    ]
    assert diags[0].message == "team 'support': 'name' is a required property"


def test_yaml_error_causes_no_dangling_reference_noise(tmp_path: Path) -> None:
    write_valid_org(tmp_path, roles={ROLE_FILES["helpdesk-lead"]: "id: helpdesk-lead\nid: again\n"})
    diags = diagnostics(tmp_path)
    assert [(d.location.file, d.code) for d in diags] == [(LEAD, "yaml-duplicate-key")]


def test_yaml_error_in_teams_causes_no_unknown_team_noise(tmp_path: Path) -> None:
    write_valid_org(tmp_path, teams="organisation: [unclosed\nteams: []\n")
    diags = diagnostics(tmp_path)
    assert {d.location.file for d in diags} == {"roles/teams.yaml"}


def test_schema_error_in_the_top_role_causes_no_single_top_noise(tmp_path: Path) -> None:
    write_valid_org(tmp_path, roles=role_with("director", ("summary",), DELETE))
    diags = diagnostics(tmp_path)
    assert [(d.location.file, d.code) for d in diags] == [(DIRECTOR, "HB001")]


def test_build_date_pins_review_dates(tmp_path: Path) -> None:
    write_valid_org(tmp_path)
    assert diagnostics(tmp_path, today=TODAY) == []
    overdue = diagnostics(tmp_path, today=TODAY.replace(year=2040))
    assert {d.code for d in overdue} == {"HB109"}
    assert len(overdue) == 4
