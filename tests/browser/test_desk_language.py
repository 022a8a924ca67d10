"""Every desk page, as each of the four roles, reads in Chinese: the test walks every admin
page a 通讯员, 编辑, 组版 or 责任编辑 can reach by following links from the home page (and
each article and issue page in each state), and fails on any word in Latin letters outside
the data (login names, file names), addresses and a short allow-list. The same walk checks that
no page has an inline script or an on* attribute (the desk runs under script-src 'self'), and
that none is wider than a 390 px phone, not even a row of an inline or a list scrolling
inside its own box.

NEWSROOM_SCREENSHOTS=1 also saves each page at 390 and 1280 px to screenshots/desk/.
"""

import datetime
import os
import re
from pathlib import Path
from urllib.parse import urlparse

from django.contrib.auth.models import Group, User

from articles.models import Article, Byline
from desk import issue_services as services_issue
from desk import services
from issues.models import Issue, LayoutCredit, Page, Publication
from people.models import Person
from tests import factories

from .chromium import ChromiumTestCase, needs_chromium

pytestmark = needs_chromium

SHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "desk"
PASSWORD = "language-pw"
ROLES = {
    "lishuxiang": ("李书翔", "通讯员"),
    "chenjing": ("陈静", "编辑"),
    "xudongmei": ("徐冬梅", "组版"),
    "yufeifei": ("郁菲菲", "责任编辑"),
}
# Words that are Chinese usage, not English: file formats.
ALLOWED = {"CSV", "Excel", "PDF"}
# Not pages to read: leaving, deleting, downloads, the admin's JavaScript catalogue.
SKIP = re.compile(r"/logout/|/delete/|/jsi18n/|format=|/autocomplete/|/password_change/done/")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def seed():
    factories.restore_desk_groups()  # an earlier browser test's flush removed them
    staff = {}
    for username, (name, group) in ROLES.items():
        user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        staff[username] = user
        Person.objects.create(name=name, user=user, affiliation="今日罗塘")
    pub = Publication.objects.create(name="今日罗塘", slug="jinriluotang", sponsor_role="联合主办")
    done = Issue.objects.create(
        publication=pub,
        date=datetime.date(2024, 11, 21),
        number_in_year=10,
        number=117,
        responsible_editor=staff["yufeifei"].person,
    )
    LayoutCredit.objects.create(issue=done, person=staff["xudongmei"].person)
    done_page = Page.objects.create(issue=done, number=1, name="要闻")
    issue = Issue.objects.create(
        publication=pub,
        date=datetime.date(2024, 11, 28),
        number_in_year=11,
        number=118,
        responsible_editor=staff["yufeifei"].person,
    )
    page1 = Page.objects.create(issue=issue, number=1, name="要闻")
    Page.objects.create(issue=issue, number=2, name="综合新闻")
    li, chen, xu, yu = (staff[u] for u in ROLES)

    def story(headline, *, steps=()):
        article = services.file_article(
            article=Article(
                headline=headline,
                dateline="本报讯",
                body="11月21日，罗塘街道党工委书记缪杰明带队走访辖区企业。\n"
                "缪杰明一行先后来到三家企业，详细了解生产经营情况。",
            ),
            by=li,
        )
        Byline.objects.create(article=article, person=li.person, role="correspondent")
        for step in steps:
            step(article)
        return article

    submit = lambda a: services.submit(article=a, by=li)  # noqa: E731
    approve = lambda a: services.approve(article=a, by=chen)  # noqa: E731
    story("罗塘小学举行冬季运动会")
    returned = story("银穆社区开展义诊", steps=[submit])
    services.return_to_author(article=returned, by=chen, note="请补充参加人数")
    story("罗塘街道开展消防演练", steps=[submit])
    story("殷家社区乡村振兴", steps=[submit, approve])
    story(
        "缪杰明带队走访辖区企业",
        steps=[
            submit,
            approve,
            lambda a: services.place(article=a, page=page1, order=1, by=xu),
        ],
    )
    story(
        "罗塘街道召开书记办公会",
        steps=[
            submit,
            approve,
            lambda a: services.place(article=a, page=done_page, order=1, by=xu),
        ],
    )
    Issue.objects.filter(pk=done.pk).update(status=Issue.Status.READY)
    services_issue.publish_issue(issue=done, by=yu)
    return staff


