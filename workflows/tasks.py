from celery import shared_task


@shared_task(name="workflows.tasks.check_deadlines")
def check_deadlines():
    from .deadlines import check_deadlines as run

    return run()
