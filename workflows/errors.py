"""The one refusal of the road's decisions (raised by the steps and workflows.actions)."""


class WorkflowActionRefused(Exception):
    """A decision that cannot be taken. The message is for the user; nothing was changed."""

    def __init__(self, message, page_id=None):
        super().__init__(message)
        self.message = str(message)
        self.page_id = page_id
