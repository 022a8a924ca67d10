"""Tokens of the Chinese search index: pure Python, no database.

Each run of CJK characters becomes overlapping bigrams (罗塘街道 → 罗塘 塘街 街道, then the
run's last character 道 on its own), each Latin word or number becomes itself. Every token
takes the position of the character or word it starts at, and punctuation leaves a gap, so a
query becomes a phrase of bigrams (缪杰明 → 缪杰 <-> 杰明) that matches exactly the substring
and never across a comma.
"""

import re
import unicodedata
from collections.abc import Iterable

# Han (with extensions and compatibility ideographs), kana and hangul.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
CJK_RUN = re.compile(f"[{CJK}]+")
# A run of letters and digits with nothing between them: 2024年 and GDP增长 are one segment.
_SEGMENT = re.compile(r"[^\W_]+")
# Inside a segment: a run of CJK characters, or a Latin (or other non-CJK) word or number.
_TOKEN_RUN = re.compile(f"[{CJK}]+|(?:(?![{CJK}])[^\\W_])+")

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8
# PostgreSQL keeps positions up to 16383 and at most 256 positions a lexeme.
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 256
MAX_WORD_LENGTH = 100


def normalize(text: str) -> str:
    """NFKC (full-width ＧＤＰ and ２０２４ become GDP and 2024), without NUL bytes, which
    PostgreSQL refuses in text."""
    return unicodedata.normalize("NFKC", text.replace("\x00", ""))


def _is_cjk(run: str) -> bool:
    return CJK_RUN.fullmatch(run[0]) is not None


def segment_tokens(segment: str) -> list[str]:
    """The tokens of one segment, one per CJK character or Latin word, in order."""
    tokens: list[str] = []
    for match in _TOKEN_RUN.finditer(segment.lower()):
        run = match.group()
        if _is_cjk(run):
            tokens.extend(run[i : i + 2] for i in range(len(run)))
        else:
            tokens.append(run[:MAX_WORD_LENGTH])
    return tokens


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def vector_literal(fields: Iterable[tuple[str, str]]) -> str:
    """A tsvector literal for (weight, text) fields: '罗塘':1A,40D '塘街':2A …"""
    positions: dict[str, list[str]] = {}
    position = 1
    for weight, text in fields:
        for segment in _SEGMENT.findall(normalize(text)):
            for token in segment_tokens(segment):
                found = positions.setdefault(token, [])
                if len(found) < MAX_POSITIONS_PER_LEXEME:
                    found.append(f"{min(position, MAX_POSITION)}{weight}")
                position += 1
            # A gap: tokens on either side of punctuation are never adjacent.
            position += 1
        position += 1
    return " ".join(f"{_quote(token)}:{','.join(found)}" for token, found in positions.items())


def query_terms(q: str) -> list[str]:
    """The terms of a query: runs of letters and digits, in order, without repeats.

    Whitespace and punctuation separate terms, and every term must match (罗塘 缪杰明)."""
    terms: list[str] = []
    for term in _SEGMENT.findall(normalize(q)[:MAX_QUERY_LENGTH]):
        if term.lower() not in (t.lower() for t in terms):
            terms.append(term)
    return terms[:MAX_TERMS]


def term_operands(term: str, weight: str = "") -> list[tuple[int, str]]:
    """(unit offset, tsquery operand) of a term's tokens.

    A CJK run of two or more characters is its bigrams (the run's last character is implied
    by the last bigram); a single character, or a Latin word ending the term, matches as a
    prefix, since in the document it may start a longer token (年 in 2024年收官 is 年收)."""
    items = []
    offset = 0
    runs = [m.group() for m in _TOKEN_RUN.finditer(term.lower())]
    for index, run in enumerate(runs):
        last = index == len(runs) - 1
        if _is_cjk(run) and len(run) > 1:
            for i in range(len(run) - 1):
                items.append(
                    (offset + i, f"{_quote(run[i : i + 2])}{':' + weight if weight else ''}")
                )
            offset += len(run)
        else:
            word = run if _is_cjk(run) else run[:MAX_WORD_LENGTH]
            suffix = ("*" if last else "") + weight
            items.append((offset, _quote(word) + (f":{suffix}" if suffix else "")))
            offset += 1 if not _is_cjk(run) else len(run)
    return items


def _phrase(term: str, weight: str = "") -> str:
    """A tsquery phrase matching the term as a substring of one segment."""
    items = term_operands(term, weight)
    literal = items[0][1]
    for (before, _), (after, operand) in zip(items, items[1:], strict=False):
        literal += f" <{after - before}> {operand}"
    return literal


def tsquery_literal(terms: Iterable[str], weight: str = "") -> str:
    return " & ".join(f"({_phrase(term, weight)})" for term in terms)


def all_of_literal(terms: Iterable[str]) -> str:
    """Every token of the terms, anywhere: a superset of the phrases that the GIN index
    answers by itself, without re-reading any vector (no phrase operator, no weight)."""
    operands = dict.fromkeys(operand for term in terms for _, operand in term_operands(term))
    return " & ".join(operands)
