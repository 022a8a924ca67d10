from django.db import IntegrityError, transaction
from django.test import TestCase

from people.models import Person


class PersonTests(TestCase):
    def test_names_may_repeat(self):
        # 吉祥 the correspondent and another 吉祥 are two people.
        Person.objects.create(name="吉祥")
        Person.objects.create(name="吉祥", affiliation="太平社区")
        self.assertEqual(Person.objects.filter(name="吉祥").count(), 2)

    def test_a_person_has_a_name(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Person.objects.create(name="")

    def test_label_shows_affiliation(self):
        self.assertEqual(str(Person(name="吉祥", affiliation="太平社区")), "吉祥（太平社区）")