class DeskLanguageTests(ChromiumTestCase):
    maxDiff = None

    def setUp(self):
        self.staff = seed()
        self.screenshots = bool(os.environ.get("NEWSROOM_SCREENSHOTS"))

    def login(self, context, username):
        page = context.new_page()
        page.goto(f"{self.live_server_url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{self.live_server_url}/admin/")
        return page

    def reachable(self, page):
        """Every desk page reachable by links from the home page (breadth first)."""
        seen, queue, pages = set(), ["/admin/"], []
        while queue and len(pages) < 80:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = page.goto(self.live_server_url + path)
            if response is None or response.status != 200 or "/admin/" not in page.url:
                continue
            pages.append(path)
            for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                url = urlparse(href)
                if url.netloc != urlparse(self.live_server_url).netloc:
                    continue
                target = url.path + (f"?{url.query}" if url.query else "")
                if not url.path.startswith("/admin/") or SKIP.search(target):
                    continue
                # Filtered and sorted lists are the same page in other words.
                if url.query and not url.query.startswith("month="):
                    continue
                if target not in seen:
                    queue.append(target)
        return pages

    def english_words(self, page):
        text = page.evaluate(
            """() => {
              const parts = [document.title, document.body.innerText];
              for (const el of document.querySelectorAll('[title],[aria-label],[placeholder],[alt],input[type=submit],input[type=button]')) {
                for (const name of ['title', 'aria-label', 'placeholder', 'alt', 'value']) {
                  if ((name !== 'value' || el.type === 'submit' || el.type === 'button') && el.getAttribute(name)) parts.push(el.getAttribute(name));
                }
              }
              return parts.join('\\n');
            }"""
        )
        text = re.sub(r"https?://\S+|\S+@\S+|\S+\.(?:jpg|jpeg|png|webp|pdf)\b", " ", text)
        for data in [*ROLES, "jinriluotang"]:  # login names and the paper's address
            text = text.replace(data, " ")
        return sorted({w for w in LATIN_WORD.findall(text) if w not in ALLOWED})

    def inline_code(self, page):
        return page.evaluate(
            """() => {
              const bad = [];
              for (const s of document.querySelectorAll('script')) if (!s.src) bad.push('inline script');
              for (const el of document.querySelectorAll('*')) for (const a of el.attributes) if (/^on/.test(a.name)) bad.push(a.name);
              return bad;
            }"""
        )

    def test_every_desk_page_reads_in_chinese_for_each_role(self):
        problems = {}
        for username, (name, group) in ROLES.items():
            context = self.browser.new_context(
                viewport={"width": 1280, "height": 900}, locale="zh-CN"
            )
            page = self.login(context, username)
            self.assertIn(name, page.inner_text("#user-tools"))
            paths = self.reachable(page)
            self.assertGreater(len(paths), 3, f"{group} reached only {paths}")
            for path in paths:
                page.goto(self.live_server_url + path)
                words = self.english_words(page)
                code = self.inline_code(page)
                wide = self.wider_than_a_phone(page)
                if words or code or wide:
                    problems[f"{group} {path}"] = words + code + wide
                if self.screenshots:
                    self.shoot(page, group, path)
            context.close()
        report = "\n".join(f"{where}: {' '.join(words)}" for where, words in problems.items())
        self.assertEqual(
            problems, {}, "English words, inline code or overflow on desk pages:\n" + report
        )

    def wider_than_a_phone(self, page):
        """At 390 px nothing may widen the page (a wide report table scrolls in its own box),
        and no row of a form's inline (pages, bylines, layout credits) or of a change list may
        run past the screen's edge: they stack as cards instead of scrolling sideways."""
        page.set_viewport_size({"width": 390, "height": 844})
        width = page.evaluate("document.documentElement.scrollWidth")
        rows = page.evaluate(
            """() => {
              const edge = document.documentElement.clientWidth;
              const wide = [];
              for (const row of document.querySelectorAll(
                  '.inline-group tr.form-row, .inline-group .inline-related, #result_list tbody tr')) {
                const box = row.getBoundingClientRect();
                if (box.width && box.right > edge + 1) {
                  const group = row.closest('.inline-group, #changelist');
                  wide.push(`${group ? group.id : '?'} row ends at ${Math.round(box.right)} px`);
                }
              }
              return [...new Set(wide)];
            }"""
        )
        page.set_viewport_size({"width": 1280, "height": 900})
        return ([f"{width} px wide at 390 px"] if width > 390 else []) + rows

    def shoot(self, page, group, path):
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^0-9A-Za-z]+", "_", path.strip("/")) or "home"
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900 if width == 1280 else 844})
            page.screenshot(path=str(SHOTS / f"{group}-{name}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
