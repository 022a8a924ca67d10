"""The desk walkthrough in Chromium: a correspondent files a story, an editor approves it,
layout places it, the responsible editor signs the issue off, and a reader finds the story on
the public site. Each role works only through the admin pages a person would use.

Set NEWSROOM_SCREENSHOTS=1 to save a screenshot of every step to screenshots/ (gitignored).
"""

import datetime
import os
from pathlib import Path

from django.contrib.auth.models import Group, User

from articles.models import Article, Byline
from desk import services
from issues.models import Issue, Page, Publication
from people.models import Person
from tests import factories

from .chromium import ChromiumTestCase, needs_chromium

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PASSWORD = "walkthrough-pw"

pytestmark = needs_chromium


def seed():
    """今日罗塘 总第118期 in planning with two pages, four desk users, and page 2 already
    filled earlier in the week through the same steps."""
    staff = {}
    for username, name, group in [
        ("lishuxiang", "李书翔", "通讯员"),
        ("chenjing", "陈静", "编辑"),
        ("xudongmei", "徐冬梅", "组版"),
        ("yufeifei", "郁菲菲", "责任编辑"),
    ]:
        user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        Person.objects.create(name=name, user=user, affiliation="今日罗塘")
        staff[username] = user
    pub = Publication.objects.create(
        name="今日罗塘",
        slug="jinriluotang",
        sponsors=["姜堰现代科技产业园区党工委", "罗塘街道党工委"],
        sponsor_role="联合主办",
    )
    issue = Issue.objects.create(
        publication=pub,
        date=datetime.date(2024, 11, 28),
        number_in_year=11,
        number=118,
        responsible_editor=staff["yufeifei"].person,
    )
    Page.objects.create(issue=issue, number=1, name="要闻")
    page2 = Page.objects.create(issue=issue, number=2, name="综合新闻")
    # Page 2 was filled earlier in the week, through the same steps.
    earlier = services.file_article(
        article=Article(
            headline="银穆社区开展冬季义诊活动",
            body="11月22日，银穆社区联合街道卫生院开展冬季义诊活动。\n"
            "现场为60余名老人测量血压、血糖，并讲解冬季保健知识。",
        ),
        by=staff["lishuxiang"],
    )
    Byline.objects.create(article=earlier, person=staff["lishuxiang"].person, role="correspondent")
    services.submit(article=earlier, by=staff["lishuxiang"])
    services.approve(article=earlier, by=staff["chenjing"])
    services.place(article=earlier, page=page2, order=1, by=staff["xudongmei"])


class DeskWalkthroughTests(ChromiumTestCase):
    def setUp(self):
        # The groups and their permissions come from the migrations; a TransactionTestCase's
        # flush (this one's included) takes them away.
        factories.restore_desk_groups()
        seed()
        self.screenshots = bool(os.environ.get("NEWSROOM_SCREENSHOTS"))
        if self.screenshots:
            SHOTS.mkdir(exist_ok=True)

    def shot(self, page, name):
        if self.screenshots:
            page.screenshot(path=str(SHOTS / name), full_page=True)

    def session(self, username=None):
        context = self.browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page = context.new_page()
        if username:
            page.goto(f"{self.live_server_url}/admin/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            page.wait_for_url(f"{self.live_server_url}/admin/")
        return context, page

    def test_a_story_goes_from_the_correspondent_to_the_reader(self):
        base = self.live_server_url
        headline = "缪杰明带队走访辖区企业"

        # The story is not public before sign-off.
        context, page = self.session()
        response = page.goto(f"{base}/jinriluotang/issues/118/")
        self.assertEqual(response.status, 404)
        context.close()

        # 1. The correspondent files a story and submits it.
        context, page = self.session("lishuxiang")
        page.click("text=写新稿")
        page.fill("#id_headline", headline)
        page.fill("#id_dateline", "本报讯")
        page.fill(
            "#id_body",
            "11月21日，罗塘街道党工委书记缪杰明带队走访辖区企业。\n"
            "缪杰明一行先后来到三家企业，详细了解生产经营情况。",
        )
        self.shot(page, "01-correspondent-files.png")
        page.click("input[name=_continue]")
        page.click("button.step-submit")
        page.goto(f"{base}/admin/")
        self.shot(page, "02-correspondent-desk.png")
        context.close()
        self.assertEqual(Article.objects.get(headline=headline).status, "submitted")

        # 2. The editor sees the queue, tightens the text and approves.
        context, page = self.session("chenjing")
        self.shot(page, "03-editor-queue.png")
        page.click(f"#desk-editor >> text={headline}")
        page.fill(
            "#id_body",
            "11月21日，罗塘街道党工委书记缪杰明带队走访辖区企业。\n"
            "缪杰明一行先后来到三家企业，详细了解企业生产经营和用工情况。",
        )
        page.click("input[name=_continue]")
        page.click("button.step-approve")
        self.shot(page, "04-editor-approved.png")
        context.close()
        self.assertEqual(Article.objects.get(headline=headline).status, "approved")

        # 3. Layout places it on page 1 (a plain form: page, position, submit) and hands
        # the issue over for sign-off.
        context, page = self.session("xudongmei")
        self.shot(page, "05-layout-desk.png")
        page.click("#desk-layout a >> text=组版")
        page.select_option("form.layout-form select[name=page]", label="第1版 要闻")
        page.fill("form.layout-form input[name=order]", "1")
        self.shot(page, "06-layout-placing.png")
        page.click("form.layout-form >> text=放上版面")
        page.click("button.step-start_layout")
        page.click("button.step-mark_ready")
        self.shot(page, "07-layout-ready.png")
        context.close()
        self.assertEqual(Issue.objects.get().status, "ready")

        # 4. The responsible editor checks the pages and signs the issue off.
        context, page = self.session("yufeifei")
        self.shot(page, "08-chief-desk.png")
        page.click("#desk-chief button.step-publish_issue")
        self.shot(page, "09-chief-published.png")
        page.click(f"#desk-chief >> text={headline}")
        self.shot(page, "10-article-published.png")
        context.close()
        self.assertEqual(Issue.objects.get().status, "published")

        # 5. A reader, not logged in, finds the story on the front page and reads it.
        context, page = self.session()
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{base}/")
        page.click(f"main >> text={headline}")
        self.assertIn("详细了解企业生产经营和用工情况", page.inner_text("main"))
        self.assertIn("通讯员", page.inner_text("main"))
        self.shot(page, "11-reader-article.png")
        context.close()
