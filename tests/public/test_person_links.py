"""Every link on a person page goes somewhere its reader may go: readers (no account) and
each desk role, on pages that mix published work with the desk's unpublished work (a placed
story in an issue being laid out, photo news on its page, an issue with no page yet that
someone will sign off). No link answers 403, 404 or sends to the login."""

import re

from django.test import TestCase

from articles.models import Article, Byline
from tests import factories

HREF = re.compile(r'href="(/[^"#]*)')


class PersonPageLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = factories.desk()
        li = cls.desk.correspondent.person
        chen = cls.desk.editor.person
        xu = cls.desk.layout.person
        yu = cls.desk.chief.person
        cls.people = [li, chen, xu, yu, cls.desk.nobody.person]
        published = factories.issue(
            number=118, pages=2, published=True, responsible_editor=yu, layout=[xu]
        )
        story = factories.article(
            published.pages.get(number=1),
            bylines=[(li, Byline.Role.CORRESPONDENT), (chen, Byline.Role.REPORTER)],
        )
        factories.photo(article=story, photographer=chen)
        factories.photo(page=published.pages.get(number=2), photographer=li)
        # The desk's work, not yet public.
        planned = factories.issue(number=119, pages=1, responsible_editor=yu, layout=[xu])
        placed = factories.article(
            planned.pages.get(),
            headline="尚未签发的稿件",
            status=Article.Status.PLACED,
            bylines=[(li, Byline.Role.CORRESPONDENT)],
        )
        factories.photo(article=placed, photographer=chen)
        factories.photo(page=planned.pages.get(), photographer=li, caption="尚未签发的图片新闻")
        factories.issue(number=120, pages=0, responsible_editor=yu, layout=[xu])
        factories.article(
            None, headline="草稿", bylines=[(li, Byline.Role.CORRESPONDENT)]
        )  # a draft: on nobody's page

    def links(self, path):
        response = self.client.get(path)
        if response.status_code != 200:
            return response.status_code, set()
        return 200, set(HREF.findall(response.content.decode()))

    def dead_links(self):
        """{link: status} for every link of every person page and section page shown."""
        dead = {}
        seen = set()
        for person in self.people:
            status, links = self.links(person.get_absolute_url())
            if status != 200:
                continue
            pages = [person.get_absolute_url()]
            pages += [link for link in links if link.startswith(pages[0]) and link != pages[0]]
            for page in pages:
                for link in self.links(page)[1] - seen:
                    seen.add(link)
                    if link.startswith("/static/") or link.startswith("/media/"):
                        continue
                    answer = self.client.get(link)
                    if answer.status_code != 200:
                        dead[f"{page} → {link}"] = answer.status_code
        return dead, seen

    def test_readers_never_see_a_dead_link(self):
        dead, seen = self.dead_links()
        self.assertEqual(dead, {})
        self.assertFalse(any("/119/" in link or "/120/" in link for link in seen), seen)

    def test_each_desk_role_is_linked_only_where_it_may_go(self):
        for login in ["correspondent", "editor", "layout", "chief", "nobody", "superuser"]:
            with self.subTest(login):
                self.client.force_login(getattr(self.desk, login))
                dead, seen = self.dead_links()
                self.assertEqual(dead, {})
                # The desk's unpublished work is shown to staff as a preview, linked.
                self.assertTrue(any("/issues/119/" in link for link in seen), seen)
