"""The sandbox's `/api/graphql`: the Work Items documents accred-ops sends, answered as GitLab
does (errors with HTTP 200), through python-gitlab's own GraphQL client."""

from __future__ import annotations

import copy

import gitlab
import pytest
from gql.graphql_request import GraphQLRequest
from gql.transport.exceptions import TransportQueryError

from accred_ops.app.demo import GROUP, SEED
from accred_ops.gitlab import graphql_documents as documents
from accred_ops.sandbox import Sandbox


def _client(sandbox: Sandbox) -> gitlab.GraphQL:
    return gitlab.GraphQL(sandbox.url, token=sandbox.token_for("accred-bot"))


def test_an_epic_is_created_and_given_an_issue_through_work_items() -> None:
    with Sandbox(SEED) as sandbox:
        gql = _client(sandbox)
        types = gql.execute(
            GraphQLRequest(documents.EPIC_TYPE, variable_values={"fullPath": GROUP})
        )
        type_id = types["group"]["workItemTypes"]["nodes"][0]["id"]
        made = gql.execute(
            GraphQLRequest(
                documents.CREATE_EPIC,
                variable_values={
                    "input": documents.create_epic_input(GROUP, "Path — @alice", type_id, "d", [])
                },
            )
        )["workItemCreate"]
        assert made["errors"] == [] and made["workItem"]["iid"] == "1"
        found = gql.execute(
            GraphQLRequest(
                documents.EPIC_WORK_ITEM, variable_values={"fullPath": GROUP, "iid": "1"}
            )
        )
        assert found["group"]["workItem"]["id"] == made["workItem"]["id"]
        rest = gitlab.Gitlab(sandbox.url, private_token=sandbox.token_for("accred-bot"))
        issue = rest.projects.get(f"{GROUP}/accreditation").issues.create(
            {"title": "Course — @alice"}
        )
        parent = {"input": documents.set_parent_input(issue.id, made["workItem"]["id"])}
        assert (
            gql.execute(GraphQLRequest(documents.SET_PARENT, variable_values=parent))[
                "workItemUpdate"
            ]["errors"]
            == []
        )
        epic = rest.groups.get(GROUP).epics.get(1)
        assert [i.title for i in epic.issues.list()] == ["Course — @alice"]
        assert epic.id != int(
            made["workItem"]["id"].rsplit("/", 1)[1]
        )  # epic and work item ids differ


def test_errors_come_back_as_graphql_errors() -> None:
    seed = copy.deepcopy(SEED)
    seed["groups"][0]["tier"] = "free"
    with Sandbox(seed) as sandbox:
        gql = _client(sandbox)
        with pytest.raises(TransportQueryError, match="does not exist"):
            gql.execute(GraphQLRequest(documents.EPIC_TYPE, variable_values={"fullPath": GROUP}))
        with pytest.raises(TransportQueryError, match="Field 'projects' doesn't exist"):
            gql.execute("query { projects { nodes { id } } }")
