"""The group's labels and its issue board."""

from __future__ import annotations

import gitlab

from accred_ops.core.state import Board, GroupLabel
from accred_ops.errors import GitLabError
from accred_ops.gitlab.client import Client
from accred_ops.gitlab.errors import gitlab_errors


class Boards(Client):
    """Labels (their ids remembered for the Work Items API) and the board `setup` builds."""

    def group_labels(self) -> list[GroupLabel]:
        rows = self.read(
            f"listing labels of group {self.group_path}", lambda: self.rows(self.group.labels)
        )
        labels = [
            GroupLabel(r["id"], r["name"], r.get("color", ""), r.get("description") or "")
            for r in rows
        ]
        self.label_ids.update({label.name: label.id for label in labels})
        return labels

    def create_group_label(self, name: str, color: str, description: str) -> GroupLabel:
        try:
            with gitlab_errors(f"creating label {name}"):
                obj = self.group.labels.create(
                    {"name": name, "color": color, "description": description}
                )
        except GitLabError as err:
            existing = [label for label in self.group_labels() if label.name == name]
            if existing:  # created meanwhile (another run, or a lost response): fine
                return existing[0]
            raise err
        self.label_ids[obj.name] = obj.id
        return GroupLabel(obj.id, obj.name, obj.color, obj.description or "")

    def boards(self) -> list[Board]:
        def call() -> list[Board]:
            found = []
            for board in self.group.boards.list(iterator=True):
                lists = board.lists.list(get_all=True)
                found.append(
                    Board(
                        board.id,
                        board.name,
                        tuple(lst.label["name"] for lst in lists if lst.label),
                        tuple(lb["name"] for lb in board.attributes.get("labels") or ()),
                    )
                )
            return found

        return self.read(f"listing boards of group {self.group_path}", call)

    def create_board(self, name: str) -> Board:
        with gitlab_errors(f"creating board {name}"):
            obj = self.group.boards.create({"name": name})
        return Board(obj.id, obj.name, ())

    def scope_board(self, board_id: int, labels: list[str]) -> tuple[str, ...]:
        """Scope a group board to labels (GitLab API group_boards.md, "Update a group issue
        board": `labels`, comma-separated names; Premium); returns the scope GitLab answers."""
        with gitlab_errors("scoping the board"):
            row = self.gl.http_put(
                f"/groups/{self.group.encoded_id}/boards/{board_id}",
                post_data={"labels": ",".join(labels)},
            )
        return tuple(lb["name"] for lb in (row or {}).get("labels") or ())

    def board_scope_available(self) -> bool:
        """Whether the group's tier allows a board scope (Premium), seen as whether it has
        epics (the same tier; 403 or 404 where not): one short read, for `setup` only."""
        with gitlab_errors(f"checking the tier of group {self.group_path}"):
            try:
                path = f"/groups/{self.group.encoded_id}/epics"
                self.gl.http_get(path, query_data={"per_page": 1})
            except gitlab.GitlabHttpError as err:
                if err.response_code in (403, 404):
                    return False
                raise
        return True

    def create_board_list(self, board_id: int, label_id: int) -> None:
        board = self.group.boards.get(board_id, lazy=True)
        with gitlab_errors("adding a list to the board"):
            board.lists.create({"label_id": label_id})
