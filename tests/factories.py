"""Small builders for the newsroom's people and paper, used across the tests.

The personas are the staff of 今日罗塘: 郁菲菲 (editor and 责任编辑), 徐冬梅 (组版) and
李书翔 (通讯员).
"""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Byline, Photo
from issues.models import Issue, LayoutCredit, Page, Publication
from people.models import Person

_numbers = itertools.count(1000)


def publication(name="今日罗塘", slug="jinriluotang", **fields):
    defaults = {
        "slug": slug,
        "sponsors": ["姜堰区罗塘街道党工委", "姜堰区融媒体中心"],
        "sponsor_role": Publication.SponsorRole.JOINT_SPONSOR,
    }
    defaults.update(fields)
    pub, _ = Publication.objects.get_or_create(name=name, defaults=defaults)
    return pub


def person(name, **fields):
    return Person.objects.create(name=name, **fields)


def user(username, *, groups=(), is_staff=True, is_superuser=False, person_name=None):
    from django.contrib.auth.models import Group

    account = get_user_model().objects.create_user(
        username=username,
        password="pw-" + username,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    for group_name in groups:
        account.groups.add(Group.objects.get_or_create(name=group_name)[0])
    if person_name:
        Person.objects.create(name=person_name, user=account)
    return account


def issue(
    *,
    pub=None,
    number=None,
    number_in_year=None,
    date=None,
    pages=1,
    published=False,
    responsible_editor=None,
    layout=(),
):
    pub = pub or publication()
    number = number or next(_numbers)
    date = date or datetime.date(2024, 1, 1) + datetime.timedelta(days=7 * (number % 1000))
    new = Issue(
        publication=pub,
        number=number,
        number_in_year=number_in_year or 1 + (number % 50),
        date=date,
        responsible_editor=responsible_editor,
        status=Issue.Status.PUBLISHED if published else Issue.Status.PLANNING,
        published_at=timezone.now() if published else None,
    )
    new.masthead_from(pub)
    new.save()
    for n in range(1, pages + 1):
        Page.objects.create(issue=new, number=n)
    for order, staff in enumerate(layout):
        LayoutCredit.objects.create(issue=new, person=staff, order=order)
    return new


def article(
    page=None,
    *,
    headline="缪杰明带队走访辖区企业",
    body="日前，罗塘街道党工委书记缪杰明带队走访辖区企业。",
    status=None,
    order=0,
    bylines=(),
    **fields,
):
    if status is None:
        status = Article.Status.PUBLISHED if page is not None else Article.Status.DRAFT
    if page is not None and status == Article.Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now())
    new = Article.objects.create(
        page=page,
        order=order,
        headline=headline,
        body=body,
        status=status,
        pages=[page.number] if page is not None else [],
        **fields,
    )
    for position, (who, role) in enumerate(bylines):
        Byline.objects.create(article=new, person=who, role=role, order=position)
    return new


def photo(*, article=None, page=None, caption="图为缪杰明与企业负责人交流。", photographer=None):
    return Photo.objects.create(
        article=article, page=page, caption=caption, photographer=photographer
    )


def desk():
    """The desk of 今日罗塘, one login per group, plus a second correspondent, a staff member
    with no group and a superuser. Returns a simple namespace of users."""
    from types import SimpleNamespace

    return SimpleNamespace(
        correspondent=user("lishuxiang", groups=["通讯员"], person_name="李书翔"),
        other_correspondent=user("yangxu", groups=["通讯员"], person_name="杨旭"),
        editor=user("chenjing", groups=["编辑"], person_name="陈静"),
        layout=user("xudongmei", groups=["组版"], person_name="徐冬梅"),
        chief=user("yufeifei", groups=["责任编辑"], person_name="郁菲菲"),
        nobody=user("intern", person_name="王小明"),
        superuser=user("admin", is_superuser=True),
    )


def open_issue(*, pages=2, status=None, **fields):
    """An issue being laid out (not yet published)."""
    new = issue(pages=pages, **fields)
    if status is not None:
        new.status = status
        if status == Issue.Status.PUBLISHED:
            new.published_at = timezone.now()
        new.save()
    return new


# The desk's groups and their permissions as the migrations made them, read once when the
# test database is ready: {group name: [(app_label, codename), ...]}.
_MIGRATED_GROUPS: dict[str, list[tuple[str, str]]] = {}


def remember_desk_groups():
    from django.contrib.auth.models import Group

    for group in Group.objects.prefetch_related("permissions__content_type"):
        _MIGRATED_GROUPS[group.name] = [
            (permission.content_type.app_label, permission.codename)
            for permission in group.permissions.all()
        ]


def restore_desk_groups():
    """For a TransactionTestCase: the groups of the migrations, again. Each such test ends
    with a flush of every table, which takes the migrated groups with it (the permissions and
    content types come back by themselves, under new ids)."""
    from django.contrib.auth.models import Group, Permission

    for name, grants in _MIGRATED_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in grants:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
