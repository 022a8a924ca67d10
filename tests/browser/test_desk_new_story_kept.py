"""A new story is not lost before its first save: desk.js keeps what a correspondent types
in the browser (localStorage) and offers it back on 写新稿 after a crash, a closed tab or an
expired login; it is removed once the story is saved, when it is discarded, and on logging
out; nobody else logging in on the same browser is offered it. Without JavaScript the form
saves as it always did."""

from django.contrib.auth.models import Group, User
from django.contrib.sessions.models import Session

from articles.models import Article
from people.models import Person
from tests import factories

from .chromium import ChromiumTestCase, needs_chromium

pytestmark = needs_chromium

PASSWORD = "kept-pw"
HEADLINE = "罗塘街道开展冬季消防演练"
BODY = "12月1日，罗塘街道组织辖区企业开展冬季消防演练。\n200余名职工参加。"
KEY = "newsroom:new-article:"


class NewStoryKeptTests(ChromiumTestCase):
    def setUp(self):
        factories.restore_desk_groups()  # an earlier browser test's flush removed them
        self.users = {}
        for username, name in [("lishuxiang", "李书翔"), ("yangxu", "杨旭")]:
            user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
            user.groups.add(Group.objects.get(name="通讯员"))
            Person.objects.create(name=name, user=user)
            self.users[username] = user
        self.context = self.browser.new_context(
            viewport={"width": 390, "height": 844}, locale="zh-CN"
        )

    def tearDown(self):
        self.context.close()

    def login(self, page, username):
        page.goto(f"{self.live_server_url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")

    def new_story_form(self, username="lishuxiang"):
        page = self.context.new_page()
        self.login(page, username)
        page.wait_for_url(f"{self.live_server_url}/admin/")
        page.click("text=写新稿")
        page.wait_for_selector("#id_headline")
        return page

    def type_story(self, page):
        page.fill("#id_headline", HEADLINE)
        page.click("#id_body")
        page.keyboard.type(BODY)
        page.wait_for_selector("#local-draft-status:has-text('已在本机暂存')")

    def kept(self, page):
        return page.evaluate("k => Object.keys(localStorage).filter(key => key.startsWith(k))", KEY)

    def test_a_story_typed_before_a_crash_is_offered_back_and_saved(self):
        page = self.new_story_form()
        self.assertFalse(page.is_visible("#local-draft"))
        self.type_story(page)
        # The browser dies: no save, no warning asked.
        page.close(run_before_unload=False)
        self.assertFalse(Article.objects.exists())

        page = self.context.new_page()
        page.goto(f"{self.live_server_url}/admin/articles/article/add/")
        offer = page.locator("#local-draft")
        offer.wait_for(state="visible")
        self.assertIn(f"本机留有一篇尚未保存的稿件：《{HEADLINE}》", offer.inner_text())
        self.assertEqual(page.input_value("#id_headline"), "")
        page.click("#local-draft >> text=恢复")
        self.assertFalse(page.is_visible("#local-draft"))
        self.assertEqual(page.input_value("#id_headline"), HEADLINE)
        self.assertEqual(page.input_value("#id_body"), BODY)

        page.click("input[name=_continue]")
        page.wait_for_url("**/change/")
        story = Article.objects.get()
        self.assertEqual((story.headline, story.body), (HEADLINE, BODY))
        # Saved: the browser's copy is gone, and 写新稿 starts empty.
        self.assertEqual(self.kept(page), [])
        page.goto(f"{self.live_server_url}/admin/articles/article/add/")
        page.wait_for_timeout(300)
        self.assertFalse(page.is_visible("#local-draft"))

    def test_a_save_that_meets_an_expired_login_is_offered_back_after_logging_in(self):
        page = self.new_story_form()
        self.type_story(page)
        Session.objects.all().delete()  # the login expired while the story was typed
        page.click("input[name=_continue]")
        page.wait_for_url("**/login/**")
        self.assertFalse(Article.objects.exists())
        page.fill("#id_username", "lishuxiang")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url("**/articles/article/add/")
        page.locator("#local-draft").wait_for(state="visible")
        page.click("#local-draft >> text=恢复")
        page.click("input[name=_continue]")
        page.wait_for_url("**/change/")
        self.assertEqual(Article.objects.get().body, BODY)

    def test_a_form_refused_with_errors_keeps_the_copy_until_it_is_saved(self):
        page = self.new_story_form()
        page.click("#id_body")
        page.keyboard.type(BODY)  # no headline: the form comes back with its error
        page.wait_for_selector("#local-draft-status:has-text('已在本机暂存')")
        page.click("input[name=_continue]")
        page.wait_for_selector(".errornote")
        self.assertEqual(len(self.kept(page)), 1)
        self.assertFalse(page.is_visible("#local-draft"))  # the text is in the form already
        page.fill("#id_headline", HEADLINE)
        page.click("input[name=_continue]")
        page.wait_for_url("**/change/")
        self.assertEqual(self.kept(page), [])

    def test_discarded_or_logged_out_copies_are_gone_and_others_never_see_one(self):
        page = self.new_story_form()
        self.type_story(page)
        page.close(run_before_unload=False)

        # Another correspondent on the same browser is not offered it.
        page = self.context.new_page()
        self.context.clear_cookies()
        self.login(page, "yangxu")
        page.goto(f"{self.live_server_url}/admin/articles/article/add/")
        page.wait_for_timeout(300)
        self.assertFalse(page.is_visible("#local-draft"))

        # Its writer discards it.
        self.context.clear_cookies()
        page.close(run_before_unload=False)
        page = self.new_story_form()
        page.click("#local-draft >> text=放弃")
        self.assertEqual(self.kept(page), [])

        # Logging out removes a copy too.
        self.type_story(page)
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("#logout-form button")
        page.wait_for_url("**/logout/")
        self.assertEqual(self.kept(page), [])

    def test_without_javascript_the_form_saves_as_ever(self):
        context = self.browser.new_context(java_script_enabled=False, locale="zh-CN")
        page = context.new_page()
        self.login(page, "lishuxiang")
        page.goto(f"{self.live_server_url}/admin/articles/article/add/")
        self.assertFalse(page.is_visible("#local-draft"))
        page.fill("#id_headline", HEADLINE)
        page.fill("#id_body", BODY)
        page.click("input[name=_continue]")
        page.wait_for_url("**/change/")
        self.assertEqual(Article.objects.get().headline, HEADLINE)
        context.close()
