from outbox.tasks import outbox_task

from .generation import generate


@outbox_task("documents.tasks.generate_document")
def generate_document(message):
    """Payload: {"kind": "certificate" | "minutes" | "charter" | "announcement", "pk": …}."""
    generate(message.payload["kind"], message.payload["pk"])
