"""Messages are never copied; the new forum's checklist says its invitations are still to send."""
import pytest
import sqlalchemy as sa

from forum.events.service import copy_forum, forum_by_slug
from forum.extensions import db
from forum.messaging import copying
from forum.messaging.models import Invitation, Message
from tests.copy_fixtures import NEXT_DAY, demo_copy_app  # noqa: F401  (demo_copy_app: a fixture)

pytestmark = pytest.mark.usefixtures("demo_copy_app")


def test_the_copy_has_no_messages_and_its_invitations_are_to_do():
    made = copy_forum(forum_by_slug("isfara-2011"), "isfara-2027", NEXT_DAY)
    for model in (Message, Invitation):
        assert not db.session.scalar(sa.select(sa.func.count(model.id)).where(model.forum_id == made.target.id))
    [todo] = copying.checklist(made.target)
    assert todo.done is False and todo.endpoint == "invitations_manage.invitations"
    [sent] = copying.checklist(made.source)
    assert sent.done is True
