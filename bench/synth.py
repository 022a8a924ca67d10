"""A synthetic archive of 今日罗塘 back issues in the text format, for benchmarks.

    python bench/synth.py DIR COUNT [--seed N]

writes COUNT issues (总第1期 …) as DIR/jinri-luotang-NNNNN.md. Issues come out weekly from
2005-01-06 (a Thursday); 第N期 restarts every year. Each has four pages (要闻/综合/民生/副刊) of
five articles, bylines, a few photos and one or two articles jumping from page 1 to a later page.
The same seed gives the same archive.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `issues` importable from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backissues.textformat import (
    WEEKDAYS,
    ArticleData,
    BylineData,
    IssueData,
    PageData,
    PhotoData,
    PublicationData,
    render,
)

FIRST_DATE = datetime.date(2005, 1, 6)
PAGE_NAMES = ["要闻", "综合", "民生", "副刊"]
ARTICLES_PER_PAGE = 5
SPONSORS = [
    "姜堰现代科技产业园区党工委",
    "姜堰区罗塘街道党工委",
    "姜堰现代科技产业园区管委会",
    "姜堰区罗塘街道办事处",
    "姜堰区融媒体中心",
]

# No surname or given-name character starts a role word (记者, 通讯员…), so bylines stay bylines.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤缪郁储凌封"
)
GIVEN = (
    "菲书翔旭祥国华慧霞勇杰明金红信和冬梅芳静敏丽强磊军洋艳娟涛斌超秀英玲桂兰建平志刚晨宇轩浩"
    "然涵欣怡佳琪雨萱子睿博文思远海燕春兰秋菊云飞立新德胜永福卫东爱民亚楠婷婷晓峰玉琴"
)
PLACES = [
    "罗塘街道", "高新区", "银穆社区", "太平社区", "殷家社区", "三里窑社区", "罗塘新村", "东桥社区",
    "南苑社区", "天目山路", "人民路", "罗塘河畔", "科技产业园", "姜堰城区", "溱湖风景区", "街道便民服务中心",
]  # fmt: skip
ORGANISATIONS = [
    "街道党工委", "街道办事处", "园区管委会", "社区党总支", "新时代文明实践站", "网格服务中心",
    "街道人大工委", "区政协调研组", "街道综治中心", "园区企业服务部", "社区居委会", "街道团工委",
]  # fmt: skip
TITLES = [
    "党工委书记",
    "办事处主任",
    "社区书记",
    "网格员",
    "志愿者",
    "企业负责人",
    "人大代表",
    "老党员",
]
TOPICS = [
    "网格化治理", "乡村振兴", "安置房建设", "民生实事", "招商引资", "营商环境", "垃圾分类",
    "文明城市创建", "安全生产", "防汛防台", "养老服务", "未成年人保护", "老旧小区改造", "消防安全",
    "科技创新", "重点项目建设", "基层党建", "法治宣传", "文化惠民", "就业帮扶",
]  # fmt: skip
VERBS = [
    "召开", "部署", "推进", "开展", "调研", "走访", "督查", "启动", "举办", "落实", "研究", "总结",
]  # fmt: skip
EVENTS = ["专题会议", "现场推进会", "集中宣讲活动", "志愿服务活动", "座谈会", "培训班", "观摩活动"]
ACTIONS = [
    "听取了{topic}工作情况汇报", "实地察看了{place}的{topic}工作", "就{topic}提出了具体要求",
    "与{place}的居民面对面交流", "详细了解{topic}推进中的难点堵点", "对下一步{topic}工作作出安排",
    "为{place}群众解决了一批急难愁盼问题", "总结了近期{topic}工作的经验做法",
]  # fmt: skip
DEMANDS = [
    "要进一步提高政治站位", "要坚持问题导向", "要压紧压实工作责任", "要强化部门协同联动",
    "要坚持以人民为中心", "要抓好各项措施落地见效", "要加强宣传引导", "要建立长效管理机制",
]  # fmt: skip
RESULTS = [
    "确保各项任务按时保质完成", "切实增强群众的获得感和幸福感", "推动{topic}工作再上新台阶",
    "为全区高质量发展作出更大贡献", "努力交出{place}的新答卷", "让{topic}成果惠及更多群众",
]  # fmt: skip
CAPTIONS = [
    "{place}志愿者开展{topic}宣传。", "{date},{place}居民参加{event}。",
    "图为{name}在{place}走访调研。", "{place}一角。", "{organisation}举办{event}现场。",
]  # fmt: skip
ROLES = ["reporter", "correspondent", "correspondent", "special_correspondent", "trainee_reporter"]


def _name_pool(size: int = 400) -> list[str]:
    rng = random.Random(2005)
    names: set[str] = set()
    while len(names) < size:
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        names.add(rng.choice(SURNAMES) + given)
    return sorted(names)


NAMES = _name_pool()


class _Writer:
    """Builds the text of one issue from the vocabulary above."""

    def __init__(self, rng: random.Random, date: datetime.date):
        self.rng = rng
        self.date = date

    def fill(self, template: str) -> str:
        rng = self.rng
        day = self.date - datetime.timedelta(days=rng.randint(1, 6))
        return template.format(
            place=rng.choice(PLACES),
            topic=rng.choice(TOPICS),
            event=rng.choice(EVENTS),
            organisation=rng.choice(ORGANISATIONS),
            name=rng.choice(NAMES),
            date=f"{day.month}月{day.day}日",
        )

    def sentence(self) -> str:
        rng = self.rng
        kind = rng.randrange(4)
        if kind == 0:
            who = f"{rng.choice(PLACES)}{rng.choice(TITLES)}{rng.choice(NAMES)}"
            return self.fill(f"{who}{rng.choice(ACTIONS)},{rng.choice(RESULTS)}。")
        if kind == 1:
            first, second = rng.sample(DEMANDS, 2)
            return self.fill(f"会议强调,{first},{second}、{rng.choice(RESULTS)}。")
        if kind == 2:
            count = rng.randint(2, 300)
            return self.fill(f"今年以来,{{place}}累计开展{{topic}}活动{count}场次,{{organisation}}"
                             f"{rng.choice(ACTIONS)}。")  # fmt: skip
        quote = self.fill(f"{rng.choice(DEMANDS)},{rng.choice(RESULTS)}")
        return f"“{quote}。”{rng.choice(NAMES)}说。"

    def paragraph(self, length: int) -> str:
        text = ""
        while len(text) < length:
            text += self.sentence()
        return text

    def headline(self) -> str:
        rng = self.rng
        forms = [
            "{place}{verb}{topic}{event}",
            "{organisation}{verb}{topic}工作",
            "{name}带队{verb}{place}{topic}",
            "聚焦{topic} 助力{place}发展",
        ]
        return self.fill(rng.choice(forms).replace("{verb}", rng.choice(VERBS)))

    def photo(self) -> PhotoData:
        rng = self.rng
        return PhotoData(
            caption=self.fill(rng.choice(CAPTIONS)),
            photographer=rng.choice(NAMES),
            photographer_role=rng.choice(["", "", "reporter", "correspondent"]),
        )

    def article(self, page: int, headline: str) -> ArticleData:
        rng = self.rng
        total = rng.randint(300, 1500)
        # A paragraph stops at the first sentence that reaches its share of the length.
        count = rng.randint(3, min(8, max(3, total // 100)))
        paragraphs = [self.paragraph(total // count - 10) for _ in range(count)]
        bylines = [
            BylineData(name=name, role=rng.choice(ROLES))
            for name in rng.sample(NAMES, rng.randint(1, 3))
        ]
        bylines.sort(key=lambda byline: ROLES.index(byline.role))  # one role word per group
        return ArticleData(
            headline=headline,
            dateline="本报讯",
            bylines=bylines,
            paragraphs=paragraphs,
            pages=[page],
        )


def _number_in_year(date: datetime.date) -> int:
    """Issues come out weekly from FIRST_DATE; 第N期 counts from the first issue of the year."""
    if date.year == FIRST_DATE.year:
        return (date - FIRST_DATE).days // 7 + 1
    days_to_new_year = (datetime.date(date.year, 1, 1) - FIRST_DATE).days
    first_of_year = FIRST_DATE + datetime.timedelta(days=-(-days_to_new_year // 7) * 7)
    return (date - first_of_year).days // 7 + 1


def _cut_offset(article: ArticleData, rng: random.Random) -> int:
    """An offset inside a paragraph, after a plain character, where the page cut falls."""
    text = "".join(article.paragraphs)
    start = len(article.paragraphs[0])  # keep the byline paragraph whole on page 1
    candidates = [i for i in range(start + 1, len(text)) if "\u4e00" <= text[i - 1] <= "\u9fff"]
    return rng.choice(candidates)


def generate_issue(n: int, rng: random.Random) -> IssueData:
    """Issue 总第n期 (n from 1)."""
    date = FIRST_DATE + datetime.timedelta(weeks=n - 1)
    writer = _Writer(rng, date)
    pages = [PageData(number=i + 1, name=name) for i, name in enumerate(PAGE_NAMES)]
    headlines: set[str] = set()
    for page in pages:
        for _ in range(ARTICLES_PER_PAGE):
            headline = writer.headline()
            while headline in headlines:  # a continuation is found by its headline
                headline = writer.headline()
            headlines.add(headline)
            page.articles.append(writer.article(page.number, headline))
    for article in rng.sample(pages[0].articles, rng.randint(1, 2)):
        article.pages.append(rng.randint(2, len(pages)))
        article.breaks.append(_cut_offset(article, rng))
    for _ in range(rng.randint(0, 2)):
        page = rng.choice(pages)
        target = page.photos if rng.random() < 0.5 else rng.choice(page.articles).photos
        target.append(writer.photo())
    return IssueData(
        publication=PublicationData(
            name="今日罗塘", sponsors=list(SPONSORS), sponsor_role="联合主办"
        ),
        date=date,
        weekday="星期" + WEEKDAYS[date.weekday()],
        number_in_year=_number_in_year(date),
        number=n,
        epaper_url="http://epaper.routeryun.com/jyrb",
        submission_email="1028974739@qq.com",
        responsible_editor=rng.choice(NAMES[:20]),
        layout=rng.sample(NAMES[20:40], rng.randint(1, 2)),
        pages=pages,
    )


def write_archive(directory: str | Path, count: int, seed: int = 0) -> list[Path]:
    """Write issues 1..count as text files; return their paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for n in range(1, count + 1):
        path = directory / f"jinri-luotang-{n:05d}.md"
        path.write_text(render(generate_issue(n, rng)), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic archive of back issues.")
    parser.add_argument("directory")
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = write_archive(args.directory, args.count, args.seed)
    print(f"wrote {len(paths)} issues to {args.directory}")


if __name__ == "__main__":
    main()
