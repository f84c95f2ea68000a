"""Writing probes of the differential query suite: create/update/delete rules, authRule, manageRule.

They run in this order on their own pair of servers (both receive the same sequence, so
both states stay equal as long as the answers agree). Each probe touches records no earlier
probe depends on, unless it says so, so one difference does not cascade.
"""

from __future__ import annotations

from tests.harness.differential import Probe

__all__ = ["write_probes"]

_LIST = "/api/collections/{c}/records"
_REC = "/api/collections/{c}/records/{id}"


def _create(name: str, coll: str, body: dict[str, object], auth: str, **params: str) -> Probe:
    return Probe(name, _LIST.format(c=coll), tuple(params.items()), auth=auth, method="POST", body=body)


def _update(name: str, coll: str, rec: str, body: dict[str, object], auth: str, **params: str) -> Probe:
    return Probe(
        name, _REC.format(c=coll, id=rec), tuple(params.items()), auth=auth, method="PATCH", body=body
    )


def _delete(name: str, coll: str, rec: str, auth: str) -> Probe:
    return Probe(name, _REC.format(c=coll, id=rec), auth=auth, method="DELETE")


def _login(name: str, email: str, password: str = "12345678", **params: str) -> Probe:
    return Probe(
        name,
        "/api/collections/users/auth-with-password",
        tuple(params.items()),
        method="POST",
        body={"identity": email, "password": password},
    )


def write_probes() -> list[Probe]:
    """Every writing probe, in the order they must run."""
    return [
        # -- createRule (400 when it fails, 403 when null) --------------------------------
        _create(
            "A guest create fails the articles createRule with 400.", "articles", {"title": "g"}, "guest"
        ),
        _create(
            "A user creates an article authored by itself.",
            "articles",
            {"title": "mine", "author": "{u1}", "tags": ["a"], "secret": "dropped"},
            "user1",
            expand="author",
        ),
        _create(
            "A user may not create an article for another author.",
            "articles",
            {"title": "theirs", "author": "{u2}"},
            "user1",
        ),
        _create("A null createRule refuses a user with 403.", "vault", {"title": "x"}, "user1"),
        _create(
            "A superuser creates in a collection whose rules are null.", "vault", {"title": "su"}, "superuser"
        ),
        _create(
            "A comment on a published article passes a relation createRule.",
            "comments",
            {"text": "hi", "article": "{a1}", "author": "{u2}"},
            "user2",
            fields="text,expand.article.title",
            expand="article",
        ),
        _create(
            "A comment on an unpublished article fails the relation createRule.",
            "comments",
            {"text": "no", "article": "{a3}"},
            "user2",
        ),
        _create(
            "A task without a submitted priority fails the :isset createRule.",
            "tasks",
            {"title": "t", "owner": "{u1}"},
            "user1",
        ),
        _create(
            "A task with a priority above five fails the createRule on the submitted value.",
            "tasks",
            {"title": "t", "owner": "{u1}", "priority": 9},
            "user1",
        ),
        _create(
            "A task with an allowed priority is created.",
            "tasks",
            {"title": "t", "owner": "{u1}", "priority": 4, "labels": ["x", "z"]},
            "user1",
        ),
        _create("A view collection refuses creates.", "article_stats", {"title": "x"}, "superuser"),
        # -- updateRule (404 when it fails) -----------------------------------------------
        _update("The author updates its article.", "articles", "{a1}", {"views+": 2}, "user1"),
        _update("Another user gets 404 from the updateRule.", "articles", "{a1}", {"views": 1}, "user2"),
        _update(
            "A body value the updateRule forbids answers 404.",
            "articles",
            "{a1}",
            {"status": "archived"},
            "user1",
        ),
        _update(
            "An allowed body status passes the @request.body rule.",
            "articles",
            "{a3}",
            {"status": "published"},
            "user1",
            fields="id,status",
        ),
        _update("A guest update of an article answers 404.", "articles", "{a2}", {"title": "x"}, "guest"),
        _update(
            "An update of a missing record answers 404.",
            "articles",
            "nopenopenopenop",
            {"title": "x"},
            "user1",
        ),
        _update("A null updateRule answers 403.", "vault", "{v1}", {"title": "x"}, "user1"),
        _update(
            "Changing done without being an admin fails the :changed rule.",
            "tasks",
            "{k3}",
            {"done": True},
            "user2",
        ),
        _update(
            "Sending an unchanged done passes the :changed rule.",
            "tasks",
            "{k3}",
            {"done": False, "title": "same done"},
            "user2",
        ),
        _update(
            "An admin may change done through the :changed rule.", "tasks", "{k1}", {"done": True}, "user1"
        ),
        _update(
            "An update response honours expand and fields.",
            "comments",
            "{c2}",
            {"text": "edited"},
            "user1",
            expand="likes",
            fields="text,expand.likes.name",
        ),
        _update("A view collection refuses updates.", "article_stats", "{a1}", {"title": "x"}, "superuser"),
        # -- deleteRule (404 when it fails) -----------------------------------------------
        _delete("A published draft by another author is not deletable.", "articles", "{a6}", "user1"),
        _delete("The author deletes its draft article.", "articles", "{a6}", "user2"),
        _delete("A non-draft article is not deletable by its author.", "articles", "{a2}", "user2"),
        _delete("An unfinished task is not deletable.", "tasks", "{k3}", "user2"),
        _delete("A finished task is deletable by its owner.", "tasks", "{k4}", "user2"),
        _delete("An admin deletes any comment through an @request.auth rule.", "comments", "{c4}", "user1"),
        _delete("A member cannot delete another user's comment.", "comments", "{c3}", "user3"),
        _delete("A null deleteRule answers 403.", "vault", "{v1}", "user2"),
        _delete("A view collection refuses deletes.", "article_stats", "{a1}", "superuser"),
        Probe(
            "The cascade removed the comments of the deleted article.",
            _LIST.format(c="comments"),
            # Created records have random ids: insertion order is the stable one.
            (("sort", "@rowid"), ("fields", "id,text")),
            auth="superuser",
        ),
        # -- authRule and manageRule ------------------------------------------------------
        _login("A banned user is refused by the authRule.", "u4@example.com"),
        _login(
            "A member passes the authRule.", "u2@example.com", expand="team", fields="record.id,record.expand"
        ),
        _login("A wrong password is refused before the authRule.", "u4@example.com", "wrongpass1"),
        Probe(
            "A manager sees an email hidden by emailVisibility.",
            _REC.format(c="users", id="{u4}"),
            auth="user1",
        ),
        Probe(
            "A non-manager does not see a hidden email.",
            _REC.format(c="users", id="{u1}"),
            auth="user3",
        ),
        _update(
            "A manager changes another user's email without the old password.",
            "users",
            "{u3}",
            {"email": "u3new@example.com", "verified": False},
            "user1",
        ),
        _update(
            "A non-manager may not change its verified flag.",
            "users",
            "{u2}",
            {"verified": True},
            "user2",
        ),
        _update(
            "A manager sets a password without the old one.",
            "users",
            "{u2}",
            {"password": "newpass123", "passwordConfirm": "newpass123"},
            "user1",
        ),
        _login("The new password works after a manager's change.", "u2@example.com", "newpass123"),
    ]
