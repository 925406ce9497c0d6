"""Every GraphQL document accred-ops sends, and the variables it sends with them, validated
against the trimmed schema of GitLab's GraphQL API (tests/graphql/): a misspelt field or a wrong
input shape fails here, not in a customer's pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import GraphQLSchema, OperationDefinitionNode, build_schema, parse, validate
from graphql.execution.values import get_variable_values

from accred_ops.gitlab import graphql_documents as documents

SCHEMA: GraphQLSchema = build_schema(
    (Path(__file__).parent / "graphql" / "gitlab-trimmed.graphql").read_text()
)

# GitLab 16.8's shape: its published schema has `Namespace` without `workItem` and
# `workItemTypes` (both came to Namespace later), while `Group` had both. Derived from the
# trimmed schema by taking them away, so a document that leans on `namespace { workItem … }`
# fails here as it would on a 16.8 instance.
SCHEMA_16_8: GraphQLSchema = build_schema(
    (Path(__file__).parent / "graphql" / "gitlab-trimmed.graphql")
    .read_text()
    .replace(
        """  # https://docs.gitlab.com/api/graphql/reference/#namespaceworkitem
  workItem(iid: String!): WorkItem
  # https://docs.gitlab.com/api/graphql/reference/#namespaceworkitemtypes
  workItemTypes(name: IssueType, onlyAvailable: Boolean): WorkItemTypeConnection
""",
        "",
    )
)

SENT_WITH = {  # the variables each document is sent with, as the adapter builds them
    "EpicType": {"fullPath": "field-enablement"},
    "CreateEpic": {
        "input": documents.create_epic_input(
            "field-enablement", "SAL — @alice", "gid://gitlab/WorkItems::Type/8", "text", [3, 4]
        )
    },
    "EpicWorkItem": {"fullPath": "field-enablement", "iid": "7"},
    "SetParent": {"input": documents.set_parent_input(41, "gid://gitlab/WorkItem/99")},
}


def _problems(document: str, variables: dict | None = None) -> list[str]:
    tree = parse(document)
    found = [e.message for e in validate(SCHEMA, tree)]
    if not found and variables is not None:
        operation = next(d for d in tree.definitions if isinstance(d, OperationDefinitionNode))
        coerced = get_variable_values(SCHEMA, operation.variable_definitions or [], variables)
        found += [e.message for e in coerced] if isinstance(coerced, list) else []
    return found


@pytest.mark.parametrize("name", sorted(documents.DOCUMENTS))
def test_each_document_and_its_variables_are_valid(name: str) -> None:
    assert _problems(documents.DOCUMENTS[name], SENT_WITH[name]) == []


def test_the_check_catches_a_misspelt_field_and_a_wrong_input() -> None:
    wrong = documents.CREATE_EPIC.replace("webUrl", "web_url")
    assert _problems(wrong) == [
        "Cannot query field 'web_url' on type 'WorkItem'. Did you mean 'webUrl'?"
    ]
    bad_input = {"input": {"title": "x", "namespacePath": "g"}}  # no workItemTypeId
    assert _problems(documents.CREATE_EPIC, bad_input)
    assert "labelIds" in " ".join(
        _problems(
            documents.CREATE_EPIC,
            {"input": {**SENT_WITH["CreateEpic"]["input"], "labelsWidget": {"labelId": []}}},
        )
    )


@pytest.mark.parametrize("name", sorted(documents.DOCUMENTS))
def test_each_document_is_valid_on_gitlab_16_8_too(name: str) -> None:
    found = [e.message for e in validate(SCHEMA_16_8, parse(documents.DOCUMENTS[name]))]
    assert found == []


def test_the_16_8_shape_refuses_namespace_work_items() -> None:
    old = documents.EPIC_WORK_ITEM.replace("group(fullPath", "namespace(fullPath")
    assert [e.message for e in validate(SCHEMA_16_8, parse(old))] == [
        "Cannot query field 'workItem' on type 'Namespace'."
    ]
