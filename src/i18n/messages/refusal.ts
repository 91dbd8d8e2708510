/** Why a call was refused (refusal.*): one message and one hint per category (src/drivers/refusal.ts). */
export const en = {
  'refusal.auth':
    'the bridge or its SIP proxy asked for credentials and refused the call to {number} ({cause})',
  'refusal.busy': '{number} is busy ({cause})',
  'refusal.not_found': '{number} does not exist on the bridge ({cause})',
  'refusal.unavailable': 'the bridge cannot take the call to {number} right now ({cause})',
  'refusal.timeout': 'the call to {number} was not answered in time ({cause})',
  'refusal.media': 'the codec and the bridge found no common audio/video format for {number} ({cause})',
  'refusal.other': 'the bridge refused the call to {number} ({cause})',
  'refusal.hint.auth':
    "The codec's SIP account is wrong or not allowed: check the SIP user name and password on the codec (SIP registration settings) with the provincial IT centre; the codec must be registered (codec-registration) before it calls.",
  'refusal.hint.busy':
    'The meeting room or the MCU is busy (full, or in another call): wait a few minutes and call again, or ask the MCU operator whether the room has a free place.',
  'refusal.hint.not_found':
    'The meeting number or the bridge address is wrong: compare the number/URI in the profile (bridges) with the meeting invitation or the provincial IT centre.',
  'refusal.hint.unavailable':
    'The meeting room on the MCU is not open yet, or the MCU is overloaded or in maintenance: ask the MCU operator, then call again later.',
  'refusal.hint.timeout':
    'The MCU did not answer in time: check the line to the MCU (sip-options, ping) and that the firewall lets SIP (5060/5061) through.',
  'refusal.hint.media':
    'The codec and the MCU share no codec or encryption setting: check the encryption (SRTP) and call-rate settings on the codec with the provincial IT centre.',
  'refusal.hint.other':
    'Check the bridge address and meeting number with the provincial IT centre (MCU operator), that the codec is registered, and that the firewall lets SIP (5060/5061) or H.323 (1720) through.',
};

export const vi: Record<keyof typeof en, string> = {
  'refusal.auth': 'MCU hoặc máy chủ SIP đòi xác thực và từ chối cuộc gọi tới {number} ({cause})',
  'refusal.busy': '{number} đang bận ({cause})',
  'refusal.not_found': 'không có {number} trên MCU ({cause})',
  'refusal.unavailable': 'MCU tạm thời không nhận cuộc gọi tới {number} ({cause})',
  'refusal.timeout': 'cuộc gọi tới {number} không được trả lời kịp ({cause})',
  'refusal.media': 'codec và MCU không có chuẩn âm thanh/hình ảnh chung cho {number} ({cause})',
  'refusal.other': 'MCU từ chối cuộc gọi tới {number} ({cause})',
  'refusal.hint.auth':
    'Tài khoản SIP của codec sai hoặc chưa được cấp quyền: kiểm tra tên đăng nhập và mật khẩu SIP trên codec (mục đăng ký SIP) với trung tâm CNTT tỉnh; codec phải đăng ký được (codec-registration) rồi mới gọi.',
  'refusal.hint.busy':
    'Phòng họp hoặc MCU đang bận (đã đầy, hoặc đang có cuộc gọi khác): chờ vài phút rồi gọi lại, hoặc hỏi cán bộ vận hành MCU xem phòng họp còn chỗ không.',
  'refusal.hint.not_found':
    'Số phòng họp hoặc địa chỉ MCU bị sai: đối chiếu số/URI trong hồ sơ (bridges) với giấy mời họp hoặc với trung tâm CNTT tỉnh.',
  'refusal.hint.unavailable':
    'Phòng họp trên MCU chưa mở, hoặc MCU đang quá tải hay bảo trì: hỏi cán bộ vận hành MCU rồi gọi lại sau.',
  'refusal.hint.timeout':
    'MCU không trả lời kịp: kiểm tra đường truyền tới MCU (sip-options, ping) và tường lửa có cho qua SIP (5060/5061) không.',
  'refusal.hint.media':
    'Codec và MCU không có chuẩn mã hoá chung: kiểm tra cài đặt mã hoá (SRTP) và tốc độ cuộc gọi trên codec với trung tâm CNTT tỉnh.',
  'refusal.hint.other':
    'Kiểm tra địa chỉ MCU và số phòng họp với trung tâm CNTT tỉnh (cán bộ vận hành MCU), codec đã đăng ký, và tường lửa cho qua SIP (5060/5061) hoặc H.323 (1720).',
};
