"""Who carries the work across plans: agencies counted over parsed plans (`vnplanparse agencies`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..extraction.agencies import expand
from ..extraction.places import Place, agency_province, issuer_place
from ..model.plan import PlanDocument
from ..normalising.folding import fold


@dataclass
class AgencyCount:
    name: str  # the expanded name as most often written
    place: Place | None = None  # its province (a central body: none)
    lead: int = 0  # assignments it leads
    partner: int = 0  # assignments it joins
    targets: int = 0  # targets in the sections of the assignments it leads
    plans: set[str] = field(default_factory=set)
    spellings: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict:
        where = self.place
        return {"name": self.name, "province": where and where.name, "province_code": where and where.code,
                "province_2025": where and where.name_2025, "province_code_2025": where and where.code_2025,
                "lead": self.lead, "partner": self.partner, "targets": self.targets,
                "plans": len(self.plans), "written": sorted(self.spellings)}


def count_agencies(documents: list[tuple[str, PlanDocument]]) -> list[AgencyCount]:
    """Agencies over (plan name, parsed plan) pairs, most assignments first. An agency is its name
    and its province (places.agency_province), so two provinces' `Sở Y tế` stay apart; spellings
    that differ only by an abbreviation, case or tone placement ("Sở KH&CN", "Sở Khoa học và Công
    nghệ") are one agency."""
    counts: dict[tuple[str, str | None], AgencyCount] = {}

    for plan, document in documents:
        meta = document.metadata
        issuer = issuer_place(meta.province, meta.issuer, meta.issued_date)

        def entry(name: str, plan: str = plan, issuer: Place | None = issuer) -> tuple[str, str | None]:
            expanded = expand(name)
            place = agency_province(expanded, issuer, meta.issued_date)
            key = (fold(expanded), place and place.name)
            count = counts.setdefault(key, AgencyCount(expanded, place))
            count.plans.add(plan)
            count.spellings[name] += 1
            return key

        led_targets: dict[tuple[str, str | None], set[str]] = {}
        for assignment in document.assignments:
            for name in assignment.lead:
                key = entry(name)
                counts[key].lead += 1
                led_targets.setdefault(key, set()).update(_targets_in(document, assignment.section))
            for name in assignment.partners:
                counts[entry(name)].partner += 1
        for key, target_ids in led_targets.items():
            counts[key].targets += len(target_ids)
    for count in counts.values():
        written: Counter[str] = Counter()
        for spelling, n in count.spellings.items():
            written[expand(spelling)] += n
        count.name = written.most_common(1)[0][0]
    return sorted(counts.values(), key=lambda c: (-(c.lead + c.partner), -c.lead, c.name, c.place and c.place.name or ""))


def _targets_in(document: PlanDocument, section: str | None) -> set[str]:
    if section is None:
        return set()
    return {t.id for t in document.targets if t.section == section or (t.section or "").startswith(section + ".")}


def format_counts(counts: list[AgencyCount]) -> str:
    lines = [f"{'lead':>5}{'partner':>8}{'targets':>8}{'plans':>6}  agency (province)"]
    lines += [f"{c.lead:>5}{c.partner:>8}{c.targets:>8}{len(c.plans):>6}  {c.name}"
              + (f" ({c.place.name})" if c.place else "") for c in counts]
    return "\n".join(lines)
