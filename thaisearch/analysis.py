"""Turning Thai (and English) text into search terms, the same way at index time and at query time.

Thai has no spaces between words, and both database full-text engines (SQLite FTS5, PostgreSQL
to_tsvector) split words on spaces only. So text is segmented with PyThaiNLP's offline dictionary
tokenizer (newmm) and stored as space-separated terms.

Segmenting is not enough: the dictionary holds compounds such as "มีระเบียบ", "บัญชีรายชื่อ" and
"เงินสมทบ" as single words, so "ระเบียบ" would not match them. Each token of three syllables or
more is therefore split further into the fewest dictionary words that cover it (the token itself
excluded), recursively. The *parts replace the compound* in the term stream, in order, so
positions stay consecutive and a phrase of parts is still a phrase: "แผนปฏิบัติการ" is indexed as
"แผน ปฏิบัติ การ", and the query "ปฏิบัติการ" becomes the phrase "ปฏิบัติ การ", which matches it.
Because the query goes through exactly the same function, a compound in the query is split the
same way as in the text, so the whole compound still finds itself.

Two-syllable words (ประชุม, กองทุน, สมทบ, เชียงราย) are kept whole: their halves are mostly
accidental dictionary words (ประ, ชุม, สม, ทบ) and splitting them would let "ชุม" match every
meeting. The exception is a short word that starts with one of Thai's productive prefixes
(มี, การ, ความ, ผู้, ที่, ค่า, เงิน, ...): "มีมติ" is "มี" + "มติ" and must be found by "มติ".
Parts must be at least two characters long and cuts fall on Thai character-cluster boundaries.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pythainlp.corpus import thai_words
from pythainlp.tokenize import syllable_tokenize, word_tokenize
from pythainlp.tokenize.tcc import tcc_pos

# Word characters: letters and digits of any script plus Thai vowel and tone marks, which are
# combining marks (category Mn) and so not matched by \w.
WORD_RUN = re.compile(r"(?:[^\W_]|[\u0E31\u0E34-\u0E3A\u0E47-\u0E4E])+")
THAI_CHAR = re.compile(r"[\u0E01-\u0E4E]")
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# Compounds shorter than this many syllables are kept whole (see the module docstring).
MIN_SYLLABLES_TO_SPLIT = 3
MIN_PART_LENGTH = 2
# Words that build compounds productively; a two-syllable token starting with one is split too.
PRODUCTIVE_PREFIXES = frozenset(
    ["มี", "ไม่", "การ", "ความ", "ผู้", "ที่", "นัก", "ค่า", "เงิน", "ข้อ", "ผล", "ชาว", "ใบ", "ฝ่าย", "หน่วย"]
)


@dataclass(frozen=True)
class Term:
    """One search term and where it came from in the original text (for highlighting)."""

    text: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _dictionary():
    return thai_words()


@lru_cache(maxsize=1)
def _max_word_length():
    return max(len(word) for word in _dictionary())


THAI_RUN = re.compile(r"[\u0E00-\u0E7F]+")


@lru_cache(maxsize=20_000)
def _segment_thai(run):
    return tuple(word_tokenize(run, engine="newmm", keep_whitespace=True))


def _word_tokenize(text):
    """Tokens of `text` that concatenate back to it: Thai runs through the dictionary tokenizer,
    everything else (Latin, digits, spaces) left for WORD_RUN to split."""
    tokens = []
    position = 0
    for run in THAI_RUN.finditer(text):
        if run.start() > position:
            tokens.append(text[position : run.start()])
        tokens.extend(_segment_thai(run.group()))
        position = run.end()
    if position < len(text):
        tokens.append(text[position:])
    return tokens


@lru_cache(maxsize=50_000)
def syllable_count(word):
    return len(syllable_tokenize(word, engine="dict"))


@lru_cache(maxsize=50_000)
def _cluster_boundaries(word):
    """Offsets where a Thai word may be cut without splitting a character cluster."""
    return frozenset(tcc_pos(word)) | {0, len(word)}


@lru_cache(maxsize=100_000)
def split_compound(token):
    """The dictionary words a compound token is made of, as (start, end) spans; [(0, len)] if
    it is not a compound worth splitting."""
    whole = [(0, len(token))]
    if len(token) < 2 * MIN_PART_LENGTH or not THAI_CHAR.match(token):
        return whole
    dictionary = _dictionary()
    boundaries = _cluster_boundaries(token)
    n = len(token)
    longest = _max_word_length()
    # best[i] = (number of parts, -shortest part) for the best cover of token[i:]; fewest parts
    # first, then the most even split (a short accidental part loses to a longer real one).
    best = {n: (0, -n, None)}
    for i in range(n - 1, -1, -1):
        if i not in boundaries:
            continue
        candidate = None
        for j in range(i + MIN_PART_LENGTH, min(n, i + longest) + 1):
            if j not in best or (i == 0 and j == n):
                continue
            if token[i:j] not in dictionary:
                continue
            parts, neg_shortest, _ = best[j]
            score = (parts + 1, max(neg_shortest, -(j - i)))
            if candidate is None or score < candidate[:2]:
                candidate = (*score, j)
        if candidate is not None:
            best[i] = candidate
    if 0 not in best:
        return whole
    # Counting syllables costs more than the search for a cover above, and most tokens have no
    # cover: so it comes second (same answer either way).
    if syllable_count(token) < MIN_SYLLABLES_TO_SPLIT and not any(
        token.startswith(prefix) and len(token) > len(prefix) for prefix in PRODUCTIVE_PREFIXES
    ):
        return whole
    spans = []
    i = 0
    while i < n:
        j = best[i][2]
        for start, end in split_compound(token[i:j]):
            spans.append((i + start, i + end))
        i = j
    return spans


@lru_cache(maxsize=100_000)
def normalise_term(term):
    return unicodedata.normalize("NFC", term).translate(THAI_DIGITS).lower()


def terms(text, split_compounds=True):
    """The search terms of `text`, in order, with their character offsets."""
    if not text:
        return []
    result = []
    offset = 0
    for token in _word_tokenize(text):
        for run in WORD_RUN.finditer(token):
            run_start = offset + run.start()
            word = run.group()
            spans = split_compound(word) if split_compounds else [(0, len(word))]
            for start, end in spans:
                result.append(Term(normalise_term(word[start:end]), run_start + start, run_start + end))
        offset += len(token)
    return result


def index_text(text, split_compounds=True):
    """What goes into the full-text index for `text`: its terms separated by spaces."""
    return " ".join(term.text for term in terms(text, split_compounds=split_compounds))


QUOTED = re.compile(r'"([^"]*)"|(\S+)')


def query_phrases(query, split_compounds=True):
    """A user's query as a list of phrases, each a list of terms that must appear side by side.

    Spaces separate phrases (Thai writers put a space between ideas, not between words); a run
    of Thai without spaces such as "แผนปฏิบัติการ" is one phrase. Double quotes make one phrase
    of several space-separated words: '"chiang rai"'.
    """
    phrases = []
    for match in QUOTED.finditer(query or ""):
        chunk = match.group(1) if match.group(1) is not None else match.group(2)
        phrase = [term.text for term in terms(chunk, split_compounds=split_compounds)]
        if phrase and phrase not in phrases:
            phrases.append(phrase)
    return phrases
