"""The desk walkthrough in Chromium: a correspondent files a story with a photo (the draft
autosaves), an editor approves it, layout places two stories from the page plan, the
responsible editor reads the whole issue, confirms 签发 for 明早6:00 (published then by
`publish_scheduled`, with a frozen clock), reads the monthly report, and a reader finds the
story on the public site. Each role works only through the admin pages a person would use;
the clicks of each task are counted and pinned (README: "Clicks per task").

Set NEWSROOM_SCREENSHOTS=1 to save a screenshot of every step to screenshots/ (gitignored).
"""

import csv
import datetime
import io
import os
from pathlib import Path
from unittest import mock

import openpyxl
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from articles.models import Article, Byline
from desk import confirm, services
from desk.models import ScheduledPublication
from issues.models import Issue, Page, Publication
from people.models import Person
from tests import factories

from .chromium import ChromiumTestCase, needs_chromium

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PASSWORD = "walkthrough-pw"

pytestmark = needs_chromium


def at(hour, minute):
    """The morning of the issue, 2024-11-28, at hour:minute in the site's time zone."""
    return timezone.make_aware(datetime.datetime(2024, 11, 28, hour, minute))


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
    # Yesterday's draft, and a second approved story waiting for layout.
    services.file_article(
        article=Article(
            headline="罗塘小学举行冬季运动会", body="11月26日，罗塘小学举行冬季运动会。"
        ),
        by=staff["lishuxiang"],
    )
    second = services.file_article(
        article=Article(
            headline="罗塘街道开展冬季消防演练", body="11月20日，罗塘街道开展冬季消防演练。"
        ),
        by=staff["lishuxiang"],
    )
    services.submit(article=second, by=staff["lishuxiang"])
    services.approve(article=second, by=staff["chenjing"])


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

    def click(self, page, selector, **options):
        self.clicks += 1
        page.click(selector, **options)

    def run_scheduled(self, now):
        """The scheduler's run (manage.py publish_scheduled) as if the clock said `now`."""
        with mock.patch("django.utils.timezone.now", return_value=now):
            call_command("publish_scheduled", stdout=io.StringIO())

    def photo_file(self):
        path = Path(self.tmp) / "xiaofang.jpg"
        Image.new("RGB", (120, 80), (180, 40, 40)).save(path)
        return str(path)

    def test_a_story_goes_from_the_correspondent_to_the_reader(self):
        import tempfile

        self.tmp = tempfile.mkdtemp()
        base = self.live_server_url
        headline = "缪杰明带队走访辖区企业"
        clicks = {}

        # The story is not public before sign-off.
        context, page = self.session()
        response = page.goto(f"{base}/jinriluotang/issues/118/")
        self.assertEqual(response.status, 404)
        context.close()

        # 1. The correspondent goes on with yesterday's draft: it autosaves when focus leaves
        # the body (at 15:04, "已自动保存 15:04"), and leaving with unsaved changes asks first.
        afternoon = timezone.make_aware(datetime.datetime(2024, 11, 27, 15, 4))
        context, page = self.session("lishuxiang")
        self.assertIn("李书翔", page.inner_text("#user-tools"))
        draft = Article.objects.get(headline="罗塘小学举行冬季运动会")
        page.click(f"#desk-correspondent >> text={draft.headline}")
        revisions = draft.history.count()
        page.click("#id_body")
        page.keyboard.press("End")
        page.keyboard.type("全校800余名师生参加。")
        with mock.patch("django.utils.timezone.now", return_value=afternoon):
            page.focus("#id_headline")
            page.wait_for_selector("#autosave-status:has-text('已自动保存')")
        self.assertEqual(page.inner_text("#autosave-status"), "已自动保存 15:04")
        self.shot(page, "01-correspondent-autosaved.png")
        # What was typed is on the server: a reload (a dropped connection, a closed tab) shows
        # it, and it is a new revision of the draft.
        page.reload()
        self.assertIn("全校800余名师生参加。", page.input_value("#id_body"))
        draft.refresh_from_db()
        self.assertIn("全校800余名师生参加。", draft.body)
        self.assertEqual(draft.history.count(), revisions + 1)
        page.click("#id_body")
        page.keyboard.type("还没保存的一句。")
        dialogs = []
        page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
        page.click("#site-name a")
        page.wait_for_timeout(300)
        self.assertEqual(dialogs, ["beforeunload"])
        self.assertIn("/change/", page.url)
        # Saving by hand after an autosave is not refused as stale (the version followed).
        page.click("input[name=_continue]")
        self.assertNotIn("errornote", page.content())
        draft.refresh_from_db()
        self.assertIn("还没保存的一句。", draft.body)

        # The correspondent files a new story with a photo and submits it: 保存并提交审稿
        # saves what was typed, then submits, with no separate save first.
        page.goto(f"{base}/admin/")
        self.clicks = 0
        self.click(page, "text=写新稿")
        page.fill("#id_headline", headline)
        page.fill("#id_dateline", "本报讯")
        page.fill(
            "#id_body",
            "11月21日，罗塘街道党工委书记缪杰明带队走访辖区企业。\n"
            "缪杰明一行先后来到三家企业，详细了解生产经营情况。",
        )
        self.click(page, "#photos-group .add-row a")
        self.clicks += 1  # 选择文件
        page.set_input_files("#id_photos-0-image", self.photo_file())
        page.fill("#id_photos-0-caption", "图为缪杰明与企业负责人交流。")
        self.shot(page, "02-correspondent-files.png")
        self.click(page, "button.step-submit")
        page.wait_for_url(f"{base}/admin/")
        clicks["filing a story with a photo"] = self.clicks
        self.shot(page, "03-correspondent-desk.png")
        context.close()
        article = Article.objects.get(headline=headline)
        self.assertEqual(article.status, "submitted")
        self.assertEqual(article.photos.count(), 1)
        self.assertEqual(article.bylines.get().person.name, "李书翔")

        # 2. The editor sees the queue (length, photo, excerpt), tightens the text, approves.
        context, page = self.session("chenjing")
        self.assertIn("1幅图", page.inner_text("#desk-editor"))
        self.shot(page, "04-editor-queue.png")
        self.clicks = 0
        self.click(page, f"#desk-editor >> text={headline}")
        page.fill(
            "#id_body",
            "11月21日，罗塘街道党工委书记缪杰明带队走访辖区企业。\n"
            "缪杰明一行先后来到三家企业，详细了解企业生产经营和用工情况。",
        )
        self.click(page, "button.step-approve")
        page.wait_for_url(f"{base}/admin/")
        clicks["approving"] = self.clicks
        context.close()
        article.refresh_from_db()
        self.assertEqual(article.status, "approved")
        self.assertIn("用工情况", article.body)

        # 3. Layout places the two waiting stories from the page plan, credits herself in the
        # masthead and hands the issue over.
        context, page = self.session("xudongmei")
        self.shot(page, "05-layout-desk.png")
        self.clicks = 0
        self.click(page, "#desk-layout a >> text=版面规划")
        self.click(page, f"#story-{article.pk} >> text=放上第1版")
        second = Article.objects.get(headline="罗塘街道开展冬季消防演练")
        self.click(page, f"#story-{second.pk} >> text=放上第1版")
        clicks["placing two stories"] = self.clicks
        board = page.inner_text("#board-page-1")
        self.assertLess(board.index(headline), board.index("罗塘街道开展冬季消防演练"))
        page.click("button.credit-me")
        self.assertIn("徐冬梅", page.inner_text(".layout-credit"))
        self.shot(page, "06-layout-board.png")
        page.click("button.step-start_layout")
        page.click("button.step-mark_ready")
        self.assertIn("已交付签发", page.inner_text("#content"))
        self.shot(page, "07-layout-ready.png")
        context.close()
        self.assertEqual(Issue.objects.get().status, "ready")

        # 4. The responsible editor reads the whole issue with the changes since approval and
        # signs it off for tomorrow 6:00. The confirmation states what will happen, and its form
        # carries the version of the issue she read.
        evening = timezone.make_aware(datetime.datetime(2024, 11, 27, 21, 30))
        issue = Issue.objects.get()
        context, page = self.session("yufeifei")
        self.shot(page, "08-chief-desk.png")
        self.clicks = 0
        self.click(page, "#desk-chief a.signoff-link")
        text = page.inner_text("#content")
        self.assertIn("详细了解企业生产经营和用工情况", text)
        self.assertIn("图为缪杰明与企业负责人交流。", text)
        self.assertIn("陈静于", text)
        self.assertEqual(page.locator(".signoff-page .photo img").count(), 1)
        self.shot(page, "09-chief-signoff.png")
        self.click(page, "a.step-publish_issue")
        self.assertIn("2个版面、3篇稿件将对读者公开", page.inner_text(".confirm-what"))
        self.assertEqual(page.input_value("input[name=version]"), confirm.issue_version(issue))
        self.shot(page, "10-chief-confirm.png")
        with mock.patch("django.utils.timezone.now", return_value=evening):
            page.check("input[name=when][value=tomorrow]")
            self.click(page, "button.confirm-button")
            page.wait_for_url("**/signoff/")
        clicks["signing off"] = self.clicks
        self.assertIn("定时签发：2024-11-28 06:00", page.inner_text("#content"))
        self.shot(page, "11-chief-scheduled.png")
        self.assertEqual(Issue.objects.get().status, "ready")

        # She changes her mind: the schedule is cancelled, and 6:00 passes with nothing
        # published.
        page.click("button.cancel-schedule")
        page.wait_for_url("**/signoff/")
        self.assertIn("已取消定时签发。", page.inner_text(".messagelist"))
        self.assertNotIn("定时签发：", page.inner_text("#content"))
        self.assertFalse(ScheduledPublication.objects.exists())
        self.run_scheduled(at(6, 0))
        self.assertEqual(Issue.objects.get().status, "ready")

        # Then signs it off for 6:30: published by the scheduled runner at 6:30, not a minute
        # before, as she confirmed it.
        page.click("a.step-publish_issue")
        with mock.patch("django.utils.timezone.now", return_value=evening):
            page.check("input[name=when][value=at]")
            page.fill("input[name=at]", "2024-11-28T06:30")
            page.click("button.confirm-button")
            page.wait_for_url("**/signoff/")
        self.assertIn("定时签发：2024-11-28 06:30", page.inner_text("#content"))
        self.run_scheduled(at(6, 29))
        self.assertEqual(Issue.objects.get().status, "ready")
        self.run_scheduled(at(6, 30))
        issue.refresh_from_db()
        self.assertEqual(issue.status, "published")
        self.assertEqual(issue.published_at, at(6, 30))
        self.assertEqual(set(issue.pages.values_list("articles__status", flat=True)), {"published"})

        # The monthly report: what each person published, with characters, in the desk and
        # as CSV (UTF-8 with a byte order mark, for Excel) and XLSX.
        lishuxiang = Article.objects.filter(bylines__person__name="李书翔", status="published")
        self.assertEqual(lishuxiang.count(), 2)
        characters = sum(
            len(line.strip()) for a in lishuxiang for line in a.body.splitlines() if line.strip()
        )
        expected = ["李书翔", "通讯员", "2", str(characters), "0"]
        page.goto(f"{base}/admin/")
        page.click("text=月度稿费与工作量统计")
        page.fill("input[name=month]", "2024-11")
        page.click(".report-filter button")
        rows = page.eval_on_selector_all(
            "#report-totals tbody tr",
            "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))",
        )
        self.assertIn(expected, rows)
        self.shot(page, "12-chief-report.png")
        with page.expect_download() as download:
            page.click("text=下载CSV表格")
        self.assertEqual(download.value.suggested_filename, "gaofei-2024-11.csv")
        raw = Path(download.value.path()).read_bytes()
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"))
        self.assertIn(expected, list(csv.reader(io.StringIO(raw.decode("utf-8-sig")))))
        with page.expect_download() as download:
            page.click("text=下载Excel表格")
        self.assertEqual(download.value.suggested_filename, "gaofei-2024-11.xlsx")
        book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        sheet_rows = [
            [str(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)
        ]
        self.assertIn(expected, sheet_rows)
        context.close()

        # 5. A reader, not logged in, finds the story on the front page and reads it.
        context, page = self.session()
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{base}/")
        page.click(f"main >> text={headline}")
        self.assertIn("详细了解企业生产经营和用工情况", page.inner_text("main"))
        self.assertIn("通讯员", page.inner_text("main"))
        self.shot(page, "13-reader-article.png")
        context.close()

        # 6. Later that morning the responsible editor takes the issue back (撤回本期). While its
        # confirmation is open, she withdraws a story (撤稿), whose confirmation a colleague's
        # correction makes stale. Each stale confirmation is refused, says why, shows what is
        # true now, and is taken when confirmed again.
        fire = Article.objects.get(headline="罗塘街道开展冬季消防演练")
        context, take_back = self.session("yufeifei")
        take_back.goto(f"{base}/admin/issues/issue/{issue.pk}/signoff/")
        take_back.click("a.step-unpublish_issue")
        self.assertIn("2个版面、3篇稿件将不再对读者公开", take_back.inner_text(".confirm-what"))
        take_back.fill("textarea[name=note]", "头版稿件需要重新核实")

        withdraw = context.new_page()
        withdraw.goto(f"{base}/admin/articles/article/{fire.pk}/change/")
        withdraw.click("a.step-withdraw")
        self.assertIn("罗塘街道开展冬季消防演练", withdraw.inner_text(".confirm-what"))
        self.assertEqual(withdraw.input_value("input[name=version]"), confirm.article_version(fire))
        withdraw.fill("textarea[name=note]", "演练日期有误")

        correct = context.new_page()
        correct.goto(f"{base}/admin/articles/article/{fire.pk}/correct/")
        correct.fill("textarea[name=text]", "11月21日，罗塘街道开展冬季消防演练。")
        correct.fill("textarea[name=note]", "演练日期为11月21日")
        correct.click("input[type=submit]")
        correct.wait_for_url(f"**/articles/article/{fire.pk}/change/")
        fire.refresh_from_db()
        self.assertEqual(fire.version, 2)

        withdraw.click("button.confirm-button")
        self.assertIn("打开此页之后内容有了改动", withdraw.inner_text(".errornote"))
        fire.refresh_from_db()
        self.assertEqual(fire.status, "published")
        self.assertEqual(withdraw.input_value("input[name=version]"), confirm.article_version(fire))
        self.shot(withdraw, "14-chief-withdraw-stale.png")
        withdraw.click("button.confirm-button")
        withdraw.wait_for_url(f"**/articles/article/{fire.pk}/change/")
        fire.refresh_from_db()
        self.assertEqual(fire.status, "withdrawn")

        take_back.click("button.confirm-button")
        self.assertIn("打开此页之后内容有了改动", take_back.inner_text(".errornote"))
        self.assertIn("2个版面、2篇稿件将不再对读者公开", take_back.inner_text(".confirm-what"))
        self.assertEqual(Issue.objects.get().status, "published")
        take_back.click("button.confirm-button")
        take_back.wait_for_url("**/signoff/")
        self.assertEqual(Issue.objects.get().status, "ready")
        context.close()
        context, page = self.session()
        self.assertEqual(page.goto(f"{base}/jinriluotang/issues/118/").status, 404)
        context.close()

        # Clicks per task (before this desk: 5, 3, 5 and 1 without any confirmation), printed
        # for the record (pytest -s) and pinned.
        print("clicks per task:", ", ".join(f"{task} {n}" for task, n in clicks.items()))
        self.assertEqual(
            clicks,
            {
                "filing a story with a photo": 4,
                "approving": 2,
                "placing two stories": 3,
                "signing off": 3,
            },
        )
