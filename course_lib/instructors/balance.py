"""instructors/balance.md, written from the case so it can never drift from it: every key that judges
a party (the article, the administration, North Korea, China), the standard it applies and the
alternatives it accepts, so an instructor can see at a glance whether both sides get the same charity.

`course-lib balance --out instructors/balance.md --force` writes it; a test checks the committed file is current.
The party and the standard of each item are data in the exercise files (`parties`, `standard`); the
alternatives accepted are read from the items' `accepted` and `partial` answers.
"""

from __future__ import annotations

from collections import Counter



def _sides(case) -> str:
    """The sides a key can judge, read from the case: the article, then each government with its actors."""
    govs = [f"- {g.id} ({g.name}): {', '.join(a.id for a in case.actors if a.government == g.id)}"
            for g in case.governments if any(a.government == g.id for a in case.actors)]
    return "\n".join(["Sides: the article, and each government with its actors:", "", *govs])

def party_label(case, party: str) -> str:
    """"the article", or an actor's id with its government: PRES (USA)."""
    if party == "article":
        return "the article"
    actor = case.actors.get(party)
    return f"{party} ({actor.government})" if actor else party


def side(case, party: str) -> str:
    """The side a party is on for the symmetry count: the article, or a government's id."""
    if party == "article":
        return "article"
    return case.actors[party].government if party in case.actors else party


def alternatives(item) -> list[str]:
    """The disputed answers an item's key also credits: full credit (accepted) or half (partial)."""
    out = [f"`{o.id}` (full)" for o in item.options if o.accepted]
    for e in item.entries:
        out += [f"{e.id} → `{c}` (full)" for c in e.accepted]
        out += [f"{e.id} → `{c}` (half)" for c in e.partial]
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def balance(case) -> str:
    """The whole page as Markdown: a summary by side, the claims' verdicts by side, then every key."""
    judging = [e for e in case.exercises if e.parties]
    sides = ["article"] + sorted(({side(case, p) for e in judging for p in e.parties}
                                  | {side(case, c.party) for c in case.party_claims}) - {"article"})
    lines = ["# One standard for both sides", "",
             "Written by `course-lib balance` from the case's exercise files and claims.toml; do not edit by",
             "hand. Each exercise that judges a party names it (`parties`) and the rule its key applies",
             "(`standard`); the alternatives accepted are read from the items' `accepted` and `partial` answers.",
             "Use it to check that the article and the parties it writes about get the same charity.", "",
             "## At a glance", "",
             "| side | keys that judge it | of which accept an alternative | claims with a verdict | verdicts |",
             "|---|---|---|---|---|"]
    every_claim = list(case.claims) + list(case.party_claims)
    for s in sides:
        items = [e for e in judging if any(side(case, p) == s for p in e.parties)]
        with_alt = sum(bool(alternatives(e)) for e in items)
        claims = [c for c in every_claim if side(case, c.party) == s]
        verdicts = ", ".join(f"{n} {v}" for v, n in sorted(Counter(c.verdict for c in claims).items(),
                                                           key=lambda kv: (-kv[1], kv[0])))
        name = "the article" if s == "article" else s
        lines.append(f"| {name} | {len(items)} | {with_alt} | {len(claims)} | {verdicts or '—'} |")
    lines += ["", _sides(case), "", "## Every key that judges a party", "",
              "| lesson | item | party | standard applied | alternative accepted |", "|---|---|---|---|---|"]
    for e in sorted(judging, key=lambda e: (e.lesson, [x.id for x in case.exercises].index(e.id))):
        parties = ", ".join(party_label(case, p) for p in e.parties)
        alt = "; ".join(alternatives(e)) or "none"
        lines.append(f"| {e.lesson} | `{e.id}` | {parties} | {_cell(e.standard)} | {_cell(alt)} |")
    return "\n".join(lines) + "\n"
