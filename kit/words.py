"""Numbers and findings in words: how the kit prints a number, a change or an FTE count, and the
one-line finding each chart states in its title. Pure functions, doctested; the charts, the
dashboard and the exports all print through these, so a number reads the same everywhere."""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from .model import MODES

TENDENCY = ((0.1, None), (0.3, "a weak"), (0.5, "a moderate"), (0.7, "a strong"), (2.0, "a very strong"))


def format_change(x: float, digits: int = 1) -> str:
    """+1.2, −1.2, or 0.0 when the number rounds to zero (no sign a reader could take for a change).

    >>> format_change(1.234), format_change(-0.04)
    ('+1.2', '0.0')
    """
    text = format_number(x, digits, sign=True)
    return text if any(c in "123456789" for c in text) else format_number(0.0, digits)


def format_number(x: float, digits: int = 1, sign: bool = False) -> str:
    """x with `digits` decimals and thousands commas, rounded as Vega's format() rounds (half away
    from zero on the exact binary value), so a static chart and its live twin print the same text.

    >>> format_number(1234.5), format_number(2.5, 0), format_number(-1.25, 1, sign=True)
    ('1,234.5', '3', '−1.3')
    """
    value = Decimal(x).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return format(value, ("+" if sign else "") + f",.{digits}f").replace("-", "\u2212")


def change_phrase(before: float, after: float, unit: str = "", digits: int = 1) -> str:
    """'rises from 40.2% to 40.7%', 'falls from ...' or 'stays at 40.2%': the verb always agrees
    with the numbers as printed (rounding is monotone, so printed order = true order).

    >>> change_phrase(40.2, 40.7, "%"), change_phrase(3.04, 3.01)
    ('rises from 40.2% to 40.7%', 'stays at 3.0')
    """
    b, a = format_number(before, digits) + unit, format_number(after, digits) + unit
    if a == b:
        return f"stays at {b}"
    return f"{'rises' if after > before else 'falls'} from {b} to {a}"


def format_fte(fte: float) -> str:
    """Full-time equivalents as the kit prints them everywhere: one decimal below 100 (a small
    practice releases 3.6 FTE, not 4), whole numbers above, and 0 for nothing.

    >>> format_fte(3.64), format_fte(1234.4), format_fte(0.01)
    ('3.6', '1,234', '0')
    """
    if abs(fte) < 0.05:
        return "0"
    return format_number(fte, 1 if abs(fte) < 100 else 0)


def format_money(dollars: float) -> str:
    """Dollars as the kit prints them everywhere: $75,833, $1.2 million, $3.4 billion.

    >>> format_money(75833), format_money(1.23e6), format_money(3.4e9)
    ('$75,833', '$1.2 million', '$3.4 billion')
    """
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(dollars) >= size:
            return f"${format_number(dollars / size, 1)} {word}"
    return f"${format_number(dollars, 0)}"


def format_amount(x: float) -> str:
    """A quantity to print in a sentence: whole numbers from 100 up, one decimal below.

    >>> format_amount(1234.5), format_amount(12.34)
    ('1,234', '12.3')
    """
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


def short_title(title: str) -> str:
    """A role title short enough for a sentence, still a clear name: 'Medical Secretaries and
    Administrative Assistants' -> 'Medical Secretaries'; 'Licensed Practical and Licensed
    Vocational Nurses' -> 'Licensed Practical Nurses' (the head of an 'X and Y Nurses' title
    needs the noun it shares with the rest).

    >>> short_title("Medical Secretaries and Administrative Assistants")
    'Medical Secretaries'
    >>> short_title("Licensed Practical and Licensed Vocational Nurses")
    'Licensed Practical Nurses'
    """
    for cut in (" (", ", ", " Except"):
        title = title.split(cut)[0]
    head = title.split(" and ")[0]
    if " " not in head:
        return title  # 'Medical and Health Services Managers': no shorter clear name
    return head if head.endswith("s") else f"{head} {title.split()[-1]}"


def role_shift_headline(by_role: pd.DataFrame) -> str:
    """The finding in one line: the role whose week shifts most, and how each mode changes.

    "Shifts most" = the largest total absolute change, summed over the three modes, in hours per
    person per week (hours that move between modes or are released); ties go to the role listed
    first. Only the roles in `by_role` are considered, so a chart of some roles names one of them.

    >>> role_shift_headline(kit.simulate().by_role)
    "Today: how each role's week divides between execution, curation and presence"
    >>> role_shift_headline(kit.simulate(kit.Scenario(automation={"clinical_documentation": 0.5})).by_role)
    '... shift most: execution −..., curation +..., presence +... h/week'
    """
    titles, change = _per_role(by_role, "hours_change")
    if len(titles) == 0 or np.abs(change).max() < 1e-9:
        return "Today: how each role's week divides between execution, curation and presence"
    if np.abs(change).max() < 0.05:
        return "Small shifts: no role's week changes by as much as 0.05 hours in any mode"
    i = int(np.argmax(np.abs(change).sum(axis=1)))
    digits = 1 if np.abs(change[i]).max() >= 0.05 else 2
    return (f"{short_title(titles[i])} shift most: execution {format_change(change[i, 0], digits)}, "
            f"curation {format_change(change[i, 1], digits)}, presence {format_change(change[i, 2], digits)} h/week")


def _per_role(by_role: pd.DataFrame, column: str):
    """Role titles (R,) and a column as an (R, 3) array in MODES order. Fast: runs on every slider move."""
    modes = by_role["mode"].to_numpy()
    if len(modes) % 3 == 0 and (modes.reshape(-1, 3) == np.array(MODES)).all():
        return by_role.title.to_numpy()[::3], by_role[column].to_numpy().reshape(-1, 3)
    table = by_role.pivot_table(index="title", columns="mode", values=column, sort=False).reindex(
        columns=list(MODES), fill_value=0.0)
    return table.index.to_numpy(), table.to_numpy()


