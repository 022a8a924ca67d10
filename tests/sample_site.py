"""A small paper to read: issue 118 of 今日罗塘 as printed (page 1 with a jump to page 3),
the issue before it, and an unsigned issue 119. Used by the browser tests and to take
screenshots on a development database (`manage.py shell -c "from tests.sample_site import
build; build()"`).
"""

import datetime

from django.utils import timezone

from articles.models import Article, Byline, Correction
from issues.models import Page
from tests import factories

JUMP_TEXT = [
    "日前，罗塘街道（高新区）党工委书记缪杰明带队走访普络斯汽车车灯总成项目、"
    "兴科迪科技（泰州）有限公司等辖区项目、企业。",
    "在走访过程中，缪杰明一行与企业负责人深入交流，认真听取项目建设进展及企业发展经营情况，"
    "了解企业实际诉求，收集梳理反映问题，切实为企业发展排忧解难。",
    "缪杰明指出，要聚焦重点提进度，坚定“项目为王”工作导向，强化全局观念，坚持系统思维。"
    "要优化服务保障，健全重点项目、重点企业挂钩服务机制，主动靠前服务。",
    "要压实工作责任，以更大力度、更实举措推动签约项目快落地、在建项目快推进、竣工项目快投产。",
]
# Page 3 carries the text from "重点企业挂钩服务机制" on, as printed.
JUMP_BREAK = len("".join(JUMP_TEXT[:2])) + JUMP_TEXT[2].index("重点企业")


def build():
    """Create the sample paper; returns a dict of the rows tests click through."""
    pub = factories.publication(
        sponsors=[
            "姜堰现代科技产业园区党工委",
            "姜堰区罗塘街道党工委",
            "姜堰现代科技产业园区管委会",
            "姜堰区罗塘街道办事处",
            "姜堰区融媒体中心",
        ]
    )
    yu = factories.person("郁菲菲")
    xu = factories.person("徐冬梅")
    li = factories.person("李书翔")
    yang = factories.person("杨旭")
    ji = factories.person("吉祥")
    ding = factories.person("丁小勇")

    older = factories.issue(
        pub=pub,
        number=117,
        number_in_year=10,
        date=datetime.date(2024, 11, 14),
        pages=1,
        published=True,
        responsible_editor=yu,
        layout=[xu],
    )
    Page.objects.filter(issue=older).update(name="要闻")
    older_article = factories.article(
        older.pages.get(),
        headline="罗塘街道开展消防安全大检查",
        body="11月12日，罗塘街道组织开展辖区消防安全大检查。\n检查组深入企业、商户，逐一排查隐患。",
        bylines=[(li, Byline.Role.CORRESPONDENT)],
        dateline="本报讯",
    )

    issue = factories.issue(
        pub=pub,
        number=118,
        number_in_year=11,
        date=datetime.date(2024, 11, 28),
        pages=4,
        published=True,
        responsible_editor=yu,
        layout=[xu],
    )
    names = {1: "要闻", 2: "综合", 3: "要闻", 4: "副刊"}
    pages = {}
    for page in issue.pages.all():
        page.name = names[page.number]
        page.save()
        pages[page.number] = page

    first = factories.article(
        pages[1],
        headline="罗塘街道（高新区）部署当前重点工作",
        body="11月21日，罗塘街道（高新区）召开书记办公会，党工委书记缪杰明就近期重点工作任务"
        "进行专题布置提示。\n就2025年民生实事，缪杰明要求，要以保障和改善民生为出发点，"
        "把群众的“急难愁盼”放在第一位。",
        bylines=[(li, Byline.Role.CORRESPONDENT)],
        dateline="本报讯",
        order=1,
    )
    factories.article(
        pages[1],
        headline="区政协调研罗塘街道“网格化治理”协商议事工作",
        body="11月19日下午，区政协调研组到罗塘街道太平社区专题调研“网格化治理”协商议事工作。",
        bylines=[(ji, Byline.Role.CORRESPONDENT)],
        dateline="本报讯",
        order=2,
    )
    jump = factories.article(
        pages[1],
        headline="缪杰明带队走访辖区企业",
        body="\n".join(JUMP_TEXT),
        bylines=[(yu, Byline.Role.REPORTER), (yang, Byline.Role.CORRESPONDENT)],
        dateline="本报讯",
        order=3,
    )
    Article.objects.filter(pk=jump.pk).update(pages=[1, 3], breaks=[JUMP_BREAK])
    jump.refresh_from_db()
    factories.photo(
        article=jump,
        caption="图为缪杰明与相关企业负责人交流。",
        photographer=ding,
    )
    photo_news = factories.photo(
        page=pages[1],
        caption="11月4日—6日，罗塘街道（高新区）党工委书记缪杰明带队前往江西、云南招商引资，"
        "向企业介绍姜堰高新区区位优势、产业基础、发展优势等。",
        photographer=ding,
    )
    photo_news.credit_role = Byline.Role.REPORTER
    photo_news.save()
    second_by_yang = factories.article(
        pages[2],
        headline="罗塘街道人大工委召开全体（扩大）会议",
        body="11月15日，罗塘街道人大工委召开全体（扩大）会议。\n会议听取和讨论了网格化社会治理、"
        "招商引资项目建设情况的报告。",
        bylines=[(yang, Byline.Role.CORRESPONDENT)],
        dateline="本报讯",
    )
    Correction.objects.create(
        article=second_by_yang,
        note="本文原稿将会议日期误作11月16日，现已更正为11月15日。",
        created_at=timezone.make_aware(datetime.datetime(2024, 11, 29, 9, 0)),
    )
    factories.article(
        pages[4],
        headline="初冬的罗塘河",
        body="清晨的罗塘河，薄雾还没有散去。\n岸边的银杏叶落了一地，像铺了一层金子。",
        bylines=[(li, Byline.Role.SPECIAL_CORRESPONDENT)],
    )

    unsigned = factories.issue(
        pub=pub,
        number=119,
        number_in_year=12,
        date=datetime.date(2024, 12, 12),
        pages=1,
        published=False,
        responsible_editor=yu,
    )
    secret = factories.article(
        unsigned.pages.get(),
        headline="尚未签发的稿件",
        status=Article.Status.PLACED,
        bylines=[(yang, Byline.Role.CORRESPONDENT)],
    )
    return {
        "publication": pub,
        "issue": issue,
        "older": older,
        "older_article": older_article,
        "first": first,
        "jump": jump,
        "by_yang": second_by_yang,
        "unsigned": unsigned,
        "secret": secret,
        "yang": yang,
        "pages": pages,
    }
