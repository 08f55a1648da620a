"""``handbook diff`` in people's terms: the handbook's language, Polish plurals, what a
change means for rewards, and author text that cannot hide anything from a reviewer."""

from __future__ import annotations

import dataclasses
import functools
import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from helpers import REPO_ROOT, run_handbook, valid_roles, write_valid_org
from test_diff import Repo

from generator.git import diff
from generator.git.diff_report import summary
from generator.load.construct import role_from_data
from generator.model.changes import Change
from generator.model.organisation import Expectation
from generator.model.settings import Settings
from generator.project import load_project

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")

DIFF_MODULES = [
    "generator/git/diff.py",
    "generator/git/diff_fields.py",
    "generator/git/diff_words.py",
    "generator/git/diff_rewards.py",
    "generator/git/diff_report.py",
    "generator/git/history.py",
    "generator/cli/diff_messages.py",
    "generator/model/durations.py",
]
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")
ADMIN = "roles/it/administrator-systemow.yaml"
BONUS = "Premia kwartalna do 8% wynagrodzenia zasadniczego"
HALF_DAY = "Wolne popołudnie na koniec kwartału"
ANNUAL = "Trzy dodatkowe dni urlopu i kurs certyfikacyjny do wyboru"


@functools.cache
def english_labels() -> frozenset[str]:
    """The English words of every message: the catalog's and those the diff's code marks."""
    with (REPO_ROOT / "generator" / "i18n" / "locale" / "handbook.pot").open("rb") as handle:
        messages = [m.id for m in read_po(handle) if m.id]
    keywords = {"mark": None, "mark_plural": (1, 2)}
    for module in DIFF_MODULES:
        found = extract_from_file("python", REPO_ROOT / module, keywords=keywords)
        messages += [message for _line, message, _comments, _context in found]
    words: set[str] = set()
    for message in messages:
        for text in message if isinstance(message, tuple) else (message,):
            for fragment in PLACEHOLDER.split(text):
                label = fragment.strip(" ,.;:()“”→–-'")
                if re.search(r"[A-Za-z]{3}", label):
                    words.add(label)
    return frozenset(words)


def english_in(text: str) -> list[str]:
    """The English labels found in ``text`` (as whole words)."""
    return sorted(
        label for label in english_labels() if re.search(rf"\b{re.escape(label)}\b", text)
    )


