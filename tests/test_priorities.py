"""What internal customers care about, added up: groups under the threshold stay hidden,
and no total lets a hidden group be worked out by subtraction."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.load.schema import load_schemas
from generator.measure.priorities import (
    Tally,
    add_up,
    by_provider_team,
    organisation_total,
    publish,
)
from generator.measure.scores import Score, Scores
from generator.model.index import OrgIndex
from generator.model.settings import Settings
from generator.project import load_project
from generator.render.addresses import Urls
from generator.render.pages import Renderer, render_site

FIXTURE = Path(__file__).parent / "fixtures" / "small"


def _score(key: str, *priorities: tuple[str, int]) -> Score:
    count = max(5, sum(n for _, n in priorities))
    return Score(key, count, 4.0, (0, 0, 0, count, 0), tuple(priorities))


def _scores(*scores: Score, hidden: frozenset[str] = frozenset()) -> Scores:
    return Scores({s.key: s for s in scores}, hidden, None, None, 5)


def test_tallies_add_up_and_rank() -> None:
    total = Tally({"speed": 3, "quality": 1}) + Tally({"quality": 3, "availability": 1})
    assert total.counts == {"speed": 3, "quality": 4, "availability": 1}
    assert total.answers == 8
    assert total.ranked(("speed", "quality", "availability")) == [
        ("quality", 4),
        ("speed", 3),
        ("availability", 1),
    ]
    tie = Tally({"b": 2, "a": 2, "c": 2})
    assert [name for name, _ in tie.ranked(("c", "b"))] == ["c", "b", "a"]
    assert add_up([("x", Tally({"a": 1})), ("y", Tally({"a": 2})), ("x", Tally({"b": 1}))]) == {
        "x": Tally({"a": 1, "b": 1}),
        "y": Tally({"a": 2}),
    }


def test_small_groups_are_hidden_and_one_more_when_the_rest_would_reveal_it() -> None:
    groups = {"a": Tally({"speed": 9}), "b": Tally({"speed": 7}), "c": Tally({"quality": 3})}
    total = Tally({"speed": 16, "quality": 3})
    table = publish(groups, total, 5)
    # c (3) alone would be total − a − b; hiding b (the smallest shown) makes the rest 10.
    assert dict(table.groups) == {"a": Tally({"speed": 9}), "b": None, "c": None}
    assert table.total == total and table.hidden == 2


def test_no_total_is_shown_below_the_threshold() -> None:
    table = publish({"a": Tally({"speed": 2}), "b": Tally({"speed": 2})}, Tally({"speed": 4}), 5)
    assert table.total is None and dict(table.groups) == {"a": None, "b": None}


def test_groups_without_answers_are_left_out() -> None:
    table = publish({"a": Tally({"speed": 6}), "b": Tally()}, Tally({"speed": 6}), 5)
    assert table.groups == (("a", Tally({"speed": 6})),)


@given(
    st.dictionaries(st.sampled_from("abcdefgh"), st.integers(min_value=0, max_value=12)),
    st.integers(min_value=0, max_value=12),
    st.integers(min_value=1, max_value=8),
)
def test_nothing_hidden_can_be_worked_out(sizes: dict[str, int], unassigned: int, k: int) -> None:
    """Whatever the groups, what the hidden ones add up to is 0 or at least k."""
    groups = {key: Tally({"speed": n}) for key, n in sizes.items()}
    total = Tally({"speed": sum(sizes.values()) + unassigned})
    table = publish(groups, total, k)
    shown = [tally for _, tally in table.groups if tally is not None]
    assert all(tally.answers >= k for tally in shown)
    if table.total is None:
        assert not shown and total.answers < k
    else:
        rest = table.total.answers - sum(tally.answers for tally in shown)
        assert rest == 0 or rest >= k


def test_provider_teams_and_the_organisation_come_from_the_scores() -> None:
    project, _ = load_project(FIXTURE, Settings())
    scores = _scores(
        _score("helpdesk/it-help", ("speed", 5), ("quality", 2)),
        _score("director/decisions", ("availability", 2)),
    )
    teams = by_provider_team(project.organisation, scores)
    assert teams == {"it": Tally({"speed": 5, "quality": 2}), "office": Tally({"availability": 2})}
    assert organisation_total(scores) == Tally({"speed": 5, "quality": 2, "availability": 2})
    page = render_site(
        project.organisation, project.settings, schemas=load_schemas(), scores=scores
    ).pages["priorities.md"]
    # Head Office has 2 answers: hidden, and IT with it, or 9 − 7 would give Head Office away.
    assert page.count("Too few answers to show") == 2
    assert "<p>9 answers in all.</p>" in page


def test_a_breakdown_by_customer_team_follows_the_same_rule() -> None:
    project, _ = load_project(FIXTURE, Settings())
    scores = _scores(_score("helpdesk/it-help", ("speed", 8), ("quality", 4)))
    by_customer = {"office": Tally({"speed": 8}), "cleaners": Tally({"quality": 3})}
    pages = render_site(
        project.organisation, project.settings, schemas=load_schemas(), scores=scores
    ).pages
    assert "By customer team" not in pages["priorities.md"]
    renderer = Renderer(OrgIndex.build(project.organisation), project.settings, Urls(), scores)
    page = renderer.priorities_page(scores, by_customer)
    section = page[page.index("By customer team") :]
    # 12 answers in all, 8 from Head Office, 3 from the cleaners and 1 without a team:
    # the cleaners are hidden, and the rest (4) would give them away, so Head Office too.
    assert section.count("Too few answers to show") == 2
