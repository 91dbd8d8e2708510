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
  'roll.state.connected': 'connected',
  'roll.state.disconnected': 'not in a call',
  'roll.state.dialling': 'dialling',
  'roll.state.ringing': 'ringing',
  'roll.state.connecting': 'connecting',
  'roll.state.disconnecting': 'hanging up',
  'roll.state.on_hold': 'on hold',
  'roll.state.other': 'busy with something else',
  'flag.call.upload': 'send the call state to the registry on each change (roll call), through the outbox',
  'flag.call.meeting': 'with --upload: the meeting the call is for (its id in the registry)',
  'roll.meeting_needs_upload': '--meeting goes with --upload (the meeting is sent with each call state)',
  'outbox.kind.call-state': 'call state',
  'check.err.no_meeting':
    'no meeting no. {id} in the registry {url}: check the number (`diemcau meeting list`)',
  'check.warn.meeting_unverified':
    'warning: could not ask the registry about meeting no. {id} ({reason}); checking anyway',
  'check.next_meeting': 'Next meeting: no. {id} {title}, {when}; T−60 in {left}',
  'check.next_meeting_now': 'Next meeting: no. {id} {title}, {when}; T−60 has passed',
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
  'roll.state.connected': 'đã kết nối',
  'roll.state.disconnected': 'không trong cuộc gọi',
  'roll.state.dialling': 'đang quay số',
  'roll.state.ringing': 'đang đổ chuông',
  'roll.state.connecting': 'đang kết nối',
  'roll.state.disconnecting': 'đang ngắt',
  'roll.state.on_hold': 'tạm giữ',
  'roll.state.other': 'đang bận việc khác',
  'flag.call.upload':
    'gửi trạng thái cuộc gọi lên máy chủ tổng hợp mỗi khi thay đổi (điểm danh), qua hàng đợi gửi',
  'flag.call.meeting': 'dùng với --upload: cuộc họp của cuộc gọi này (mã cuộc họp trên máy chủ)',
  'roll.meeting_needs_upload':
    '--meeting đi cùng --upload (mã cuộc họp được gửi kèm mỗi trạng thái cuộc gọi)',
  'outbox.kind.call-state': 'trạng thái cuộc gọi',
  'check.err.no_meeting':
    'máy chủ {url} không có cuộc họp số {id}: xem lại số cuộc họp (`diemcau meeting list`)',
  'check.warn.meeting_unverified':
    'cảnh báo: không hỏi được máy chủ về cuộc họp số {id} ({reason}); vẫn kiểm tra tiếp',
  'check.next_meeting': 'Cuộc họp tới: số {id} {title}, {when}; còn {left} đến T−60',
  'check.next_meeting_now': 'Cuộc họp tới: số {id} {title}, {when}; đã qua T−60',
};