def replace(path: Path, old: str, new: str) -> None:
    """Replace text in a file, which must contain it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """The ``handbook`` command line."""
    return run_handbook(*args, check=check)


# -- a Polish handbook -----------------------------------------------------------------------


def tighten_it_support(root: Path) -> None:
    """Stricter levels and a faster target; one expectation dropped from the bonus."""
    role = root / ADMIN
    replace(role, "    meets: 6\n    exceeds: 4\n", "    meets: 5\n    exceeds: 4\n")
    replace(role, "    meets: 4.2\n    exceeds: 4.6\n", "    meets: 4.2\n    exceeds: 4.8\n")
    replace(
        role,
        "      - priority: pilne\n        response: 30m\n",
        "      - priority: pilne\n        response: 15m\n",
    )
    text = role.read_text(encoding="utf-8")
    start = text.index("  - id: sprzet-na-czas")
    end = text.index("  - id: ocena-pomocy")
    role.write_text(text[:start] + text[end:], encoding="utf-8")
    replace(role, "      sprzet-na-czas: meets\n", "")


@pytest.fixture
def polish(tmp_path: Path) -> Repo:
    """The Polish example in a git repository, with the IT support role tightened."""
    root = tmp_path / "pl"
    shutil.copytree(REPO_ROOT / "examples" / "pl", root)
    repository = Repo(root)
    repository.commit("Start")
    tighten_it_support(root)
    return repository


def test_polish_handbook_speaks_polish_in_peoples_terms(polish: Repo) -> None:
    markdown = run("diff", "-C", str(polish.root), "HEAD").stdout
    assert markdown.startswith("## Zmiany w podręczniku\n\n")
    assert "\n5 zmian w 1 roli (3 zaostrzenia, 1 złagodzenie).\n" in markdown
    assert "\n### Administrator systemów i wsparcia IT\n" in markdown
    lines = [line for line in markdown.splitlines() if line.startswith("- ")]
    assert lines == [
        "- usunięto oczekiwanie „Nowa osoba może pracować od pierwszego dnia.”; ułatwia"
        f" zdobycie nagrody „{BONUS}”",
        "- oczekiwanie „Zgłoszenia są rozwiązywane szybko.”: próg „spełnia” 6 → 5 mediana"
        f" godzin od zgłoszenia do rozwiązania (ostrzej); utrudnia zdobycie nagrody „{BONUS}”",
        "- oczekiwanie „Użytkownicy są zadowoleni z pomocy IT.”: próg „przekracza” 4,6 → 4,8"
        " średnia ocena (1–5) klientów wewnętrznych usługi „Pomoc przy problemie ze sprzętem"
        f" lub oprogramowaniem” (ostrzej); utrudnia zdobycie nagrody „{ANNUAL}”",
        "- usługa „Pomoc przy problemie ze sprzętem lub oprogramowaniem”, priorytet pilne:"
        " pierwsza odpowiedź: 30 minut → 15 minut (ostrzej); utrudnia zdobycie nagrody"
        f" „{HALF_DAY}”",
        f"- nagroda „{BONUS}”: nie wymaga już: „Nowa osoba może pracować od pierwszego dnia.”"
        " (łatwiejsza do zdobycia)",
    ]
    assert english_in(markdown) == []
    for ident in ("administrator-systemow", "czas-rozwiazania", "premia-kwartalna", "pomoc-it"):
        assert ident not in markdown


def test_the_language_can_be_chosen(polish: Repo) -> None:
    markdown = run("diff", "-C", str(polish.root), "HEAD", "--language", "en").stdout
    assert markdown.startswith("## Handbook changes\n\n5 changes to 1 role (3 stricter, 1 looser).")
    assert (
        "- expectation “Zgłoszenia są rozwiązywane szybko.”: meets 6 → 5 mediana godzin od"
        f" zgłoszenia do rozwiązania (stricter); makes the reward “{BONUS}” harder to reach\n"
    ) in markdown
    assert "4.6 → 4.8" in markdown
    assert {"meets", "stricter", "makes the reward", "harder to reach"} <= set(english_in(markdown))


def test_json_keeps_ids_in_fields_and_words_in_polish(polish: Repo) -> None:
    document = json.loads(run("diff", "-C", str(polish.root), "HEAD", "--format", "json").stdout)
    level = next(
        c for c in document["changes"] if c["field"] == "expectations.czas-rozwiazania.meets"
    )
    assert level["role"] == "administrator-systemow"
    assert (level["before"], level["after"], level["direction"]) == (6, 5, "stricter")
    assert level["impacts"] == [{"reward": "premia-kwartalna", "effect": "harder"}]
    assert level["words"].startswith("oczekiwanie „Zgłoszenia są rozwiązywane szybko.”")
    removed = next(c for c in document["changes"] if c["kind"] == "expectation-removed")
    assert removed["impacts"] == [{"reward": "premia-kwartalna", "effect": "easier"}]


def test_cli_messages_follow_the_language(polish: Repo, tmp_path: Path) -> None:
    unknown = run("diff", "-C", str(polish.root), "no-such-rev", check=False)
    assert unknown.returncode == 2
    assert unknown.stderr == "handbook: błąd: nieznana rewizja 'no-such-rev'\n"
    english = run("diff", "-C", str(polish.root), "no-such-rev", "--language", "en", check=False)
    assert english.stderr == "handbook: error: unknown revision 'no-such-rev'\n"
    outside = tmp_path / "outside"
    shutil.copytree(REPO_ROOT / "examples" / "pl", outside)
    done = run("diff", "-C", str(outside), "HEAD", check=False)
    assert done.returncode == 2
    assert done.stderr == f"handbook: błąd: '{outside}' nie znajduje się w repozytorium git\n"
    missing = run("diff", "-C", str(tmp_path / "none"), "HEAD", "--language", "pl", check=False)
    assert missing.stderr == f"handbook: błąd: '{tmp_path / 'none'}' nie jest folderem\n"
    messages = unknown.stderr + done.stderr + missing.stderr
    for path in (tmp_path / "none", outside):
        messages = messages.replace(str(path), "")
    assert english_in(messages) == []


def history_text(page: Path) -> str:
    """The text of a built role page's history section."""
    markup = page.read_text(encoding="utf-8")
    start = markup.index('<div class="hb-history"')
    block = markup[start : markup.index("</div>", start)]
    return html.unescape(re.sub(r"<[^>]+>", " ", block))


