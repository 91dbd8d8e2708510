/** A meeting's own confirm items (docs/meetings.md#the-meetings-own-confirm-items): flags, the card, check, the readiness report. */
export const en = {
  'meeting.flag.confirm':
    'a question a person on site must confirm for this meeting, e.g. the backdrop text (repeatable); asked by `check --meeting` at the sites taking part',
  'meeting.flag.confirm_advisory': 'the same, advisory: a "no" only degrades the site (repeatable)',
  'meeting.flag.clear_confirm': "remove the meeting's confirm questions",
  'meeting.err.confirm_clear': '--clear-confirm removes the questions: give it without --confirm',
  'meeting.field.confirm': 'To confirm on site',
  'meeting.confirm.advisory': 'advisory',
  'check.meeting_confirm.note': 'Asked by meeting no. {id} "{title}"',
  'meeting.report.own_confirm':
    "The meeting's own questions: {done}/{sites} sites confirmed every required one",
  'meeting.report.own.confirmed': 'confirmed',
  'meeting.report.own.not-confirmed': 'not right',
  'meeting.report.own.unanswered': 'no answer',
  'meeting.report.own.skipped': 'not asked (needs a person on site)',
  'meeting.report.own.not-asked': 'not checked yet',
  'api.why.duplicate_confirm': '{field}: the same question twice',
};

export const vi: Record<keyof typeof en, string> = {
  'meeting.flag.confirm':
    'câu hỏi người tại điểm cầu phải xác nhận cho cuộc họp này, ví dụ nội dung maket (dùng nhiều lần được); `check --meeting` hỏi tại các điểm cầu tham dự',
  'meeting.flag.confirm_advisory': 'như trên, chỉ khuyến nghị: trả lời "không" chỉ làm điểm cầu có cảnh báo',
  'meeting.flag.clear_confirm': 'bỏ các câu hỏi xác nhận của cuộc họp',
  'meeting.err.confirm_clear': '--clear-confirm bỏ các câu hỏi: không dùng cùng --confirm',
  'meeting.field.confirm': 'Cần xác nhận tại điểm cầu',
  'meeting.confirm.advisory': 'khuyến nghị',
  'check.meeting_confirm.note': 'Câu hỏi của cuộc họp số {id} «{title}»',
  'meeting.report.own_confirm':
    'Câu hỏi xác nhận của cuộc họp: {done}/{sites} điểm cầu đã xác nhận đủ các câu bắt buộc',
  'meeting.report.own.confirmed': 'đã xác nhận',
  'meeting.report.own.not-confirmed': 'chưa đạt',
  'meeting.report.own.unanswered': 'chưa trả lời',
  'meeting.report.own.skipped': 'chưa hỏi (cần người tại điểm cầu)',
  'meeting.report.own.not-asked': 'chưa kiểm tra',
  'api.why.duplicate_confirm': '{field}: câu hỏi bị trùng',
};
