"""Queries of the public pages compiled to SQL once per process, then run with new values.

Building a queryset and compiling it to SQL is most of what a small query costs the web
process: about 0.6–1 ms of CPU for a ``values_list()`` with a join, against about 0.15 ms to
send the SQL and read the rows (profile in bench/RESULTS.md). The issue and page views run
five such queries whose SQL differs only in its values (an issue's id, a list of article
ids), so each is compiled once, from the ORM queryset that states it, and later requests send
the same SQL with their own values. Every request still runs its queries (and they are
counted like any other: ``assertNumQueries``, the benchmark's query header).

``PreparedRows(build)``: ``build(*values, staff=…)`` returns the queryset for some
marker values (ints, strings, or lists of ints); the markers are found among the compiled SQL's
parameters and replaced by the real values at each call. A list's length is part of the
compiled shape (``IN (%s, %s)``), so a view compiles a handful of shapes at most. The rows
come back as ``values_list()`` gives them: each column through the converters the compiler
chose (JSON decoded, SQLite's dates and times parsed).
"""

from itertools import count

from django.db import connections

# Marker values: inside every integer column's range, even a small one (Django 5 compiles a
# comparison with an out-of-range value away). The query is compiled with two sets of them,
# so a parameter that happens to equal a marker is told apart from a marked one.
_MARKER_BASES = (31_000, 32_000)


class PreparedRows:
    def __init__(self, build):
        self.build = build
        self.compiled = {}

    def _marked(self, args, base, staff):
        markers = count(base)
        flat = []
        marked = []
        for value in args:
            if isinstance(value, list):
                marker = [next(markers) for _ in value]
                flat.extend(marker)
            else:
                marker = next(markers)
                if isinstance(value, str):
                    marker = f"prepared-marker-{marker}"
                flat.append(marker)
            marked.append(marker)
        queryset = self.build(*marked, staff=staff)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        return queryset, compiler, sql, list(params), flat

    def _compile(self, key, args, staff):
        first, second = (self._marked(args, base, staff) for base in _MARKER_BASES)
        queryset, compiler, sql, params, flat = first
        if second[2] != sql or len(second[3]) != len(params):
            raise ValueError("the compiled query depends on the values")
        position = {marker: index for index, marker in enumerate(flat)}
        # (parameter index, value index, the parameter's type: psycopg's Int4 where Django
        # typed a comparison, else int or str).
        slots = [
            (index, position.get(p), type(p))
            for index, (p, other) in enumerate(zip(params, second[3], strict=True))
            if p != other
        ]
        if {source for _index, source, _kind in slots} != set(range(len(flat))):  # None too
            raise ValueError("a value is missing from the compiled query")
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        entry = (queryset.db, sql, tuple(params), tuple(slots), tuple(converters.items()))
        self.compiled[key] = entry
        return entry

    def __call__(self, *args, staff=False):
        """The rows (tuples) for these values. No list may be empty."""
        key = (staff, tuple(len(a) if isinstance(a, list) else None for a in args))
        entry = self.compiled.get(key) or self._compile(key, args, staff)
        alias, sql, params, slots, converters = entry
        flat = []
        for value in args:
            if isinstance(value, list):
                flat.extend(value)
            else:
                flat.append(value)
        params = list(params)
        for index, source, kind in slots:
            params[index] = kind(flat[source])
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for index, (functions, expression) in converters:
                    value = row[index]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[index] = value
        return rows
