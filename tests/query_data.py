"""An issue of n articles on one page, each with two bylines and a photo, for query counts."""

from articles.models import Byline
from tests import factories


def issue_with_articles(n, *, number=118):
    yu = factories.person("郁菲菲")
    xu = factories.person("徐冬梅")
    issue = factories.issue(
        number=number, pages=2, published=True, responsible_editor=yu, layout=[xu]
    )
    factories.issue(number=number - 1, published=True)
    factories.issue(number=number + 1, published=True)
    page = issue.pages.get(number=1)
    li = factories.person("李书翔")
    articles = []
    for i in range(n):
        article = factories.article(
            page,
            headline=f"罗塘街道新闻{i}",
            order=i,
            bylines=[(yu, Byline.Role.REPORTER), (li, Byline.Role.CORRESPONDENT)],
        )
        article.pages = [1, 2]
        article.save()
        factories.photo(article=article, photographer=xu)
        articles.append(article)
    factories.photo(page=page, photographer=xu)
    return issue, articles, li