def test_polish_role_page_history_is_polish(polish: Repo) -> None:
    polish.commit("Ostrzejsze progi dla wsparcia IT")
    built = run("build", str(polish.root))
    assert built.returncode == 0, built.stderr
    page = polish.root / "site" / "roles" / "administrator-systemow" / "index.html"
    history = " ".join(history_text(page).split())
    assert "Historia" in history
    assert "pierwsza publikacja opisu roli" in history
    assert (
        "próg „spełnia” 6 → 5 mediana godzin od zgłoszenia do rozwiązania (ostrzej); utrudnia"
        f" zdobycie nagrody „{BONUS}”" in history
    )
    assert english_in(history) == []


# -- plural forms ------------------------------------------------------------------------------

COUNTS = {1: "1 zmiana", 2: "2 zmiany", 5: "5 zmian", 12: "12 zmian", 22: "22 zmiany"}


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repo, dict[int, str]]:
    """A repository where the director gains 1, 2, 5, 12 and 22 responsibilities."""
    root = tmp_path_factory.mktemp("plural") / "handbook"
    root.mkdir()
    repository = Repo(root)
    write_valid_org(root)
    shas = {0: repository.commit("Start")}
    for count in COUNTS:
        director = valid_roles()["company/director.yaml"]
        director["responsibilities"] += [
            {"id": f"task-{n}", "text": f"Task number {n}."} for n in range(count)
        ]
        repository.write_role("company/director.yaml", director)
        shas[count] = repository.commit(f"{count} more tasks")
    return repository, shas


@pytest.mark.parametrize("count", list(COUNTS))
def test_summary_plural_forms(many: tuple[Repo, dict[int, str]], count: int) -> None:
    repository, shas = many
    for language, expected in (
        ("pl", f"{COUNTS[count]} w 1 roli."),
        ("en", f"{count} change{'s' if count > 1 else ''} to 1 role."),
    ):
        found, old, new = diff.compare(
            repository.root, shas[0], shas[count], Settings(), language=language
        )
        assert len(found) == count
        markdown = diff.format_markdown(found, new, before=old, language=language)
        assert markdown.splitlines()[2] == expected


FORMS = {
    "changes": ("zmiana", "zmiany", "zmian"),
    "roles": ("w {n} roli", "w {n} rolach", "w {n} rolach"),
    "stricter": ("zaostrzenie", "zaostrzenia", "zaostrzeń"),
    "looser": ("złagodzenie", "złagodzenia", "złagodzeń"),
    "attention": (
        "usuwa coś lub odłącza opinie",
        "usuwają coś lub odłączają opinie",
        "usuwa coś lub odłącza opinie",
    ),
}


@pytest.mark.parametrize(
    ("count", "form"), [(1, 0), (2, 1), (4, 1), (5, 2), (12, 2), (14, 2), (22, 1), (24, 1)]
)
def test_every_part_of_the_summary_has_polish_plurals(count: int, form: int) -> None:
    def same(kind: str, direction: Any = None) -> list[Change]:
        return [Change(kind, "", "role", direction=direction)] * count

    changes = f"{count} {FORMS['changes'][form]}"
    one_role = FORMS["roles"][0].format(n=1)
    assert summary(same("role-changed"), "pl") == f"{changes} {one_role}."
    assert summary(same("expectation-level", "stricter"), "pl") == (
        f"{changes} {one_role} ({count} {FORMS['stricter'][form]})."
    )
    assert summary(same("commitment-target", "looser"), "pl") == (
        f"{changes} {one_role} ({count} {FORMS['looser'][form]})."
    )
    assert summary(same("role-removed"), "pl") == (
        f"{changes} {one_role} ({count} {FORMS['attention'][form]})."
    )
    apart = [Change("role-changed", "", f"role-{n}") for n in range(count)]
    assert summary(apart, "pl") == f"{changes} {FORMS['roles'][form].format(n=count)}."
    teams = [Change("team-changed", "", team="t")] * count
    assert summary(teams, "pl") == f"{changes}."


# -- what a change means for rewards -----------------------------------------------------------


@pytest.fixture
def rewarded(tmp_path: Path) -> tuple[Repo, dict[str, dict[str, Any]]]:
    """The small organisation, committed; returns its role data to edit."""
    root = tmp_path / "handbook"
    root.mkdir()
    repository = Repo(root)
    write_valid_org(root)
    repository.commit("Start")
    return repository, valid_roles()


