"""Search benchmark: the search page's query on a synthetic archive of 200,000 published
articles on PostgreSQL, against a plain icontains scan in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_search_bench \
        python bench/search.py [--articles 200000] [--runs 50] [--rebuild]

Builds the archive once (reused when complete): four publications of weekly four-page issues,
articles of 600–1,000 characters written from a seeded RNG over ~45,000 real words (pypinyin's
phrase list, Zipf-distributed), a long tail of 3,000 personal names, places (罗塘 in most
articles), numbers, dates and a few Latin words. Then it times the index build (vectors made
by articles.search in two processes, COPY, CREATE INDEX … USING gin), and for each query class
runs search_articles() (what /search/ runs) and a plain icontains scan, and prints p50/p95.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_search_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402

from articles import search  # noqa: E402
from articles.models import Article  # noqa: E402

SEED = 20241128
PUBLICATIONS = ["今日罗塘", "姜堰日报", "溱湖周刊", "高新区报"]
PAGES, PER_PAGE = 4, 5
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤缪郁储凌封"
)
GIVEN = (
    "杰明国华慧霞勇金红信和冬梅芳静敏丽强磊军洋艳娟涛斌超秀英玲桂兰建平志刚晨宇轩浩然子涵欣怡"
    "书翔旭祥菲云飞海波文彬春燕立新卫东永生德福"
)
PLACES = [
    "罗塘",
    "罗塘街道",
    "高新区",
    "银穆社区",
    "太平社区",
    "殷家社区",
    "三里窑社区",
    "东桥社区",
    "南苑社区",
    "天目山路",
    "人民路",
    "罗塘河",
    "科技产业园",
    "姜堰城区",
    "溱湖",
    "街道便民服务中心",
    "罗塘新村",
    "华侨城",
    "东方红村",
    "陈庄村",
    "官庄村",
]
FUNCTION = [
    "的",
    "了",
    "在",
    "和",
    "是",
    "与",
    "对",
    "将",
    "为",
    "并",
    "也",
    "都",
    "把",
    "由",
    "从",
    "向",
    "等",
    "及",
    "中",
    "上",
]
LATIN = ["GDP", "APP", "5G", "PM2.5", "CEO", "AI", "VR", "LED", "WiFi", "O2O", "ETC", "PPP"]


def _vocabulary(rng):
    from pypinyin.phrases_dict import phrases_dict

    words = sorted(w for w in phrases_dict if 2 <= len(w) <= 4)
    rng.shuffle(words)
    return words


def _names(rng, count=3000):
    names = set()
    while len(names) < count:
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        names.add(rng.choice(SURNAMES) + given)
    names = sorted(names)
    rng.shuffle(names)
    return names


def _cumulative(n, exponent=1.0):
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank**exponent
        out.append(total)
    return out


class Writer:
    def __init__(self, seed):
        rng = random.Random(SEED)
        self.words = _vocabulary(rng)
        self.names = _names(rng)
        self.word_weights = _cumulative(len(self.words), 1.0)
        self.name_weights = _cumulative(len(self.names), 0.9)
        self.rng = random.Random(seed)

    def _number(self):
        r = self.rng
        return r.choice(
            [
                f"{r.randint(1, 12)}月{r.randint(1, 28)}日",
                f"{r.randint(1980, 2024)}年",
                f"{r.randint(1, 99)}.{r.randint(1, 9)}亿元",
                f"{r.randint(2, 300)}名",
                f"{r.randint(1, 100)}%",
            ]
        )

    def sentence(self, length):
        r = self.rng
        words = r.choices(self.words, cum_weights=self.word_weights, k=length)
        out = []
        for word in words:
            roll = r.random()
            if roll < 0.22:
                out.append(r.choice(FUNCTION))
            elif roll < 0.26:
                out.append(r.choices(self.names, cum_weights=self.name_weights)[0])
            elif roll < 0.30:
                out.append(r.choice(PLACES))
            elif roll < 0.33:
                out.append(self._number())
            elif roll < 0.34:
                out.append(r.choice(LATIN))
            elif roll < 0.40:
                out.append("，")
            elif roll < 0.42:
                out.append("、")
            out.append(word)
        return "".join(out) + "。"

    def article(self):
        r = self.rng
        headline = (r.choice(PLACES) if r.random() < 0.5 else "") + self.sentence(r.randint(3, 6))
        headline = headline.rstrip("。")[:60]
        target = r.randint(600, 1000)
        paragraphs, size = [], 0
        if r.random() < 0.7:  # 罗塘 is in most articles of a 罗塘 paper
            paragraphs.append(f"本报讯 日前，罗塘街道{self.sentence(6)}")
        while size < target:
            paragraph = "".join(self.sentence(r.randint(6, 18)) for _ in range(r.randint(2, 4)))
            paragraphs.append(paragraph)
            size += len(paragraph)
        byline = r.choices(self.names, cum_weights=self.name_weights)[0]
        return headline, "\n".join(paragraphs), byline


def _generate(job):
    """Worker: articles [start, start+count) with their search documents and vectors."""
    start, count = job
    writer = Writer(SEED + start)
    rows, seconds = [], 0.0
    for _ in range(count):
        headline, body, byline = writer.article()
        began = time.perf_counter()
        fields = [("A", headline), ("B", ""), ("C", byline), ("D", body), ("C", "")]
        document = search.normalize("\n".join(text for _, text in fields))
        vector = search.vector_literal(fields)
        seconds += time.perf_counter() - began
        rows.append((headline, body, byline, document, vector))
    return rows, seconds


def _copy(cursor, table, columns, rows):
    names = ", ".join(f'"{c}"' for c in columns)
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def build(articles):
    import datetime

    from django.utils import timezone

    print(f"Building the archive: {articles} articles …", flush=True)
    began = time.perf_counter()
    call_command("flush", "--no-input", verbosity=0)
    issues_per_pub = articles // (len(PUBLICATIONS) * PAGES * PER_PAGE)
    now = timezone.now()
    jobs = [(start, min(5000, articles - start)) for start in range(0, articles, 5000)]
    raw = connection.cursor().connection
    with raw.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS articlesearch_vector_gin")
        people, page_ids = {}, []
        for p, name in enumerate(PUBLICATIONS):
            cursor.execute(
                "INSERT INTO issues_publication (name, slug, sponsors, sponsor_role, epaper_url,"
                " submission_email) VALUES (%s, %s, '[]', '主办', '', '') RETURNING id",
                [name, f"pub{p}"],
            )
            pub_id = cursor.fetchone()[0]
            first = datetime.date(1975, 1, 2) + datetime.timedelta(days=p)
            issue_rows = [
                (
                    pub_id,
                    first + datetime.timedelta(weeks=n),
                    1 + n % 50,
                    n + 1,
                    "published",
                    now,
                    "{}",
                    now,
                )
                for n in range(issues_per_pub)
            ]
            _copy(
                cursor,
                "issues_issue",
                [
                    "publication_id",
                    "date",
                    "number_in_year",
                    "number",
                    "status",
                    "published_at",
                    "extra",
                    "updated_at",
                ],
                issue_rows,
            )
        cursor.execute("SELECT id, date FROM issues_issue ORDER BY id")
        issues = cursor.fetchall()
        _copy(
            cursor,
            "issues_page",
            ["issue_id", "number", "name", "scan"],
            [(i, n, "", "") for i, _ in issues for n in range(1, PAGES + 1)],
        )
        cursor.execute(
            "SELECT p.id, i.date FROM issues_page p JOIN issues_issue i ON i.id = p.issue_id"
            " ORDER BY p.id"
        )
        page_ids = [(pid, date) for pid, date in cursor.fetchall() for _ in range(PER_PAGE)]
    print(f"  issues and pages: {time.perf_counter() - began:.1f} s", flush=True)

    vector_seconds = 0.0
    generated = 0
    with multiprocessing.Pool(2) as pool, raw.cursor() as cursor:
        for rows, seconds in pool.imap(_generate, jobs):
            vector_seconds += seconds
            article_rows = []
            for headline, body, _, _, _ in rows:
                page_id, _ = page_ids[generated + len(article_rows)]
                article_rows.append(
                    (page_id, 0, headline, "", "", body, "[1]", "[]", "published", 1, now, now, now)
                )
            _copy(
                cursor,
                "articles_article",
                [
                    "page_id",
                    "order",
                    "headline",
                    "subheadline",
                    "dateline",
                    "body",
                    "pages",
                    "breaks",
                    "status",
                    "version",
                    "created_at",
                    "updated_at",
                    "published_at",
                ],
                article_rows,
            )
            cursor.execute("SELECT id FROM articles_article ORDER BY id DESC LIMIT %s", [len(rows)])
            ids = sorted(r[0] for r in cursor.fetchall())
            missing = {row[2] for row in rows} - people.keys()
            if missing:
                _copy(cursor, "people_person", ["name", "affiliation", "created_at"],
                      [(n, "", now) for n in sorted(missing)])  # fmt: skip
                cursor.execute(
                    "SELECT id, name FROM people_person WHERE name = ANY(%s)", [sorted(missing)]
                )
                people.update({name: pk for pk, name in cursor.fetchall()})
            _copy(
                cursor,
                "articles_byline",
                ["article_id", "person_id", "role", "order"],
                [
                    (pk, people[row[2]], "correspondent", 0)
                    for pk, row in zip(ids, rows, strict=True)
                ],
            )
            _copy(
                cursor,
                "articles_articlesearch",
                ["article_id", "document", "date", "vector", "indexed_at"],
                [
                    (pk, row[3], page_ids[generated + n][1], row[4], now)
                    for n, (pk, row) in enumerate(zip(ids, rows, strict=True))
                ],
            )
            generated += len(rows)
            if generated % 50000 == 0:
                print(f"  {generated} articles, {time.perf_counter() - began:.0f} s", flush=True)
    total = time.perf_counter() - began
    with raw.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        gin_began = time.perf_counter()
        cursor.execute(
            "CREATE INDEX articlesearch_vector_gin ON articles_articlesearch USING gin (vector)"
        )
        gin_seconds = time.perf_counter() - gin_began
        # Django's connection is in autocommit mode: each statement above committed itself.
        cursor.execute("VACUUM ANALYZE")
    return {
        "build_seconds": total,
        "vector_cpu_seconds": vector_seconds,
        "gin_seconds": gin_seconds,
    }


def complete(articles):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('articlesearch_vector_gin') IS NOT NULL")
        has_gin = cursor.fetchone()[0]
    return (
        has_gin
        and Article.objects.published().count() == articles
        and Article.objects.filter(search__vector__isnull=False).count() == articles
    )


def sizes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_relation_size('articlesearch_vector_gin'),"
            " pg_total_relation_size('articles_articlesearch'),"
            " pg_total_relation_size('articles_article')"
        )
        return cursor.fetchone()


def pick_words(writer):
    """Query words from the corpus's own vocabulary, by class."""
    words = writer.words

    def by_length(n, ranks):
        chosen = [w for w in words[ranks[0] : ranks[1]] if len(w) == n]
        return chosen[:5]

    return {
        "2 chars": by_length(2, (100, 3000)),
        "3 chars": by_length(3, (100, 6000)),
        "4 chars": by_length(4, (100, 3000)),
        "person": writer.names[200:205],
        "rare word": [w for w in words[30000:31000] if len(w) in (2, 3)][:5],
        "common (罗塘)": ["罗塘", "罗塘街道", "社区", "本报讯", "日前"],
        "1 char": ["溱", "穆", "缪", "郁", "殷"],
    }


