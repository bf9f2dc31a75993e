"""Word-level comparison of two registered charter texts.

Thai is written without spaces, so a character or whitespace diff would either shred words or mark
whole sentences as changed; the texts are cut into words with PyThaiNLP's offline dictionary
tokenizer (newmm) first, and difflib compares the word sequences.
"""

import difflib
from dataclasses import dataclass

from pythainlp.tokenize import word_tokenize


def words(text):
    """Words, spaces and line breaks, in order: joining them gives back the text exactly."""
    tokens = []
    for line_no, line in enumerate((text or "").split("\n")):
        if line_no:
            tokens.append("\n")
        if line:
            tokens.extend(word_tokenize(line, engine="newmm", keep_whitespace=True))
    return tokens


@dataclass(frozen=True)
class DiffChunk:
    kind: str  # "equal", "insert", "delete"
    text: str


@dataclass(frozen=True)
class WordDiff:
    chunks: list
    inserted_words: int
    deleted_words: int

    @property
    def unchanged(self):
        return not (self.inserted_words or self.deleted_words)


def _count_words(tokens):
    return sum(1 for t in tokens if t.strip())


def word_diff(old_text, new_text):
    old, new = words(old_text), words(new_text)
    # autojunk off: in a long charter, common words such as "ข้อ" would otherwise be ignored.
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    chunks, inserted, deleted = [], 0, 0
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            chunks.append(DiffChunk("equal", "".join(old[a1:a2])))
            continue
        if op in ("delete", "replace"):
            chunks.append(DiffChunk("delete", "".join(old[a1:a2])))
            deleted += _count_words(old[a1:a2])
        if op in ("insert", "replace"):
            chunks.append(DiffChunk("insert", "".join(new[b1:b2])))
            inserted += _count_words(new[b1:b2])
    return WordDiff(chunks=chunks, inserted_words=inserted, deleted_words=deleted)
