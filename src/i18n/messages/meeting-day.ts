/** Meeting-day operations: the `confirm` kind (confirm.*), the meeting tag of a run, roll call (roll.*). */
export const en = {
  'confirm.needs_person': 'not asked: needs a person on site to confirm: {question}',
  'confirm.hint.needs_person':
    'Run `diemcau check` at the site, on its terminal and without --no-input, so the technician can answer.',
  'confirm.not_answered': 'no answer in time: {question}',
  'confirm.ask_failed': 'could not ask the question: {message}',
  'confirm.yes': 'confirmed: {question}',
  'confirm.yes_by': 'confirmed by {by}: {question}',
  'confirm.no': 'not right yet: {question}',
  'confirm.no_note': 'not right yet: {question} ({note})',
  'confirm.hint.no':
    'Put it right before the meeting (or tell the provincial IT centre), then run the check again.',
  'confirm.prompt.note': 'What is wrong? (Enter to leave empty)',
  'flag.check.meeting':
    'tag the run with this meeting (its id in the registry): shown, and kept with the upload',
  'flag.check.no_input': 'ask nothing (scripts, cron): checks a person must confirm are skipped',
  'check.err.meeting_id':
    '--meeting: "{got}" is not a meeting id (lower-case letters, digits, ".", "_" and "-"; at most 64 characters)',
  'check.meeting': 'Meeting: {id}',
};

export const vi: Record<keyof typeof en, string> = {
  'confirm.needs_person': 'chưa hỏi: cần người tại điểm cầu xác nhận: {question}',
  'confirm.hint.needs_person':
    'Chạy `diemcau check` tại điểm cầu, trên màn hình dòng lệnh và không dùng --no-input, để cán bộ kỹ thuật trả lời.',
  'confirm.not_answered': 'hết thời gian chờ trả lời: {question}',
  'confirm.ask_failed': 'không hỏi được: {message}',
  'confirm.yes': 'đã xác nhận: {question}',
  'confirm.yes_by': '{by} đã xác nhận: {question}',
  'confirm.no': 'chưa đạt: {question}',
  'confirm.no_note': 'chưa đạt: {question} ({note})',
  'confirm.hint.no': 'Khắc phục trước giờ họp (hoặc báo Trung tâm CNTT tỉnh), rồi chạy lại kiểm tra.',
  'confirm.prompt.note': 'Chưa đạt ở điểm nào? (Enter để bỏ trống)',
  'flag.check.meeting':
    'gắn lần kiểm tra với cuộc họp này (mã cuộc họp trên máy chủ): hiện ra và gửi kèm kết quả',
  'flag.check.no_input': 'không hỏi gì (chạy bằng script, cron): các mục cần người xác nhận được bỏ qua',
  'check.err.meeting_id':
    '--meeting: "{got}" không phải mã cuộc họp (chữ thường không dấu, số, ".", "_" và "-"; tối đa 64 ký tự)',
  'check.meeting': 'Cuộc họp: {id}',
};
