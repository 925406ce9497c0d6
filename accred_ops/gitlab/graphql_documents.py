"""The GraphQL documents accred-ops sends (Work Items API, `gitlab.api: workitems`).

Kept here, apart from the adapter that sends them, so that a test can validate every one
against the trimmed schema in tests/graphql/ (a misspelt field fails a test, not a pipeline).

Queries start at `group(fullPath:)`, not `namespace(fullPath:)`: `Group.workItemTypes` and
`Group.workItem` are in GitLab's GraphQL reference from 16.x to 18.x, while `Namespace` has
neither in 16.8's published schema (GitLab docs: GraphQL API reference, "Group" and
"Namespace"). `workItemTypes(name:)` itself is newer than 16.8 (which had `taskable:`): the
Work Items backend asks the instance's version before using these (tracking/work_items.py).
"""

from __future__ import annotations

# The id of the Epic work item type: per instance, so asked for, never hard-coded (facts §4.2).
EPIC_TYPE = """
query EpicType($fullPath: ID!) {
  group(fullPath: $fullPath) {
    workItemTypes(name: EPIC) {
      nodes { id name }
    }
  }
}
"""

# A learner's epic, with its description and labels, in one request.
CREATE_EPIC = """
mutation CreateEpic($input: WorkItemCreateInput!) {
  workItemCreate(input: $input) {
    workItem { id iid webUrl }
    errors
  }
}
"""

# The work item id of an existing epic (epic ids and work item ids differ; iids do not).
EPIC_WORK_ITEM = """
query EpicWorkItem($fullPath: ID!, $iid: String!) {
  group(fullPath: $fullPath) {
    workItem(iid: $iid) { id iid }
  }
}
"""

# A course issue into the learner's epic: the epic becomes the issue's hierarchy parent.
SET_PARENT = """
mutation SetParent($input: WorkItemUpdateInput!) {
  workItemUpdate(input: $input) {
    workItem { id }
    errors
  }
}
"""

DOCUMENTS = {
    "EpicType": EPIC_TYPE,
    "CreateEpic": CREATE_EPIC,
    "EpicWorkItem": EPIC_WORK_ITEM,
    "SetParent": SET_PARENT,
}


def create_epic_input(
    group: str, title: str, type_id: str, description: str, label_ids: list[int]
) -> dict[str, object]:
    """`WorkItemCreateInput` for a learner's epic (labels by global id)."""
    return {
        "namespacePath": group,
        "title": title,
        "workItemTypeId": type_id,
        "descriptionWidget": {"description": description},
        "labelsWidget": {"labelIds": [f"gid://gitlab/Label/{i}" for i in label_ids]},
    }


def set_parent_input(issue_id: int, parent: str) -> dict[str, object]:
    """`WorkItemUpdateInput` making the epic work item `parent` the issue's parent. An issue's
    work item id is its issue id."""
    return {"id": f"gid://gitlab/WorkItem/{issue_id}", "hierarchyWidget": {"parentId": parent}}