def org_shift_headline(org_by_mode: pd.DataFrame) -> str:
    """The finding in one line: how the shares of execution and presence move. Each verb (rises,
    falls, stays at) agrees with the two numbers it joins: automating curation with freed time
    going to capacity can raise execution's share (the throughput trap, see kit.model).

    >>> org_shift_headline(kit.simulate(kit.Scenario.from_preset("admin_automation")).org_by_mode)
    'Execution falls from ...% to ...% of paid hours; presence rises from ...% to ...%'
    """
    share = 100 * org_by_mode.set_index("mode")[["share_before", "share_after"]]
    if (share.share_before - share.share_after).abs().max() < 1e-9:
        return (f"Today {format_number(share.share_before['execution'])}% of paid hours are execution work "
                f"and {format_number(share.share_before['presence'])}% presence")
    ex, pr = share.loc["execution"], share.loc["presence"]
    return (f"Execution {change_phrase(ex.share_before, ex.share_after, '%')} of paid hours; "
            f"presence {change_phrase(pr.share_before, pr.share_after, '%')}")


def rank_correlation(x, y) -> float:
    """Spearman's rank correlation (ties share their mean rank): how far a higher x goes with a
    higher y (+1), a lower y (−1), or neither (0). NaN if either is constant.

    >>> rank_correlation([1, 2, 3], [30, 20, 10]), rank_correlation([1, 2, 3], [5, 5, 5])
    (-1.0, nan)
    """
    rx, ry = pd.Series(x).rank().to_numpy(float), pd.Series(y).rank().to_numpy(float)
    if len(rx) < 2 or rx.std() == 0 or ry.std() == 0:
        return math.nan
    return float(np.corrcoef(rx, ry)[0, 1])


def moat_headline(points: pd.DataFrame) -> str:
    """What the roles show about exposure and the human moat, computed: the direction and strength
    of the rank correlation (|rho| < 0.1 none, < 0.3 weak, < 0.5 moderate, < 0.7 strong, else very
    strong, judged on rho as printed), and the clearest exception to the tendency: the most exposed
    role among the top quarter by exposure whose moat is on the 'wrong' side of the median.

    >>> moat_headline(kit.load_roles())
    'More AI-exposed roles tend to have a ... human moat (... tendency: rank correlation ...)...'
    """
    rho = rank_correlation(points.exposure, points.moat_score)
    if math.isnan(rho):
        return "Too few different roles to say how AI exposure and the human moat go together"
    printed = format_number(rho, 2, sign=True)
    strength = next(word for limit, word in TENDENCY if abs(float(printed.replace("\u2212", "-"))) < limit)
    if strength is None:
        return f"AI exposure says little about a role's human moat (rank correlation {printed})"
    thinner = rho < 0
    headline = (f"More AI-exposed roles tend to have a {'thinner' if thinner else 'thicker'} human moat "
                f"({strength} tendency: rank correlation {printed})")
    exposed = points[points.exposure >= points.exposure.quantile(0.75)]
    against = exposed[(exposed.moat_score > points.moat_score.median()) if thinner
                      else (exposed.moat_score < points.moat_score.median())]
    if against.empty:
        return headline
    odd = against.loc[against.exposure.idxmax()]
    return (f"{headline}; {short_title(odd.title)} are an exception (exposure {odd.exposure:.2f}, "
            f"moat {odd.moat_score:.2f})")


def exposure_headline(role: str, exposed: pd.Series) -> str:
    """How much of a role's week is exposed to AI and where: `exposed` = share of the week x
    exposure, per task family. 'most of it in X' only when X holds over half the exposed time
    (as printed); else 'the largest part in X'.

    >>> exposure_headline("Receptionists", pd.Series({"Scheduling": 0.3, "Billing": 0.1}))
    'Receptionists: 40% of the week is exposed to AI, most of it in scheduling (75% of the exposed time)'
    >>> exposure_headline("Pathologists", pd.Series({"Diagnosis": 0.001}))
    'Pathologists: almost none of the week is exposed to AI'
    """
    total = float(exposed.sum())
    if round(100 * total) < 1:
        return f"{role}: almost none of the week is exposed to AI"
    top = exposed.idxmax()
    part = round(100 * float(exposed[top]) / total)
    if (exposed > 0).sum() == 1:
        return f"{role}: {total:.0%} of the week is exposed to AI, all of it in {top.lower()}"
    where = "most of it" if part > 50 else "the largest part"
    return f"{role}: {total:.0%} of the week is exposed to AI, {where} in {top.lower()} ({part}% of the exposed time)"


def pajama_headline(clinicians: pd.DataFrame) -> str:
    """The finding in one line, from result.roles rows with a pajama-time baseline: the clinician
    whose after-hours charting falls most.

    >>> roles = kit.simulate(kit.Scenario.from_preset("scribes_trial")).roles
    >>> pajama_headline(roles[roles.pajama_before > 0])
    '...: after-hours charting falls from ... to ... h/week'
    """
    change = clinicians.pajama_after - clinicians.pajama_before
    first = clinicians.loc[change.idxmin()]
    if change.min() < -0.05:
        return (f"{short_title(first.title)}: after-hours charting "
                f"{change_phrase(first.pajama_before, first.pajama_after)} h/week")
    return (f"Pajama time today: up to {format_number(clinicians.pajama_before.max())} hours a week of "
            "after-hours charting")