def by_field(repository: Repo, base: str) -> dict[str, Change]:
    """The changes from ``base`` to the working tree, by role and field."""
    found, _old, _new = diff.compare(repository.root, base, None, Settings())
    return {f"{c.role}:{c.field}": c for c in found}


def test_levels_name_the_rewards_they_make_harder_or_easier(
    rewarded: tuple[Repo, dict[str, dict[str, Any]]],
) -> None:
    repository, roles = rewarded
    roles["support/helpdesk-agent.yaml"]["expectations"][0]["exceeds"] = 20
    roles["company/director.yaml"]["expectations"][0]["meets"] = 40
    roles["company/director.yaml"]["expectations"][0]["measure"] = "days after the quarter starts"
    for path, data in roles.items():
        repository.write_role(path, data)
    found = by_field(repository, "HEAD")
    harder = found["helpdesk-agent:expectations.answer-time.exceeds"]
    assert harder.words == (
        "expectation “Calls are answered quickly.”: exceeds 30 → 20 seconds until a call is"
        " answered (stricter); makes the reward “A day off” harder to reach"
    )
    assert [(i.reward, i.effect) for i in harder.impacts] == [("quick-answer", "harder")]
    easier = found["director:expectations.plan-on-time.meets"]
    assert easier.direction == "looser"
    assert easier.words.endswith("(looser); makes the reward “Annual bonus” easier to reach")
    measure = found["director:expectations.plan-on-time.measure"]
    assert measure.words == (
        "expectation “The plan is published on time.”: measured as “days after the start of the"
        " year” → “days after the quarter starts”; changes what it takes to reach the reward"
        " “Annual bonus”"
    )


def test_removed_and_renamed_expectations_name_their_rewards(
    rewarded: tuple[Repo, dict[str, dict[str, Any]]],
) -> None:
    repository, roles = rewarded
    lead = roles["support/helpdesk-lead.yaml"]
    lead["expectations"].pop(0)  # first-fix-rate, which the quarterly bonus required
    lead["rewards"][0]["requires"] = {"ticket-rating": "meets"}
    agent = roles["support/helpdesk-agent.yaml"]
    agent["expectations"][0]["id"] = "call-answer-time"
    agent["rewards"][0]["requires"] = {"call-answer-time": "exceeds"}
    for path, data in roles.items():
        repository.write_role(path, data)
    found = by_field(repository, "HEAD")
    removed = found["helpdesk-lead:expectations.first-fix-rate"]
    assert removed.words == (
        "expectation removed: “Most tickets are fixed at first contact.”; makes the reward"
        " “Quarterly bonus” easier to reach"
    )
    criteria = found["helpdesk-lead:rewards.service-star.requires"]
    assert criteria.words == (
        "reward “Quarterly bonus”: now also requires “Colleagues are happy with the help.”"
        " (meets); no longer requires “Most tickets are fixed at first contact.”"
    )
    renamed = found["helpdesk-agent:expectations.call-answer-time.id"]
    assert (renamed.kind, renamed.before, renamed.after) == (
        "expectation-changed",
        "answer-time",
        "call-answer-time",
    )
    assert renamed.words == (
        "expectation “Calls are answered quickly.”: has a new identifier in the role file; the"
        " reward “A day off” still depends on it as before"
    )
    same = found["helpdesk-agent:rewards.quick-answer.requires"]
    assert same.direction is None
    assert same.words == (
        "reward “A day off”: requires “Calls are answered quickly.” (exceeds) as before"
    )


@dataclasses.dataclass(frozen=True, slots=True)
class MeasuredExpectation(Expectation):
    """An expectation measured from request data against a service target.

    The role format's request-data source (``source: requests``, ``commitment:``,
    ``metric: response|resolution``) builds expectations of this shape.
    """

    metric: str | None = None