def timed(fn, words, runs):
    """Milliseconds of fn(word) for `runs` runs, cycling through the words."""
    out = []
    for n in range(runs):
        began = time.perf_counter()
        fn(words[n % len(words)])
        out.append((time.perf_counter() - began) * 1000)
    return out


def p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def scan(word):
    qs = Article.objects.published().filter(
        Q(headline__icontains=word) | Q(body__icontains=word) | Q(bylines__person__name=word)
    )
    count = qs.count()
    return count, list(qs.order_by("-page__issue__date", "-pk")[:20])


def explain(word, sort):
    qs = search.filter_matching(Article.objects.published(), search.query_terms(word))
    if sort == "date":
        qs = qs.order_by("-search__date", "-pk")[:20]
    plan = qs.explain(analyze=True)
    used = [name for name in ("articlesearch_vector_gin", "articlesearch_date") if name in plan]
    return used


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--scan-runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "the search benchmark runs on PostgreSQL"
    call_command("migrate", verbosity=0)
    build_figures = None
    if args.rebuild or not complete(args.articles):
        build_figures = build(args.articles)
    else:
        print("Reusing the archive in", connection.settings_dict["NAME"])
    gin, search_table, article_table = sizes()
    print(f"GIN index {gin / 2**20:.0f} MB; search table {search_table / 2**20:.0f} MB "
          f"(with TOAST and indexes); articles {article_table / 2**20:.0f} MB")  # fmt: skip
    if build_figures:
        print(
            "Build: {build_seconds:.0f} s in all (articles + bylines + vectors + COPY); "
            "vector computation {vector_cpu_seconds:.0f} CPU s over 2 processes; "
            "CREATE INDEX gin {gin_seconds:.1f} s".format(**build_figures)
        )
    # The real indexing path (index_articles, as rebuild_search_index runs it) on 2,000 rows.
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True)[:2000])
    began = time.perf_counter()
    search.index_articles(ids)
    per_1000 = (time.perf_counter() - began) / len(ids) * 1000
    print(f"index_articles: {per_1000:.2f} s per 1,000 articles "
          f"(≈ {per_1000 * args.articles / 1000 / 60:.0f} min for the archive)")  # fmt: skip

    published = Article.objects.published()
    words = pick_words(Writer(SEED))
    header = (
        f"{'class':<14}{'matches':>9}{'rel p50':>9}{'rel p95':>9}{'date p50':>9}{'date p95':>9}"
        f"{'scan p50':>10}{'speed-up':>9}  index used"
    )
    print(header)
    rows = []
    for label, examples in words.items():
        counts = [search.search_articles(published, w).count for w in examples]  # warm up
        rel = timed(lambda w: search.search_articles(published, w), examples, args.runs)
        date = timed(
            lambda w: search.search_articles(published, w, sort="date"), examples, args.runs
        )
        scans = timed(scan, examples, args.scan_runs)
        used = sorted(set(explain(examples[0], "relevance") + explain(examples[0], "date")))
        worst = max(p(rel, 0.95), p(date, 0.95))
        matches = f"{search.COUNT_CAP}+" if counts[0] > search.COUNT_CAP else str(counts[0])
        row = (
            f"{label:<14}{matches:>9}{p(rel, 0.5):>9.1f}{p(rel, 0.95):>9.1f}{p(date, 0.5):>9.1f}"
            f"{p(date, 0.95):>9.1f}{p(scans, 0.5):>10.0f}{p(scans, 0.5) / worst:>8.0f}×  "
            f"{', '.join(used) or 'none'}"
        )
        print(row, flush=True)
        print(f"{'':<14}words: {' '.join(examples)}")
        rows.append(row)
    return rows


if __name__ == "__main__":
    main()
