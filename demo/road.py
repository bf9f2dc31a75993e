"""The demo's documents carried along their approval roads, so that the product shows itself whole
right after `make run`.

- Samut Prakan (11): its own charter, the minutes of the assembly that adopted it and an action plan.
  The charter goes through every step of the real charter workflow and ends registered (a registration
  number, a certificate, the charter public); the minutes are certified and the plan approved through
  their own workflows.
- Chiang Rai (57): the draft charter of `demo.loader` is submitted and stops at the provincial review
  (officer_57 finds it under "Awaiting my action"); its minutes 1/2562 and the minutes of the assembly
  that adopted the charter (2/2562) are certified and published (only certified minutes can be cited
  for an adoption); the action plan stays a draft.

Every decision is taken as the demo user whose role allows it, through the task's own form and
`on_action`, exactly as the admin's action dialog does; nothing writes workflow rows by hand. A
provincial network files its application at the provincial administrative organization (อบจ.) of its
province: lo_11 and lo_57 comment at the local step. (The 30-day rule, when no comment comes, is shown
by the tests of workflows.deadlines.)

Idempotent: each document's state is read first; a document already at or past its demo target, or
taken off the road by a person (changes requested, rejected), is left alone.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.models import WorkflowState

from pages.models import ActionPlanPage, CharterPage, MeetingMinutesPage
from people.roles import clear_role_cache

from .content import CR_MINUTES_SIGNERS, CR_WORKING_GROUP, DOCUMENTS, absent, attending, charter_stream_data
from .loader import action_plan_page, draft_once, minutes_page

# --- The words of the Samut Prakan documents (written for the demo) -------------------------------

SP_CHARTER_TITLE = "ข้อบังคับเครือข่ายสวัสดิการชุมชนจังหวัดสมุทรปราการ"
SP_CHARTER_VERSION = "พ.ศ. ๒๕๖๙"
SP_CHARTER_PREAMBLE = (
    "กองทุนสวัสดิการชุมชนตำบลยี่สิบห้ากองทุนในหกอำเภอของจังหวัดสมุทรปราการ ได้ร่วมกันดูแลสมาชิก"
    "ตั้งแต่เกิดจนตายมากว่าสิบปี จึงตกลงรวมกันเป็นเครือข่ายและวางข้อบังคับนี้ไว้เป็นกติกากลาง "
    "เพื่อขอรับการรับรองเป็นองค์กรสวัสดิการชุมชนตามพระราชบัญญัติส่งเสริมการจัดสวัสดิการสังคม พ.ศ. ๒๕๔๖ "
    "และที่แก้ไขเพิ่มเติม"
)
SP_CHARTER_CHAPTERS = [
    ("บททั่วไป", [
        "ข้อบังคับนี้เรียกว่า “ข้อบังคับเครือข่ายสวัสดิการชุมชนจังหวัดสมุทรปราการ พ.ศ. ๒๕๖๙”",
        "ข้อบังคับนี้ให้ใช้บังคับตั้งแต่วันที่ที่ประชุมใหญ่ของเครือข่ายมีมติเห็นชอบเป็นต้นไป",
        "สำนักงานของเครือข่ายตั้งอยู่ที่ที่ทำการกองทุนสวัสดิการชุมชนตำบลบางพลีใหญ่ อำเภอบางพลี "
        "จังหวัดสมุทรปราการ",
        "ให้ประธานคณะกรรมการเป็นผู้รักษาการตามข้อบังคับนี้",
    ]),
    ("วัตถุประสงค์", [
        "เพื่อเชื่อมกองทุนสวัสดิการชุมชนตำบลในจังหวัดให้ช่วยเหลือและเรียนรู้ซึ่งกันและกัน",
        "เพื่อขยายสวัสดิการให้ถึงแรงงานนอกระบบ ผู้สูงอายุ และผู้พิการในชุมชนเมืองและชุมชนชายฝั่ง",
        "เพื่อประสานงบประมาณและความร่วมมือจากองค์กรปกครองส่วนท้องถิ่นและหน่วยงานของรัฐ",
    ]),
    ("สมาชิก", [
        "สมาชิกของเครือข่ายได้แก่ กองทุนสวัสดิการชุมชนตำบลในจังหวัดสมุทรปราการที่จัดสวัสดิการมาแล้ว"
        "ไม่น้อยกว่าหนึ่งปีและสมัครเข้าเป็นสมาชิก",
        "กองทุนสมาชิกส่งผู้แทนเข้าร่วมที่ประชุมใหญ่ได้กองทุนละสองคน และออกเสียงได้กองทุนละหนึ่งเสียง",
        "กองทุนสมาชิกพ้นสภาพเมื่อลาออก เลิกกิจการ หรือที่ประชุมใหญ่มีมติให้พ้นสภาพด้วยคะแนนเสียง"
        "ไม่น้อยกว่าสองในสามของผู้แทนที่มาประชุม",
    ]),
    ("คณะกรรมการ", [
        "ให้มีคณะกรรมการไม่เกินสิบห้าคน ซึ่งที่ประชุมใหญ่เลือกจากผู้แทนกองทุนสมาชิก "
        "โดยให้มีผู้แทนจากทุกอำเภอ อยู่ในตำแหน่งคราวละสองปี",
        "การประชุมคณะกรรมการต้องมีกรรมการมาประชุมเกินกึ่งหนึ่งของกรรมการที่มีอยู่จึงเป็นองค์ประชุม "
        "มติให้ถือเสียงข้างมาก",
        "คณะกรรมการต้องเปิดเผยรายงานการประชุมและรายงานการเงินให้กองทุนสมาชิกตรวจดูได้ทุกเวลา",
    ]),
    ("การเงินและการบัญชี", [
        "เงินของเครือข่ายให้ฝากธนาคารในนามของเครือข่าย การถอนเงินต้องมีกรรมการที่ได้รับมอบหมาย"
        "ลงนามร่วมกันสองในสามคน",
        "ให้เหรัญญิกจัดทำบัญชีรับจ่ายให้เป็นปัจจุบันและเสนองบการเงินต่อที่ประชุมใหญ่ปีละครั้ง",
        "ให้คณะกรรมการรายงานผลการดำเนินงานต่อนายทะเบียนภายในสามสิบวันนับแต่สิ้นเดือนมีนาคม"
        "และสิ้นเดือนกันยายนของทุกปี",
    ]),
    ("การแก้ไขข้อบังคับและการเลิกเครือข่าย", [
        "การแก้ไขข้อบังคับต้องได้รับมติของที่ประชุมใหญ่ด้วยคะแนนเสียงไม่น้อยกว่าสองในสามของผู้แทนที่มาประชุม",
        "เมื่อเลิกเครือข่าย ทรัพย์สินที่เหลือให้โอนแก่องค์กรสวัสดิการชุมชนอื่นในจังหวัดสมุทรปราการ"
        "ตามที่ที่ประชุมใหญ่กำหนด",
    ]),
]

# The assembly 1/2569 (demo/data/documents.toml) and who attended it.
SP_MINUTES = DOCUMENTS["minutes"]["sp_1_2569"]
# (name, position, substituting for, committee member)
SP_MINUTES_PRESENT = [
    ("นายประยูร เรืองศรี", "ประธานคณะกรรมการ ผู้แทนกองทุนตำบลบางพลีใหญ่", "", True),
    ("นางวาสนา ทองดี", "เลขานุการ ผู้แทนกองทุนตำบลบางเมือง", "", True),
    ("นายสมศักดิ์ แสงอรุณ", "กรรมการ ผู้แทนอำเภอพระประแดง", "", True),
    ("นางละเอียด บุญมา", "เหรัญญิก ผู้แทนอำเภอพระสมุทรเจดีย์", "", True),
    ("นายชาตรี ปานทอง", "กรรมการ ผู้แทนอำเภอบางบ่อ", "", True),
    ("นางสาวมาลี คงสวัสดิ์", "กรรมการ ผู้แทนอำเภอบางเสาธง", "นางสมจิต คงสวัสดิ์", True),
    ("นายบุญชู ศรีเมือง", "กรรมการ ผู้แทนอำเภอเมืองสมุทรปราการ", "", True),
    ("นางอัมพร รักษ์วงศ์", "ผู้แทนกองทุนตำบลแพรกษา", "", False),
    ("นายวิชัย จันทร์หอม", "ผู้แทนกองทุนตำบลคลองด่าน", "", False),
]
SP_MINUTES_ABSENT = [
    ("นายสุเทพ ใจกว้าง", "กรรมการ ผู้แทนอำเภอบางพลี", "ติดราชการ"),
]
SP_MINUTES_OTHERS = [
    ("นางสาวศิริพร เกตุแก้ว", "นักพัฒนาสังคม สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดสมุทรปราการ"),
]
SP_ADOPTING_ITEM = 4  # sort order of the item whose resolution adopted the charter

SP_ACTION_PLAN = DOCUMENTS["action_plans"]["sp_2569"]

# --- Chiang Rai's adopting assembly (the charter itself is demo.loader's draft) ---------------------

CR_ASSEMBLY = {**DOCUMENTS["minutes"]["cr_2_2562"], **CR_MINUTES_SIGNERS}
# (name, position, substituting for, committee member): eleven of the working group, and a fund's
# representative who is not on it.
CR_ASSEMBLY_PRESENT = [(*row, True) for row in attending(CR_WORKING_GROUP[:11])] + [
    ("นางจันทร์เพ็ญ อุปถัมภ์", "ผู้แทนกองทุนตำบลบ้านดู่", "", False),
]
CR_ASSEMBLY_ABSENT = absent(CR_WORKING_GROUP, {"นางอำพร ศรีวิชัย": "ติดภารกิจในพื้นที่"})
CR_ASSEMBLY_OTHERS = [
    ("นายวรวุฒิ ทองคำ", "ผู้แทนสำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดเชียงราย"),
]
CR_ADOPTING_ITEM = 4

# The days the committees wrote the drafts their assemblies then adopted (SP_MINUTES, CR_ASSEMBLY).
SP_CHARTER_WRITTEN_ON = datetime.date(2026, 7, 1)
CR_CHARTER_WRITTEN_ON = datetime.date(2019, 8, 1)

# The comments of the provincial administrative organizations (อบจ.) at the local step.
SP_LOCAL_OFFICE_COMMENT = (
    "องค์การบริหารส่วนจังหวัดสมุทรปราการพิจารณาแล้ว เครือข่ายมีที่ทำการในจังหวัดและร่วมจัดสวัสดิการ"
    "กับท้องถิ่นต่อเนื่องมากว่าหนึ่งปี เห็นควรสนับสนุนการขอรับรองเป็นองค์กรสวัสดิการชุมชน"
)
CR_LOCAL_OFFICE_COMMENT = (
    "องค์การบริหารส่วนจังหวัดเชียงรายไม่ขัดข้อง เครือข่ายใช้ห้องประชุมของ อบจ. จัดประชุมใหญ่เป็นประจำ "
    "และมีผู้แทนเครือข่ายระดับอำเภอร่วมเป็นสมาชิก เห็นควรสนับสนุนการขอรับรอง"
)
PROVINCIAL_CHECKLIST = {
    name: True
    for name in (
        "has_charter", "has_adopting_minutes", "has_committee_list", "has_action_plan",
        "has_member_count", "welfare_work_one_year", "office_one_year",
    )
}

# Which demo user acts at each step, by the task's class name; targets are class names too.
DONE = "done"


class DemoRoad:
    """Carries the demo documents along their roads. `data` is demo.loader.DemoData after the roles
    were assigned (demo.people)."""

    def __init__(self, data):
        self.data = data
        self.users = data.users
        self.changes = []
        # The roles were given a moment ago; a role read cached on a user object before would be stale.
        for user in self.users.values():
            clear_role_cache(user)

    def run(self):
        sp = self.data.networks["samut_prakan"]
        cr = self.data.networks["chiang_rai"]

        sp_minutes = self._minutes(
            sp, SP_MINUTES, SP_MINUTES_PRESENT, SP_MINUTES_ABSENT, SP_MINUTES_OTHERS, author=self.users["sp_secretary"]
        )
        sp_plan = self._action_plan(sp, author=self.users["sp_member"])
        sp_charter = self._sp_charter(sp, author=self.users["sp_member"])
        cr_assembly = self._minutes(
            cr, CR_ASSEMBLY, CR_ASSEMBLY_PRESENT, CR_ASSEMBLY_ABSENT, CR_ASSEMBLY_OTHERS, author=self.users["cr_secretary"]
        )
        cr_minutes = self.data.documents["minutes"]
        cr_charter = self.data.documents["charter"]

        chair_sp, secretary_sp = self.users["sp_chair"], self.users["sp_secretary"]
        chair_cr, secretary_cr = self.users["cr_chair"], self.users["cr_secretary"]

        self.carry(sp_minutes, self.users["sp_secretary"], DONE, {
            "MinutesCertificationTask": (chair_sp, "approve", {}),
        })
        self.carry(sp_plan, self.users["sp_member"], DONE, {
            "ActionPlanApprovalTask": (chair_sp, "approve", {"comment": "อนุมัติตามมติคณะกรรมการ"}),
        })
        # The committees wrote their drafts before the assemblies that adopted them (an adopting meeting
        # must not be older than the text it adopts).
        self._written_on(sp_charter, SP_CHARTER_WRITTEN_ON)
        self._written_on(cr_charter, CR_CHARTER_WRITTEN_ON)
        self.carry(sp_charter, self.users["sp_member"], DONE, self._charter_moves(
            chair_sp, secretary_sp, sp_minutes, SP_ADOPTING_ITEM,
            local_office=(self.users["lo_11"], SP_LOCAL_OFFICE_COMMENT), officer=self.users["officer_11"],
        ))
        self.carry(cr_minutes, self.users["cr_secretary"], DONE, {
            "MinutesCertificationTask": (chair_cr, "approve", {}),
        })
        # Adopted at 2/2562: only certified minutes can be cited (workflows' evidence rules), so the
        # chair certifies them before the secretary records the adoption.
        self.carry(cr_assembly, self.users["cr_secretary"], DONE, {
            "MinutesCertificationTask": (chair_cr, "approve", {}),
        })
        self.carry(cr_charter, self.users["cr_member"], "ProvincialReviewTask", self._charter_moves(
            chair_cr, secretary_cr, cr_assembly, CR_ADOPTING_ITEM,
            local_office=(self.users["lo_57"], CR_LOCAL_OFFICE_COMMENT), officer=self.users["officer_57"],
        ))
        self.data.documents.update(
            sp_charter=sp_charter, sp_minutes=sp_minutes, sp_action_plan=sp_plan, cr_assembly=cr_assembly,
        )
        return self.changes

    def _charter_moves(self, chair, secretary, minutes, adopting_item, local_office, officer):
        item = minutes.agenda_items.get(sort_order=adopting_item)
        local_officer, local_comment = local_office
        return {
            "CommitteeReviewTask": (chair, "approve", {"comment": "คณะกรรมการตรวจร่างแล้ว เห็นควรเสนอที่ประชุมใหญ่"}),
            "AssemblyAdoptionTask": (secretary, "approve", {"minutes": minutes.pk, "agenda_item": item.pk}),
            "LocalGovernmentCommentTask": (local_officer, "approve", {"comment": local_comment}),
            "ProvincialReviewTask": (officer, "approve", dict(PROVINCIAL_CHECKLIST, comment="เอกสารครบถ้วน")),
            "RegistrationTask": (self.users["registrar"], "approve", {"conditions": ""}),
        }

    # --- documents ---------------------------------------------------------------------------------

    def _minutes(self, network, minutes, present, absent, others, author):
        slug = f"minutes-{minutes['meeting_number']}-{minutes['meeting_date'].year + 543}"
        return draft_once(
            network, MeetingMinutesPage, slug, author,
            lambda: minutes_page(minutes, present, absent, others), self.changes,
        )

    def _action_plan(self, network, author):
        slug = "action-plan-2569"
        return draft_once(
            network, ActionPlanPage, slug, author,
            lambda: action_plan_page(SP_ACTION_PLAN, slug=slug),
            self.changes,
        )

    def _sp_charter(self, network, author):
        return draft_once(network, CharterPage, "charter", author, lambda: CharterPage(
            title=SP_CHARTER_TITLE, version_label=SP_CHARTER_VERSION, preamble=SP_CHARTER_PREAMBLE,
            chapters=charter_stream_data(SP_CHARTER_CHAPTERS),
        ), self.changes)

    @staticmethod
    def _written_on(page, day):
        """Date a fresh draft (never submitted) to the day its committee wrote it: the demo is loaded
        long after the meetings it tells of."""
        if WorkflowState.objects.for_instance(page).exists():
            return
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
        page.revisions.update(created_at=moment)
        type(page).objects.filter(pk=page.pk).update(latest_revision_created_at=moment)

    # --- the road ----------------------------------------------------------------------------------

    def carry(self, page, submitter, target, moves):
        """Take `page` along its workflow until the step named `target` is the one waiting (or, for
        DONE, until the workflow is finished). `moves` maps a step's task class name to
        (user, action, form data)."""
        page = page.specific
        with transaction.atomic():
            state = WorkflowState.objects.for_instance(page).order_by("-created_at", "-pk").first()
            if state is None:
                if page.live:
                    return  # published by someone outside the demo's road
                self._submit(page, submitter)
            elif state.status != WorkflowState.STATUS_IN_PROGRESS:
                # Finished (the demo's own earlier run) or taken off the road by a person: leave it.
                return
            while True:
                state = WorkflowState.objects.for_instance(page).filter(
                    status=WorkflowState.STATUS_IN_PROGRESS
                ).select_related("current_task_state").first()
                if state is None or state.current_task_state is None:
                    return  # finished: the last approval published the document
                task_state = state.current_task_state.specific
                task = task_state.task.specific
                step = type(task).__name__
                if step not in self._steps_before(state.workflow, target):
                    return  # at the target, or moved past it by a person: the demo goes no further
                if step not in moves:
                    raise RuntimeError(f"The demo has no move for step {step} of {page.title}.")
                user, action, form_data = moves[step]
                self._decide(page, task, task_state, user, action, form_data)
                page.refresh_from_db()

    @staticmethod
    def _steps_before(workflow, target):
        steps = [type(task).__name__ for task in workflow.tasks.specific()]
        return steps[: steps.index(target)] if target in steps else steps

    def _submit(self, page, user):
        """What the admin's "Submit" does: save a revision, start the workflow bound to the type."""
        workflow = page.get_workflow()
        if workflow is None:
            raise RuntimeError(f"No workflow is bound to {page._meta.verbose_name}.")
        page.save_revision(user=user, log_action=True)
        workflow.start(page, user)
        self.changes.append(f"submitted {page.title}")

    def _decide(self, page, task, task_state, user, action, form_data):
        if action not in {name for name, _label, _modal in task.get_actions(page, user)}:
            raise RuntimeError(f"{user} may not {action} at {task.name} on {page.title}.")
        form = task.get_form_for_action(action)(data=form_data)
        if not form.is_valid():
            raise RuntimeError(f"The demo's data for {task.name} is refused: {form.errors.as_text()}")
        task.on_action(task_state, user, action, **form.cleaned_data)
        self.changes.append(f"{page.title}: {task.name} – {action} by {user.get_username()}")