def test_a_target_change_names_the_rewards_of_the_expectations_it_feeds() -> None:
    data = valid_roles()["support/helpdesk-lead.yaml"]
    old = role_from_data(data, "roles/support/helpdesk-lead.yaml")
    on_time = MeasuredExpectation(
        "urgent-on-time",
        "Urgent requests get a first answer in time.",
        better="higher",
        meets=90,
        measure="% of urgent requests answered within the target",
        commitment="it-requests",
        metric="response",
    )
    bonus = dataclasses.replace(old.rewards[0], requires={"urgent-on-time": "meets"})
    old = dataclasses.replace(old, expectations=(*old.expectations, on_time), rewards=(bonus,))
    service = old.commitments[0]
    urgent, normal = service.targets
    faster = dataclasses.replace(urgent, response="30m")
    slower = dataclasses.replace(normal, resolution="3d")
    new = dataclasses.replace(
        old, commitments=(dataclasses.replace(service, targets=(faster, slower)),)
    )
    found = {c.field: c for c in diff.diff_roles(old, new)}
    response = found["commitments.it-requests.targets.urgent.response"]
    assert response.words == (
        "service “Help with computers”, urgent requests: first response 1 hour → 30 minutes"
        " (stricter); makes the reward “Quarterly bonus” harder to reach"
    )
    assert [(i.reward, i.effect) for i in response.impacts] == [("service-star", "harder")]
    resolution = found["commitments.it-requests.targets.normal.resolution"]
    assert resolution.impacts == ()  # the expectation is measured by the first response


# -- author text that could hide something -----------------------------------------------------

CONTROLS = [
    *map(chr, range(0x20)),
    "\x7f",
    *map(chr, range(0x80, 0xA0)),
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
]
LINE = [c for c in CONTROLS if c not in "\n\r"]
"""What a single-line field may hold."""
SPACING = {"\t", "\n", "\r"}
"""Put on one line as spaces in the words of a change."""


def mark_of(char: str) -> str:
    """How a control character is shown."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else f"‹U+{code:04X}›"


MARKS = " ".join("".join(" " if c in SPACING else mark_of(c) for c in LINE).split())
"""The single-line controls as the words of a change show them."""


def _hostile_pair(root: Path) -> tuple[Any, Any]:
    """The valid organisation, and the same with every control character in its fields.

    Validation refuses such files (the schema keeps control characters out of text), so
    the hostile organisation is made as values: what reaches the diff's words if a file
    ever got past the checks.
    """
    write_valid_org(root)
    project, _ = load_project(root, Settings())
    old = project.organisation
    hostile = "".join(LINE)
    agent = old.roles["helpdesk-agent"]
    commitment = dataclasses.replace(
        agent.commitments[0],
        request_via=f"*now* [x](https://evil.example) <b>@team</b> {hostile} end",
    )
    expectation = dataclasses.replace(agent.expectations[0], measure=f"seconds {hostile} end")
    changed = dataclasses.replace(
        agent,
        title=f"Helpdesk Agent {hostile} end",
        summary=f"Answers {''.join(CONTROLS)} calls.",
        owners=(*agent.owners, f"@eve {hostile} end"),
        commitments=(commitment, *agent.commitments[1:]),
        expectations=(expectation, *agent.expectations[1:]),
    )
    teams = {
        ident: dataclasses.replace(team, name=f"IT {hostile} Support")
        if team.name == "IT Support"
        else team
        for ident, team in old.teams.items()
    }
    new = dataclasses.replace(old, roles={**old.roles, "helpdesk-agent": changed}, teams=teams)
    return old, new


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    old, new = _hostile_pair(tmp_path)
    changes = diff.diff_organisations(old, new)
    markdown = diff.format_markdown(changes, new, before=old)
    for char in CONTROLS:
        if char != "\n":
            assert char not in markdown, hex(ord(char))
        if char not in SPACING:
            assert mark_of(char) in markdown, hex(ord(char))
    assert f"\n- owners: added @\u2060eve {MARKS} end (now" in markdown
    assert "\n### Teams\n" in markdown and f"team IT {MARKS} Support" in markdown
    via = next(line for line in markdown.splitlines() if "ask via" in line)
    assert "&lt;b&gt;@\u2060team&lt;/b&gt;" in via and "<b>" not in markdown
    assert "@eve" not in markdown and "@team" not in markdown
    document = diff.format_json(changes)
    assert not any(c in document for c in CONTROLS if c != "\n")
    owners = next(c for c in json.loads(document)["changes"] if c["field"] == "owners")
    assert owners["after"][-1] == f"@eve {''.join(LINE)} end"  # the data, unchanged
    assert f"@eve {MARKS} end" in owners["words"]


def test_history_words_show_control_characters(tmp_path: Path) -> None:
    old, new = _hostile_pair(tmp_path)
    changes = diff.diff_roles(old.roles["helpdesk-agent"], new.roles["helpdesk-agent"])
    words = " ".join(c.words for c in changes)
    assert not any(c in words for c in CONTROLS)
    assert "␛" in words and "‹U+202E›" in words
