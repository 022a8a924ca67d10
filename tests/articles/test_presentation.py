"""Bylines grouped as printed, and an article's text cut at its jumps."""

from types import SimpleNamespace

from django.test import SimpleTestCase

from articles.presentation import article_parts, byline_text, group_bylines


def byline(name, role, label):
    return SimpleNamespace(
        person=SimpleNamespace(name=name), role=role, get_role_display=lambda: label
    )


def article(body, pages, breaks, start=1):
    return SimpleNamespace(
        page=SimpleNamespace(number=start),
        pages=pages,
        breaks=breaks,
        paragraphs=[p for p in body.split("\n") if p.strip()],
    )


class BylineTests(SimpleTestCase):
    def test_consecutive_names_of_one_role_are_grouped(self):
        bylines = [
            byline("郁菲菲", "reporter", "记者"),
            byline("杨旭", "correspondent", "通讯员"),
            byline("李书翔", "correspondent", "通讯员"),
            byline("丁小勇", "reporter", "记者"),
        ]
        self.assertEqual(
            [(g.label, [p.name for p in g.people]) for g in group_bylines(bylines)],
            [("记者", ["郁菲菲"]), ("通讯员", ["杨旭", "李书翔"]), ("记者", ["丁小勇"])],
        )
        self.assertEqual(byline_text(bylines[:2]), "记者 郁菲菲 通讯员 杨旭")


class JumpTests(SimpleTestCase):
    urls = {1: "/p1/", 3: "/p3/"}

    def test_break_inside_a_paragraph_cuts_it_across_the_pages(self):
        parts = article_parts(article("甲乙丙\n丁戊己", [1, 3], [4]), self.urls)
        self.assertEqual([p.text for p in parts[0].paragraphs], ["甲乙丙", "丁"])
        self.assertEqual([p.text for p in parts[1].paragraphs], ["戊己"])
        self.assertTrue(parts[1].paragraphs[0].continues_cut)
        self.assertEqual((parts[0].jump_to.page_number, parts[0].jump_to.url), (3, "/p3/"))
        self.assertEqual((parts[1].jump_from.page_number, parts[1].jump_from.url), (1, "/p1/"))

    def test_break_between_paragraphs_keeps_them_whole(self):
        parts = article_parts(article("甲乙丙\n丁戊己", [1, 3], [3]), self.urls)
        self.assertEqual([p.text for p in parts[1].paragraphs], ["丁戊己"])
        self.assertFalse(parts[1].paragraphs[0].continues_cut)

    def test_breaks_that_do_not_fit_keep_the_text_on_the_start_page(self):
        parts = article_parts(article("甲乙丙", [1, 3], [99]), self.urls)
        self.assertEqual([p.text for p in parts[0].paragraphs], ["甲乙丙"])
        self.assertEqual(parts[1].paragraphs, [])
        self.assertEqual(parts[0].jump_to.page_number, 3)

    def test_jump_to_a_page_that_is_not_there_has_no_link(self):
        parts = article_parts(article("甲乙丙", [1, 4], [2]), self.urls)
        self.assertIsNone(parts[0].jump_to.url)

    def test_article_without_jump_is_one_part(self):
        parts = article_parts(article("甲\n乙", [], []), self.urls)
        self.assertEqual(len(parts), 1)
        self.assertIsNone(parts[0].jump_to)
        self.assertIsNone(parts[0].jump_from)
