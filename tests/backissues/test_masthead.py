"""Each issue keeps the masthead it printed: sponsors, sponsor role, 电子版 and 投稿邮箱.

117 (2 sponsors, 主办, no e-paper) and 118 (5 sponsors, 联合主办) imported in either order
export exactly as printed, and the issue page shows each issue's own masthead.
"""

import json
import tempfile

from django.test import TestCase

from backissues.textformat import parse, to_dict
from issues.models import Issue, Publication

from .importing import SAMPLE, SAMPLE_TEXT, run, with_empty_additions, write

SPONSORS_118 = (
    "姜堰现代科技产业园区党工委  \n姜堰区罗塘街道党工委  \n姜堰现代科技产业园区管委会  \n"
    "姜堰区罗塘街道办事处  \n姜堰区融媒体中心\n\n联合主办"
)
assert SPONSORS_118 in SAMPLE_TEXT

# Issue 117 as printed a week earlier: two sponsors, 主办, no e-paper, another mailbox.
TEXT_117 = (
    SAMPLE_TEXT.replace(SPONSORS_118, "姜堰区罗塘街道党工委  \n姜堰区融媒体中心\n\n主办")
    .replace("2024年11月28日 星期四 | 第11期 总第118期", "2024年11月21日 星期四 | 第10期 总第117期")
    .replace("电子版: <http://epaper.routeryun.com/jyrb>\n\n", "")
    .replace("投稿邮箱: 1028974739@qq.com", "投稿邮箱: luotang@example.cn")
)


def printed(text):
    """The JSON form of a file as printed (what its export must be)."""
    data = parse(text)
    data.weekday = ""
    return to_dict(data)


class MastheadRoundTripTests(TestCase):
    def setUp(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.file_117 = write(directory.name, "117.md", TEXT_117)

    def import_in_order(self, *paths):
        for path in paths:
            result = run("import_issues", path)
            self.assertFalse(result.failed, result.stderr)

    def assert_each_exports_as_printed(self):
        for number, text in ((117, TEXT_117), (118, SAMPLE_TEXT)):
            exported = json.loads(run("export_issue", number, format="json").stdout)
            self.assertEqual(exported, with_empty_additions(printed(text)), number)
            # The text form prints the same masthead lines.
            header = run("export_issue", number).stdout.split("责任编辑")[0]
            self.assertEqual(parse(header + "\n## 标题\n").publication, parse(text).publication)
        self.assertEqual(
            json.loads(run("export_issue", 117, format="json").stdout)["publication"],
            {
                "name": "今日罗塘",
                "sponsors": ["姜堰区罗塘街道党工委", "姜堰区融媒体中心"],
                "sponsor_role": "主办",
            },
        )

    def test_117_after_118(self):
        self.import_in_order(SAMPLE, self.file_117)
        self.assert_each_exports_as_printed()
        # Both files read again are unchanged.
        again = run("import_issues", SAMPLE, self.file_117)
        self.assertIn("imported 0, unchanged 2", again.stdout)

    def test_118_after_117(self):
        self.import_in_order(self.file_117, SAMPLE)
        self.assert_each_exports_as_printed()

    def test_the_publication_keeps_the_newest_issue_as_the_default_for_new_issues(self):
        self.import_in_order(SAMPLE, self.file_117)
        publication = Publication.objects.get()
        self.assertEqual(len(publication.sponsors), 5)
        self.assertEqual(publication.sponsor_role, "联合主办")
        self.assertEqual(publication.epaper_url, "http://epaper.routeryun.com/jyrb")


class MastheadOnTheIssuePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with tempfile.TemporaryDirectory() as directory:
            run("import_issues", SAMPLE, write(directory, "117.md", TEXT_117))

    def masthead(self, number):
        issue = Issue.objects.get(number=number)
        html = self.client.get(issue.get_absolute_url()).content.decode()
        return html[
            html.index('<header class="masthead">') : html.index(
                "</header>", html.index('<header class="masthead">')
            )
        ]

    def test_each_issue_page_shows_its_own_sponsors_and_role(self):
        masthead_117 = self.masthead(117)
        self.assertIn("<span>姜堰区罗塘街道党工委</span>", masthead_117)
        self.assertIn('<span class="sponsor-role">主办</span>', masthead_117)
        self.assertNotIn("姜堰现代科技产业园区党工委", masthead_117)
        self.assertNotIn("联合主办", masthead_117)
        # Nowhere on 117's page (the footer included) are 118's sponsors.
        page_117 = self.client.get(Issue.objects.get(number=117).get_absolute_url())
        self.assertNotContains(page_117, "姜堰现代科技产业园区党工委")
        masthead_118 = self.masthead(118)
        self.assertIn("<span>姜堰现代科技产业园区党工委</span>", masthead_118)
        self.assertIn('<span class="sponsor-role">联合主办</span>', masthead_118)

    def test_epaper_is_a_link_and_the_mailbox_a_mailto(self):
        masthead_118 = self.masthead(118)
        self.assertIn("电子版", masthead_118)
        self.assertIn(
            '<a href="http://epaper.routeryun.com/jyrb" rel="external noopener">', masthead_118
        )
        self.assertIn("投稿邮箱", masthead_118)
        self.assertIn('<a href="mailto:1028974739@qq.com">1028974739@qq.com</a>', masthead_118)
        masthead_117 = self.masthead(117)
        self.assertNotIn("电子版", masthead_117)
        self.assertIn('<a href="mailto:luotang@example.cn">', masthead_117)

    def test_changing_the_publications_defaults_leaves_printed_issues_alone(self):
        Publication.objects.update(sponsors=["新主办单位"], epaper_url="https://new.example/")
        self.assertNotIn("新主办单位", self.masthead(118))
        self.assertNotIn("new.example", self.masthead(117))


class BadMastheadValuesTests(TestCase):
    def test_javascript_epaper_and_bad_email_are_refused_with_file_and_line(self):
        with tempfile.TemporaryDirectory() as directory:
            for key, value in (("电子版", "<javascript:alert(1)>"), ("投稿邮箱", "qq.com")):
                text = SAMPLE_TEXT.replace(
                    "电子版: <http://epaper.routeryun.com/jyrb>"
                    if key == "电子版"
                    else "投稿邮箱: 1028974739@qq.com",
                    f"{key}: {value}",
                )
                path = write(directory, "bad.md", text)
                result = run("import_issues", path)
                self.assertTrue(result.failed)
                line = text[: text.index(f"{key}: {value}")].count("\n") + 1
                self.assertIn(f"{path}:{line}: {key}", result.stderr)
        self.assertFalse(Issue.objects.exists())
