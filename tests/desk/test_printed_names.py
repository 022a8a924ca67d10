"""Names as printed (issue #10): renaming a person or a paper that a published issue prints
is refused, so bylines, credits and mastheads of published issues never change by it."""

from django.urls import reverse

from issues.models import Publication
from people.models import Person
from tests import factories
from tests.desk.doors import DoorTestCase, form_values


class PrintedNameTests(DoorTestCase):
    def setUp(self):
        super().setUp()
        self.reporter = factories.person("丁小勇")
        issue = factories.issue(number=118, published=True)
        self.article = factories.article(issue.pages.get(), bylines=[(self.reporter, "reporter")])

    def rename(self, obj, url_name, name, role="editor"):
        url = reverse(url_name, args=[obj.pk])
        self.as_(role)
        data = form_values(self.client.get(url))
        data["name"] = name
        return self.post(url, data)

    def test_a_person_printed_in_a_published_issue_keeps_the_name(self):
        self.rename(self.reporter, "admin:people_person_change", "丁大勇")
        self.reporter.refresh_from_db()
        self.assertEqual(self.reporter.name, "丁小勇")
        self.client.logout()
        self.assertContains(self.client.get(self.article.get_absolute_url()), "丁小勇")

    def test_the_printed_responsible_editor_and_layout_keep_their_names(self):
        chief, layout = factories.person("郁菲菲"), factories.person("徐冬梅")
        factories.issue(number=119, published=True, responsible_editor=chief, layout=[layout])
        for person in (chief, layout):
            with self.subTest(person=person.name):
                self.rename(person, "admin:people_person_change", "改名")
                person.refresh_from_db()
                self.assertNotEqual(person.name, "改名")

    def test_a_person_only_in_drafts_is_renamed(self):
        newcomer = factories.person("杨旭东")
        factories.article(bylines=[(newcomer, "correspondent")])
        self.rename(newcomer, "admin:people_person_change", "杨旭")
        newcomer.refresh_from_db()
        self.assertEqual(newcomer.name, "杨旭")

    def test_other_fields_of_a_printed_person_change(self):
        url = reverse("admin:people_person_change", args=[self.reporter.pk])
        self.as_("editor")
        data = form_values(self.client.get(url))
        data["affiliation"] = "融媒体中心"
        self.post(url, data)
        self.reporter.refresh_from_db()
        self.assertEqual(self.reporter.affiliation, "融媒体中心")

    def test_a_paper_with_published_issues_keeps_its_name(self):
        publication = Publication.objects.get()
        self.rename(publication, "admin:issues_publication_change", "新罗塘", role="superuser")
        publication.refresh_from_db()
        self.assertEqual(publication.name, "今日罗塘")
        self.assertEqual(Person.objects.filter(name="丁小勇").count(), 1)
