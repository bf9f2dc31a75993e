"""Which tambon fund a source row is about.

1. The official tambon code, when the row has one and it is a fund of the province: matched ("code").
2. Otherwise the fund's name, normalized (normalize.fund_name_key: no spaces, no prefix words, Arabic
   digits), among the funds of the row's district (the whole province when the row names no district
   or one we do not know):
   - exactly one fund with the same name: matched ("name", score 100);
   - else rapidfuzz similarity (0–100): the best fund at MATCH_SCORE or above, with no other fund within
     TIE_MARGIN of it: matched ("fuzzy");
   - two funds of the same name, a tie, or a best score between REVIEW_SCORE and MATCH_SCORE:
     ambiguous, the candidates kept for a person to choose;
   - below REVIEW_SCORE: unmatched.
"""

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from networks.models import NetworkLevel, NetworkPage

from .normalize import district_name_key, fund_name_key, read_area_code

MATCH_SCORE = 80.0
REVIEW_SCORE = 60.0
TIE_MARGIN = 5.0
MAX_CANDIDATES = 5


@dataclass
class Match:
    status: str  # matched / ambiguous / unmatched
    network_id: int | None = None
    method: str = ""
    score: float | None = None
    candidates: list = field(default_factory=list)
    note: str = ""


@dataclass
class FundIndex:
    """The funds and districts of one province, read once for all the rows of a file (two queries)."""

    province_code: str
    funds: dict = field(default_factory=dict)  # id -> (title, area_code, name key)
    by_code: dict = field(default_factory=dict)  # tambon code -> id
    districts: dict = field(default_factory=dict)  # district code -> name key

    @classmethod
    def for_province(cls, province_code):
        index = cls(province_code)
        for pk, title, area_code in NetworkPage.objects.filter(
            province_code=province_code, level=NetworkLevel.TAMBON
        ).values_list("pk", "title", "area_code"):
            index.funds[pk] = (title, area_code, fund_name_key(title))
            if area_code:
                index.by_code[area_code] = pk
        for title, area_code in NetworkPage.objects.filter(
            province_code=province_code, level=NetworkLevel.DISTRICT
        ).values_list("title", "area_code"):
            index.districts[area_code] = district_name_key(title)
        return index

    def district_code(self, value):
        """The district a row names, by its 4-digit code or its name (an abbreviated name such as
        "เมือง" finds "เมืองเชียงราย" when it fits one district only); "" when none fits."""
        code = read_area_code(value, 4)
        if code in self.districts:
            return code
        key = district_name_key(value)
        if not key:
            return ""
        exact = [code for code, name in self.districts.items() if name == key]
        if len(exact) == 1:
            return exact[0]
        starting = [code for code, name in self.districts.items() if name.startswith(key)]
        return starting[0] if len(starting) == 1 else ""

    def title(self, network_id):
        return self.funds[network_id][0]


def match_row(index, tambon_code="", fund_name="", district=""):
    code = read_area_code(tambon_code, 6)
    if code and code in index.by_code:
        return Match("matched", index.by_code[code], "code", 100.0)
    note = "code-unknown" if code else ""
    key = fund_name_key(fund_name)
    if not key:
        return Match("unmatched", note=note or "no-name")
    district_code = index.district_code(district) if district else ""
    pool = {
        pk: name for pk, (_title, area_code, name) in index.funds.items()
        if not district_code or area_code.startswith(district_code)
    }
    same = [pk for pk, name in pool.items() if name == key]
    if len(same) == 1:
        return Match("matched", same[0], "name", 100.0, note=note)
    if len(same) > 1:
        return Match("ambiguous", candidates=_candidates(index, [(pk, 100.0) for pk in same]), note="same-name")
    scored = process.extract(key, pool, scorer=fuzz.ratio, limit=MAX_CANDIDATES, score_cutoff=REVIEW_SCORE)
    ranked = [(pk, round(score, 1)) for _name, score, pk in scored]
    if not ranked:
        return Match("unmatched", note=note)
    best_pk, best = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best >= MATCH_SCORE and best - runner_up >= TIE_MARGIN:
        return Match("matched", best_pk, "fuzzy", best, candidates=_candidates(index, ranked), note=note)
    return Match("ambiguous", score=best, candidates=_candidates(index, ranked),
                 note="tie" if best >= MATCH_SCORE else "low-score")


def _candidates(index, ranked):
    return [{"id": pk, "title": index.title(pk), "code": index.funds[pk][1], "score": score} for pk, score in ranked]
