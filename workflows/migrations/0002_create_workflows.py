"""Creates the three workflows (charter, minutes, action plan) and their steps. Idempotent: a document
type that already has a workflow bound is left as it is (an administrator may have changed it)."""

from django.db import migrations

# (document type, workflow name, [(task model, task name), ...]); names Thai first, English after.
WORKFLOWS = [
    (
        "pages.charterpage",
        "ข้อบังคับเครือข่าย: จากร่างสู่การจดทะเบียน (Charter: from draft to registration)",
        [
            ("committeereviewtask", "คณะกรรมการเครือข่ายพิจารณา (Committee review)"),
            ("assemblyadoptiontask", "ที่ประชุมสมาชิกให้ความเห็นชอบ (Assembly adoption)"),
            ("localgovernmentcommenttask", "องค์กรปกครองส่วนท้องถิ่นให้ความเห็น (Local government comment)"),
            ("provincialreviewtask", "พมจ. ตรวจสอบคำขอ (Provincial review)"),
            ("registrationtask", "นายทะเบียนรับรองและจดทะเบียน (Registration)"),
        ],
    ),
    (
        "pages.meetingminutespage",
        "รายงานการประชุม: การรับรอง (Meeting minutes: certification)",
        [("minutescertificationtask", "ประธานหรือเลขานุการรับรองรายงานการประชุม (Minutes certification)")],
    ),
    (
        "pages.actionplanpage",
        "แผนปฏิบัติการ: การอนุมัติ (Action plan: approval)",
        [("actionplanapprovaltask", "ประธานคณะกรรมการอนุมัติแผน (Action plan approval)")],
    ),
]


def create_workflows(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowBinding = apps.get_model("workflows", "WorkflowBinding")

    for document_type, workflow_name, steps in WORKFLOWS:
        if WorkflowBinding.objects.filter(document_type=document_type).exists():
            continue
        workflow, _created = Workflow.objects.get_or_create(name=workflow_name, defaults={"active": True})
        for order, (model_name, task_name) in enumerate(steps):
            model = apps.get_model("workflows", model_name)
            content_type, _ = ContentType.objects.get_or_create(app_label="workflows", model=model_name)
            task = model.objects.filter(name=task_name).first()
            if task is None:
                task = model.objects.create(name=task_name, content_type=content_type, active=True)
            WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": order})
        WorkflowBinding.objects.create(document_type=document_type, workflow=workflow)


def remove_workflows(apps, schema_editor):
    WorkflowBinding = apps.get_model("workflows", "WorkflowBinding")
    WorkflowBinding.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflows, remove_workflows)]
