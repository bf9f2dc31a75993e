"""Marking the words of a query in a text, with the same segmentation the index uses."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analysis import query_phrases, terms


def match_spans(text, phrases, split_compounds=True):
    """(start, end) character spans of `text` where a phrase of the query occurs, merged."""
    if not text or not phrases:
        return []
    text_terms = terms(text, split_compounds=split_compounds)
    words = [term.text for term in text_terms]
    spans = []
    for phrase in phrases:
        size = len(phrase)
        for i in range(len(words) - size + 1):
            if words[i : i + size] == phrase:
                spans.append((text_terms[i].start, text_terms[i + size - 1].end))
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _mark(text, spans):
    parts = []
    position = 0
    for start, end in spans:
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def highlight(text, query) -> SafeString:
    """`text` as HTML (escaped) with each occurrence of the query's words wrapped in <mark>."""
    phrases = query_phrases(query) if isinstance(query, str) else query
    return _mark(text or "", match_spans(text or "", phrases))


def snippet(text, query, length=240) -> SafeString:
    """About `length` characters of `text` around the first match of the query, highlighted;
    the start of the text when nothing matches."""
    text = " ".join((text or "").split())
    phrases = query_phrases(query) if isinstance(query, str) else query
    if len(text) <= length:
        return _mark(text, match_spans(text, phrases))
    # Segmenting a whole charter for every hit is slow: look for the phrase's characters first
    # (Thai is written without spaces, so a Thai phrase appears as its terms run together) and
    # segment only a window around the first place found.
    lowered = text.lower()
    found = [lowered.find("".join(phrase)) for phrase in phrases]
    found += [lowered.find(phrase[0]) for phrase in phrases]
    found = [i for i in found if i >= 0]
    if found:
        centre = min(found)
        start = max(0, centre - length // 3)
        window_start = max(0, start - 20)
        window = text[window_start : start + length + 20]
        spans = [(s + window_start, e + window_start) for s, e in match_spans(window, phrases)]
    else:
        spans = match_spans(text, phrases)
        start = max(0, spans[0][0] - length // 3) if spans else 0
    end = min(len(text), start + length)
    # Cut at spaces where possible so no word is cut in half.
    if start > 0:
        space = text.find(" ", start, start + 30)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", end - 30, end)
        end = space if space > start else end
    spans = [(max(s, start), min(e, end)) for s, e in spans if s < end and e > start]
    body = _mark(text[start:end], [(s - start, e - start) for s, e in spans])
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{body}{suffix}")  # noqa: S308 - body is built by _mark
