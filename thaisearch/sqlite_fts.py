"""SQLite only: the tokenizer of Wagtail's FTS5 table.

FTS5's default tokenizer (unicode61) treats combining marks as separators, so "ระเบียบ" would be
stored as "ระเบ" + "ยบ": phrases still matched, but so did accidental fragments, and SQLite answered
differently from PostgreSQL. With Thai vowel and tone marks declared as token characters, each
space-separated term written by thaisearch.analysis is one FTS5 token, as it is one lexeme in
PostgreSQL. Applied by migration thaisearch 0001.
"""

THAI_MARKS = "".join(chr(c) for c in [0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)])
THAI_TOKENIZER = f"unicode61 tokenchars '{THAI_MARKS}'"
DEFAULT_TOKENIZER = ""  # what Wagtail creates


def rebuild_fts_table(connection, entries_table, tokenize):
    """Recreate `<entries_table>_fts` with `tokenize` and refill it from the index entries.
    Does nothing on other databases or when SQLite has no FTS table (no FTS5)."""
    if connection.vendor != "sqlite":
        return
    fts = f"{entries_table}_fts"
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = %s", [fts])
        if cursor.fetchone() is None:
            return
        cursor.execute(f"DROP TABLE {fts}")
        options = f', tokenize = "{tokenize}"' if tokenize else ""
        cursor.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5(autocomplete, body, title{options})")
        cursor.execute(
            f"INSERT INTO {fts} (rowid, title, body, autocomplete) "  # noqa: S608 - table names only
            f"SELECT id, title, body, autocomplete FROM {entries_table}"
        )
