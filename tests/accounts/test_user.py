import pytest
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.services import user_ensure
from tests.factories import UserFactory


@pytest.mark.django_db
class TestUserIdentity:
    def test_email_is_stored_in_lower_case(self):
        user = User.objects.create_user("Amina.Hussain@Oakfield.Example", "a-long-password")
        assert user.email == "amina.hussain@oakfield.example"

    def test_email_is_unique_whatever_its_case(self):
        User.objects.create_user("head@school.example", "a-long-password")
        with pytest.raises(Exception, match="already exists"):
            User.objects.create_user("HEAD@school.example", "a-long-password")

    def test_database_refuses_a_case_variant_written_around_the_model(self):
        User.objects.create_user("head@school.example", "a-long-password")
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.bulk_create([User(email="Head@School.example")])

    def test_natural_key_lookup_ignores_case(self):
        user = UserFactory(email="champion@school.example")
        assert User.objects.get_by_natural_key("Champion@School.EXAMPLE") == user

    def test_user_has_no_username(self):
        assert not hasattr(User, "username")
        assert User.USERNAME_FIELD == "email"

    def test_superuser_is_staff(self):
        admin = User.objects.create_superuser("admin@cairn.example", "a-long-password")
        assert admin.is_staff
        assert admin.is_superuser

    def test_user_ensure_is_idempotent_and_verifies_the_address(self):
        first, created = user_ensure(email="New@School.example", name="New Person")
        again, created_again = user_ensure(email="new@school.example", name="New Person")
        assert created
        assert not created_again
        assert first == again
        assert not first.has_usable_password()
        address = first.emailaddress_set.get()
        assert address.verified
        assert address.primary
