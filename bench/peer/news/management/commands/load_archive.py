"""Load the archive exported from Newsroom (bench/project.py export-peer) as Wagtail pages.

    python manage.py load_archive FILE.json

Replaces Wagtail's welcome page with a PaperPage as the default site's root and adds an
IssuePage per issue (Wagtail's ``add_child``) and an ArticlePage per article under it, live,
one transaction per issue. The article's slug is its Newsroom id, so the two sites serve the
same text at matching URLs. Refuses to load into a tree that already has issues: the
benchmark drops and recreates the database instead.

Articles are not added with ``add_child``: it runs ~20 queries a page (full_clean, the tree,
a log entry) and would take 10-15 minutes for the 20,000 articles of the bench archive. They
are written the way treebeard lays out a tree (materialised paths, the parent's numchild)
with one bulk insert of their Page rows and one raw insert of each ArticlePage row; the
command then checks the tree (``tree_problems()``: what treebeard's ``find_problems()``
checks, in one query instead of one a page).
"""

import datetime
import json
import time

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from wagtail.models import Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from news.models import ArticlePage, IssuePage, PaperPage


class Command(BaseCommand):
    help = "Load Newsroom's exported archive as Wagtail pages."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        if IssuePage.objects.exists():
            raise CommandError("the tree already has issues; load into a fresh database")
        with open(file, encoding="utf-8") as handle:
            issues = json.load(handle)
        if not issues:
            raise CommandError("no issues in the file")
        started = time.perf_counter()
        with disable_reference_index_auto_update():
            paper = self.make_root(issues[0])
            articles = 0
            for data in issues:
                with transaction.atomic():
                    articles += self.add_issue(paper, data)
        problems = tree_problems()
        if problems:
            raise CommandError(f"the page tree is inconsistent: {problems} pages")
        self.stdout.write(
            f"loaded {len(issues)} issues, {articles} articles in "
            f"{time.perf_counter() - started:.0f} s"
        )

    def make_root(self, first):
        root = Page.get_first_root_node()
        with transaction.atomic():
            Site.objects.all().delete()
            for child in root.get_children():
                child.delete()
            root = Page.get_first_root_node()
            paper = root.add_child(
                instance=PaperPage(
                    title=first["paper"],
                    slug="jinriluotang",
                    sponsors=" ".join(first["sponsors"]),
                    sponsor_role=first["sponsor_role"],
                )
            )
            Site.objects.create(
                hostname="localhost", port=80, root_page=paper, is_default_site=True
            )
        return paper

    def add_issue(self, paper, data):
        date = datetime.date.fromisoformat(data["date"])
        issue = paper.add_child(
            instance=IssuePage(
                title=f"{data['paper']} 总第{data['number']}期",
                slug=str(data["number"]),
                paper_name=data["paper"],
                number=data["number"],
                number_in_year=data["number_in_year"],
                date=date,
                sponsors=" ".join(data["sponsors"]),
                sponsor_role=data["sponsor_role"],
                responsible_editor=data["responsible_editor"],
                layout=" ".join(data["layout"]),
            )
        )
        self.add_articles(issue, data["articles"])
        return len(data["articles"])

    def add_articles(self, issue, articles):
        content_type = ContentType.objects.get_for_model(ArticlePage)
        depth = issue.depth + 1
        pages = [
            Page(
                title=article["headline"],
                draft_title=article["headline"],
                slug=str(article["id"]),
                content_type=content_type,
                path=Page._get_path(issue.path, depth, step),
                depth=depth,
                numchild=0,
                url_path=f"{issue.url_path}{article['id']}/",
                locale_id=issue.locale_id,
                live=True,
            )
            for step, article in enumerate(articles, start=1)
        ]
        Page.objects.bulk_create(pages)
        for page, article in zip(pages, articles, strict=True):
            ArticlePage(
                page_ptr_id=page.pk,
                page_number=article["page_number"],
                page_name=article["page_name"],
                subheadline=article["subheadline"],
                dateline=article["dateline"],
                byline=article["byline"],
                body=[("paragraph", text) for text in article["paragraphs"]],
            ).save_base(raw=True, force_insert=True)
        Page.objects.filter(pk=issue.pk).update(numchild=len(pages))


def tree_problems():
    """Pages whose depth does not match their path, or whose numchild is not their number of
    children (treebeard's materialised path: a child's path is its parent's plus 4 characters)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM wagtailcore_page page
            LEFT JOIN (
                SELECT substr(path, 1, length(path) - 4) AS parent, count(*) AS children
                FROM wagtailcore_page GROUP BY 1
            ) counted ON counted.parent = page.path
            WHERE page.numchild <> coalesce(counted.children, 0)
               OR page.depth * 4 <> length(page.path)
            """
        )
        return cursor.fetchone()[0]
