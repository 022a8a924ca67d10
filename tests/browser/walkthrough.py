"""The desk walkthrough, in a real browser: a correspondent files a story, an editor approves
it, layout places it, the responsible editor signs the issue off. Screenshots of each step go
to screenshots/ (gitignored).

Not part of the test run (the matrix tests cover the rules); run it by hand against a fresh
database:

    export DATABASE_URL=sqlite:////tmp/walkthrough.sqlite3 TESTING=1
    rm -f /tmp/walkthrough.sqlite3 && python manage.py migrate
    python tests/browser/walkthrough.py seed
    python manage.py runserver 127.0.0.1:8301 &
    python tests/browser/walkthrough.py run http://127.0.0.1:8301
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots"
PASSWORD = "walkthrough-pw"
sys.path.insert(0, str(ROOT))


def seed():
    import datetime

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.contrib.auth.models import Group, User

    from articles import services
    from articles.models import Article, Byline
    from issues.models import Issue, Page, Publication
    from people.models import Person

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
    print(f"seeded: 今日罗塘 总第118期, four desk users (password {PASSWORD})")


def run(base):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )

        def session(username):
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page = context.new_page()
            page.goto(f"{base}/admin/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            page.wait_for_url(f"{base}/admin/")
            return context, page

        def shot(page, name):
            page.screenshot(path=str(SHOTS / name), full_page=True)
            print("screenshot", name)

        # 1. The correspondent files a story and submits it.
        context, page = session("lishuxiang")
        page.click("text=写新稿")
        page.fill("#id_headline", "缪杰明带队走访辖区企业")
        page.fill("#id_dateline", "本报讯")
        page.fill(
            "#id_body",
            "11月21日，罗塘街道党工委书记缪杰明带队走访辖区企业。\n"
            "缪杰明一行先后来到三家企业，详细了解生产经营情况。",
        )
        shot(page, "01-correspondent-files.png")
        page.click("input[name=_continue]")
        page.click("button.step-submit")
        page.goto(f"{base}/admin/")
        shot(page, "02-correspondent-desk.png")
        context.close()

        # 2. The editor sees the queue, tightens the text and approves.
        context, page = session("chenjing")
        shot(page, "03-editor-queue.png")
        page.click("#desk-editor >> text=缪杰明带队走访辖区企业")
        page.fill(
            "#id_body",
            "11月21日，罗塘街道党工委书记缪杰明带队走访辖区企业。\n"
            "缪杰明一行先后来到三家企业，详细了解企业生产经营和用工情况。",
        )
        page.click("input[name=_continue]")
        page.click("button.step-approve")
        shot(page, "04-editor-approved.png")
        context.close()

        # 3. Layout places it on page 1 (a plain form: page, position, submit) and hands
        # the issue over for sign-off.
        context, page = session("xudongmei")
        shot(page, "05-layout-desk.png")
        page.click("#desk-layout a >> text=组版")
        page.select_option("form.layout-form select[name=page]", label="第1版 要闻")
        page.fill("form.layout-form input[name=order]", "1")
        shot(page, "06-layout-placing.png")
        page.click("form.layout-form >> text=放上版面")
        page.click("button.step-start_layout")
        page.click("button.step-mark_ready")
        shot(page, "07-layout-ready.png")
        context.close()

        # 4. The responsible editor checks the pages and signs the issue off.
        context, page = session("yufeifei")
        shot(page, "08-chief-desk.png")
        page.click("#desk-chief button.step-publish_issue")
        shot(page, "09-chief-published.png")
        page.click("#desk-chief >> text=缪杰明带队走访辖区企业")
        shot(page, "10-article-published.png")
        context.close()
        browser.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["seed"]:
        seed()
    elif sys.argv[1:2] == ["run"]:
        run(sys.argv[2].rstrip("/"))
    else:
        sys.exit(__doc__)
