"""Expectations judged from each source, reward eligibility, and manual measurement files."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO_ROOT, write_valid_org

from generator.measure.levels import FeedbackLevel, MetricLevel, ServiceLevel
from generator.measure.outcomes import Measurement, PeriodData, judge_period
from generator.measure.views import measured_view
from generator.model.organisation import Expectation, Organisation, Reward, Role
from generator.model.periods import Period
from generator.model.settings import Settings
from generator.project import load_project

ROLE = Role(
    id="desk",
    title="Desk",
    team="it",
    summary="Helps.",
    source="roles/desk.yaml",
    responsibilities=(),
    expectations=(
        Expectation("in-time", "In time", "higher", 90, 97, source="requests",
                    commitment="help", metric="response"),
        Expectation("rating", "Rated well", "higher", 4.2, 4.6, source="feedback",
                    commitment="help"),
        Expectation("first-fix", "Fixed first time", "higher", 60, 70, measure="% fixed"),
        Expectation("turnaround", "Quick", "lower", 3, 2, measure="days"),
    ),
    rewards=(
        Reward("bonus", "Bonus", {"in-time": "meets", "first-fix": "meets"}),
        Reward("star", "Star", {"in-time": "exceeds", "rating": "meets"}),
        Reward("trip", "Trip", {"first-fix": "meets", "turnaround": "meets"}),
    ),
)  # fmt: skip
ORG = Organisation("Example", {}, {"desk": ROLE})


def data(percent_met: tuple[int, int] | None, mean: float | None, **manual: float) -> PeriodData:
    services = {}
    if percent_met is not None:
        met, counted = percent_met
        services["desk/help"] = ServiceLevel(counted, response=MetricLevel(counted, met))
    feedback = {} if mean is None else {"desk/help": FeedbackLevel(8, False, mean)}
    measured = {f"desk/{k.replace('_', '-')}": Measurement(v) for k, v in manual.items()}
    return PeriodData(services, feedback, measured)


def test_each_source_gives_a_value_and_a_status() -> None:
    outcomes, _ = judge_period(ORG, data((93, 100), 4.7, first_fix=65, turnaround=1.5))
    assert (outcomes["desk/in-time"].value, outcomes["desk/in-time"].status) == (93.0, "meets")
    assert outcomes["desk/in-time"].count == 100
    assert outcomes["desk/rating"].status == "exceeds"
    assert outcomes["desk/first-fix"].status == "meets"
    assert outcomes["desk/turnaround"].status == "exceeds"  # lower is better: 1.5 ≤ 2


def test_unmeasured_expectations_say_why() -> None:
    outcomes, _ = judge_period(ORG, data(None, None))
    reasons = {k: (o.status, o.reason) for k, o in outcomes.items()}
    assert reasons == {
        "desk/in-time": ("unknown", "no-data"),
        "desk/rating": ("unknown", "no-data"),
        "desk/first-fix": ("unknown", "no-measurement"),
        "desk/turnaround": ("unknown", "no-measurement"),
    }
    hidden = PeriodData({"desk/help": ServiceLevel(3, hidden=True)}, {}, {})
    outcomes, _ = judge_period(ORG, hidden)
    assert outcomes["desk/in-time"].reason == "too-few" and outcomes["desk/in-time"].count == 3


def test_rewards_are_earned_when_every_requirement_reaches_its_level() -> None:
    _, rewards = judge_period(ORG, data((98, 100), 4.3, first_fix=61, turnaround=4))
    assert rewards["desk/bonus"].status == "met"
    assert rewards["desk/star"].status == "met"  # 98 % exceeds 97; the rating meets
    trip = rewards["desk/trip"]
    assert (trip.status, trip.failed) == ("not-met", ("turnaround",))


def test_a_reward_needing_exceeds_is_not_met_by_meets() -> None:
    _, rewards = judge_period(ORG, data((93, 100), 4.3))
    assert rewards["desk/star"].status == "not-met" and rewards["desk/star"].failed == ("in-time",)


def test_an_unmeasured_requirement_leaves_the_reward_undecided() -> None:
    _, rewards = judge_period(ORG, data((93, 100), None))
    assert rewards["desk/bonus"].status == "not-measured"
    assert rewards["desk/bonus"].unmeasured == ("first-fix",)


def test_the_site_for_everyone_gets_no_personal_outcomes() -> None:
    q4 = Period(2026, 4)
    measurements = {q4: {"desk/first-fix": Measurement(65)}}
    common = {"kind": "quarter", "periods": 4, "min_group": 5}
    leaders = measured_view(ORG, None, measurements, audience="leaders", **common)  # type: ignore[arg-type]
    everyone = measured_view(ORG, None, measurements, audience="everyone", **common)  # type: ignore[arg-type]
    assert leaders.outcome("desk/first-fix") is not None
    assert leaders.outcome("desk/first-fix").value == 65  # type: ignore[union-attr]
    assert leaders.reward("desk/bonus") is not None
    shown = everyone.outcome("desk/first-fix")
    assert shown is not None and shown.value is None and shown.reason == "restricted"
    assert everyone.reward("desk/bonus") is None
    assert everyone.latest() is not None and not everyone.latest().rewards  # type: ignore[union-attr]


# --- manual measurement files ----------------------------------------------------------------


def measurements(root: Path, name: str, text: str) -> list[str]:
    folder = root / "measurements"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    _, diags = load_project(root, Settings())
    return [d.headline for d in diags if d.location.file.startswith("measurements/")]


@pytest.fixture
def org(tmp_path: Path) -> Path:
    write_valid_org(tmp_path)
    return tmp_path


def _manual(root: Path) -> tuple[str, str]:
    project, _ = load_project(root, Settings())
    for role in project.organisation.roles.values():
        for expectation in role.expectations:
            if expectation.source == "manual":
                return role.id, expectation.id
    raise AssertionError("the valid organisation has a manual expectation")


def test_a_valid_measurements_file_is_loaded(org: Path) -> None:
    role, expectation = _manual(org)
    text = f"values:\n  {role}:\n    {expectation}: {{value: 4.5, note: from the tool}}\n"
    assert measurements(org, "2026-Q4.yaml", text) == []
    project, _ = load_project(org, Settings())
    (period,) = project.measurements
    assert period == Period(2026, 4)
    assert project.measurements[period][f"{role}/{expectation}"] == Measurement(
        4.5, "from the tool"
    )


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("2026-13.yaml", "values: {}\n",
         ("measurements/2026-13.yaml:1:1: error: ", "name the file after its period [HB124]")),
        ("2026-Q4.yaml", "values:\n  nobody-here:\n    x: 1\n",
         ("measurements/2026-Q4.yaml:2:3: warning: $.values.nobody-here: ",
          "unknown role 'nobody-here': its value is not shown [HB124]")),
        ("2026-Q4.yaml", "values:\n  ROLE:\n    EXPECTATIONx: 1\n",
         ("measurements/2026-Q4.yaml:3:5: warning: ",
          "unknown expectation 'EXPECTATIONx' of role 'ROLE': its value is not shown [HB124]")),
        ("2026-Q4.yaml", "values:\n  ROLE:\n    EXPECTATION: three\n",
         ("measurements/2026-Q4.yaml:3:", "must be a number, not text [HB001]")),
    ],
)  # fmt: skip
def test_measurement_problems_name_file_line_and_field(
    org: Path, name: str, text: str, expected: tuple[str, str]
) -> None:
    role, expectation = _manual(org)
    text = text.replace("EXPECTATION", expectation).replace("ROLE", role)
    where, what = (e.replace("EXPECTATION", expectation).replace("ROLE", role) for e in expected)
    found = measurements(org, name, text)
    assert any(line.startswith(where) and line.endswith(what) for line in found), found


def test_measured_sources_take_no_manual_values(org: Path) -> None:
    project, _ = load_project(org, Settings())
    role, expectation = next(
        (r.id, e.id)
        for r in project.organisation.roles.values()
        for e in r.expectations
        if e.source == "feedback"
    )
    found = measurements(org, "2026-Q4.yaml", f"values:\n  {role}:\n    {expectation}: 4\n")
    assert found and "is measured from its source" in found[0] and "[HB124]" in found[0]


def test_a_linked_measurements_file_is_not_followed(
    org: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    secret = tmp_path_factory.mktemp("outside") / "secret.yaml"
    secret.write_text("values: {}\n", encoding="utf-8")
    (org / "measurements").mkdir()
    (org / "measurements" / "2026-Q4.yaml").symlink_to(secret)
    project, diags = load_project(org, Settings())
    assert not project.measurements
    assert any("symbolic link" in d.message for d in diags)


def test_the_examples_ship_measurements_that_load() -> None:
    for root in (REPO_ROOT, REPO_ROOT / "examples" / "pl"):
        from generator.cli.commands import load_settings  # noqa: PLC0415

        project, diags = load_project(root, load_settings(root))
        assert [d.headline for d in diags if d.severity.name == "ERROR"] == []
        assert {p.id for p in project.measurements} >= {"2026-Q3", "2026-Q4"}
