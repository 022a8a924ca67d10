import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from desk import workflow
from people.models import Person

# One login a desk group, linked to the sample issue's people (backissues/fixtures).
DEMO_STAFF = [
    ("tongxun", "李书翔", workflow.CORRESPONDENT),
    ("bianji", "陈静", workflow.EDITOR),
    ("zuban", "徐冬梅", workflow.LAYOUT),
    ("zeren", "郁菲菲", workflow.CHIEF_EDITOR),
]


class Command(BaseCommand):
    help = (
        "Create one desk login per group (通讯员 李书翔, 编辑 陈静, 组版 徐冬梅, 责任编辑 郁菲菲), "
        "linked to the sample's people, each with a random password printed once. Only with "
        "debug on. Running it again leaves existing logins and their passwords alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords", action="store_true", help="give existing demo logins new passwords"
        )

    def handle(self, *args, reset_passwords=False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_staff creates logins with printed passwords: it runs only with DJANGO_DEBUG on."
            )
        User = get_user_model()
        rows = []
        with transaction.atomic():
            for username, name, group_name in DEMO_STAFF:
                group = Group.objects.get(name=group_name)
                user = User.objects.filter(username=username).first()
                password = None
                if user is None:
                    password = secrets.token_urlsafe(9)
                    user = User.objects.create_user(
                        username=username, password=password, is_staff=True
                    )
                elif reset_passwords:
                    password = secrets.token_urlsafe(9)
                    user.set_password(password)
                    user.save(update_fields=["password"])
                user.groups.add(group)
                person = Person.objects.filter(user=user).first()
                if person is None:
                    person = (
                        Person.objects.filter(name=name, user__isnull=True).order_by("pk").first()
                    )
                    if person is None:
                        person = Person.objects.create(name=name)
                    person.user = user
                    person.save(update_fields=["user"])
                rows.append((group_name, person.name, username, password))
        for group_name, name, username, password in rows:
            shown = password if password else "(unchanged)"
            self.stdout.write(f"{group_name}\t{name}\t{username}\t{shown}")
        self.stdout.write(
            "The desk is at http://127.0.0.1:8000/admin/ (these passwords are not shown again)."
        )
