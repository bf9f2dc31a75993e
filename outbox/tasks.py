from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage, OutboxStatus


def _finish(message_id):
    OutboxMessage.objects.filter(pk=message_id).update(status=OutboxStatus.DONE, done_at=timezone.now())


@shared_task(name="outbox.tasks.send_email", acks_late=True)
def send_email(message_id):
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status == OutboxStatus.DONE:
            return  # already sent: idempotent
        data = message.payload
        email = EmailMultiAlternatives(data["subject"], data["body"], to=data["to"])
        if data.get("html_body"):
            email.attach_alternative(data["html_body"], "text/html")
        email.send()
        _finish(message_id)
