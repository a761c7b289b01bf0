"""Every constant of policy the claim checker uses, in one place.

docs/claims.md explains each one; change them here and nowhere else.
"""

from __future__ import annotations

from fractions import Fraction

# The longest claim text read, in characters: a few sentences. Reading a claim's figures
# grows faster than its text, so a book-length "claim" is refused rather than parsed for hours.
MAX_TEXT_CHARS = 10_000
# A hedge ("about", "nearly", "just over") tolerates t(X) = max(u, HEDGE_FRACTION * |X|).
HEDGE_FRACTION = Fraction(1, 10)
# A hedged claim that misses by up to LOOSE_HEDGE_FACTOR * t is "loose", not "inaccurate".
LOOSE_HEDGE_FACTOR = 2
# The unit u of number words, named fractions and "k in N" phrases, in percentage points.
WORD_UNIT = Fraction(1)

# Named fractions: a claimed fraction must be nearer to its value than to any of these.
NAMED_FRACTIONS: tuple[Fraction, ...] = tuple(
    Fraction(n, d)
    for n, d in (
        (1, 10),
        (1, 5),
        (1, 4),
        (3, 10),
        (1, 3),
        (2, 5),
        (1, 2),
        (3, 5),
        (2, 3),
        (7, 10),
        (3, 4),
        (4, 5),
        (9, 10),
    )
)
# The outermost named fractions are bounded by "none" and "all".
FRACTION_LIMITS = (Fraction(0), Fraction(1))
# A named fraction further than this many percentage points from the value is "imprecise".
IMPRECISE_FRACTION_POINTS = Fraction(2)

# "k in N" where N is one of these is a percentage in disguise: k is the rounded figure.
PERCENT_IN_DISGUISE = frozenset({10, 100, 1000})

# "doubled", "tripled", ...: the ratio after / before must lie within factor +- this
# (doubled [1.95, 2.05]); for "halved" the tolerance is scaled by 1/2 ([0.475, 0.525]).
MULTIPLE_TOLERANCE = Fraction(1, 20)
# Outside that but within this fraction of the factor is "loose" ("roughly doubled"):
# doubled [1.8, 2.2], halved [0.45, 0.55]. Numeric multiples ("1.5 times") have no loose band.
MULTIPLE_LOOSE = Fraction(1, 10)
MULTIPLES: dict[str, Fraction] = {
    "doubled": Fraction(2),
    "doubles": Fraction(2),
    "twice": Fraction(2),
    "tripled": Fraction(3),
    "triples": Fraction(3),
    "trebled": Fraction(3),
    "trebles": Fraction(3),
    "quadrupled": Fraction(4),
    "quadruples": Fraction(4),
    "halved": Fraction(1, 2),
    "halves": Fraction(1, 2),
}

# Small bases (warning 6).
SMALL_BASE_UNRELIABLE = 20
SMALL_BASE_DO_NOT_COMPUTE = 3

# Suppressed cells (warning 7): "<n" means [0, n - 1]; "*" and "[c]" use this threshold.
DEFAULT_SUPPRESSION_THRESHOLD = 5

# Comparisons: "slightly higher" means higher by at most this many percentage points.
SLIGHTLY_POINTS = Fraction(2)

# Words that make a ratio of two counts sound like a probability (warning 1).
CHANCE_WORDS = ("chance", "likelihood", "likely", "risk", "odds", "probability")
# Denominator stages that fit the standard CPS "conviction rate" (warning 3).
CONVICTION_RATE_DENOMINATORS = ("prosecution", "prosecutions", "completed prosecutions")
