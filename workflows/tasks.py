from celery import shared_task

from . import deadlines


@shared_task(name="workflows.tasks.check_deadlines")
def check_deadlines():
    return deadlines.check_deadlines()
