/** The network quality kinds: udp-quality (udpq.*) and throughput (tput.*). */
export const en = {
  'udpq.allowed.target': 'must be a UDP reflector as host:port or [IPv6]:port (got {got})',
  'udpq.ok':
    '{received}/{sent} packets back from {target}: RTT {rtt} ms (p95 {p95}), jitter {jitter} ms, loss {loss}%, MOS {mos}',
  'udpq.err.no_target':
    'no reflector to test against: the check has no `target:` and the profile no `registry.url`',
  'udpq.err.no_reply': 'no answer from the reflector at {target}: none of {sent} packets came back',
  'udpq.err.refused': 'the reflector port at {target} is closed (the host answered "port unreachable")',
  'udpq.err.socket': 'cannot send to {target}: {reason}',
  'udpq.err.aborted': 'stopped before the measurement ended',
  'udpq.hint.no_target':
    'Add `target: host:port` of a UDP reflector to the check, or `registry.url` to the profile (the registry runs the reflector).',
  'udpq.hint.no_reply':
    'Check that the registry runs its reflector (diemcau registry serve --reflector-port {port}) and that UDP port {port} is open in the firewalls on the way. A line that blocks UDP will also break the video call (media goes over UDP): ask the provincial IT centre.',
  'udpq.hint.rtt':
    'High delay: the picture and sound will lag. Stop large downloads or streams on the same line, use the wired network instead of Wi-Fi or 4G, and report a line fault to the provider if it lasts.',
  'udpq.hint.jitter':
    'Unsteady delay (jitter) or packets out of order: the picture may stutter and the sound break up. Usually congestion: stop large downloads and ask for priority (QoS) for video-conference traffic.',
  'udpq.hint.loss':
    'Packet loss: the picture breaks into blocks or freezes. Check cables, switch ports and the fibre converter; if the loss is outside the room, report a line fault to the provider and the provincial IT centre.',
  'udpq.hint.mos':
    'The estimated call quality is poor (delay, jitter and loss together): see the measured figures and fix the worst one first.',

  'tput.ok': '{parts} against {url}',
  'tput.part.down': 'download {mbps} Mbit/s',
  'tput.part.up': 'upload {mbps} Mbit/s',
  'tput.part.need': 'needed {need} Mbit/s',
  'tput.err.no_url': 'no speed test server: the check has no `url:` and the profile no `registry.url`',
  'tput.err.unreachable': 'cannot reach the speed test at {url}: {reason}',
  'tput.err.http': 'the speed test at {url} answered HTTP {status}',
  'tput.err.auth': 'the registry at {url} refused the token (HTTP {status})',
  'tput.err.empty': 'the speed test at {url} sent no data within {s} s',
  'tput.err.no_answer': 'the speed test at {url} did not answer the upload within {s} s',
  'tput.err.aborted': 'stopped before the speed test ended',
  'tput.hint.no_url': 'Add `registry.url` to the profile, or `url:` to the check.',
  'tput.hint.unreachable':
    'Check that this machine reaches the registry (the http check of its address), and that the registry is running.',
  'tput.hint.http':
    'The registry may be an older version without the speed test (GET/POST /v1/speedtest): ask the provincial IT centre.',
  'tput.hint.auth': 'Check `registry.token` (use ${DIEMCAU_TOKEN}).',
  'tput.hint.slow':
    'The line is slower than the call needs ({need} Mbit/s): stop other downloads, streams and updates on the line, use the wired network, and ask the provider or the IT centre about the line.',
} as const;

export const vi: Record<keyof typeof en, string> = {
  'udpq.allowed.target': 'phải là bộ phản hồi UDP dạng máy:cổng hoặc [IPv6]:cổng (đang là {got})',
  'udpq.ok':
    '{received}/{sent} gói quay về từ {target}: độ trễ khứ hồi {rtt} ms (p95 {p95}), độ dao động (jitter) {jitter} ms, mất gói {loss}%, MOS {mos}',
  'udpq.err.no_target':
    'không có bộ phản hồi để đo: mục kiểm tra thiếu `target:` và tệp cấu hình thiếu `registry.url`',
  'udpq.err.no_reply': 'bộ phản hồi tại {target} không trả lời: không gói nào trong {sent} gói quay về',
  'udpq.err.refused': 'cổng của bộ phản hồi tại {target} đang đóng (máy đích báo "port unreachable")',
  'udpq.err.socket': 'không gửi được tới {target}: {reason}',
  'udpq.err.aborted': 'đã dừng trước khi đo xong',
  'udpq.hint.no_target':
    'Thêm `target: máy:cổng` của một bộ phản hồi UDP vào mục kiểm tra, hoặc `registry.url` vào tệp cấu hình (máy chủ registry có sẵn bộ phản hồi).',
  'udpq.hint.no_reply':
    'Kiểm tra máy chủ registry có chạy bộ phản hồi (diemcau registry serve --reflector-port {port}) và cổng UDP {port} được mở trên các tường lửa dọc đường. Đường truyền chặn UDP cũng sẽ làm hỏng cuộc họp truyền hình (hình và tiếng đi bằng UDP): báo trung tâm CNTT tỉnh.',
  'udpq.hint.rtt':
    'Độ trễ cao: hình và tiếng sẽ bị chậm. Dừng các việc tải nặng hoặc xem video trên cùng đường truyền, dùng mạng dây thay cho Wi-Fi hoặc 4G, và báo sự cố đường truyền cho nhà mạng nếu kéo dài.',
  'udpq.hint.jitter':
    'Độ trễ không đều (jitter) hoặc gói đến sai thứ tự: hình có thể giật, tiếng bị ngắt quãng. Thường do nghẽn mạng: dừng các việc tải nặng và đề nghị ưu tiên (QoS) cho lưu lượng hội nghị truyền hình.',
  'udpq.hint.loss':
    'Mất gói: hình bị vỡ hoặc đứng hình. Kiểm tra dây mạng, cổng switch và bộ chuyển đổi quang; nếu mất gói ở ngoài phòng họp, báo sự cố đường truyền cho nhà mạng và trung tâm CNTT tỉnh.',
  'udpq.hint.mos':
    'Chất lượng cuộc gọi ước tính kém (trễ, jitter và mất gói cộng lại): xem các số đo và xử lý chỉ số tệ nhất trước.',

  'tput.ok': '{parts} tới {url}',
  'tput.part.down': 'tải xuống {mbps} Mbit/s',
  'tput.part.up': 'tải lên {mbps} Mbit/s',
  'tput.part.need': 'cần {need} Mbit/s',
  'tput.err.no_url':
    'không có máy chủ đo tốc độ: mục kiểm tra thiếu `url:` và tệp cấu hình thiếu `registry.url`',
  'tput.err.unreachable': 'không kết nối được máy chủ đo tốc độ {url}: {reason}',
  'tput.err.http': 'máy chủ đo tốc độ {url} trả lời HTTP {status}',
  'tput.err.auth': 'máy chủ registry {url} từ chối mã truy cập (HTTP {status})',
  'tput.err.empty': 'máy chủ đo tốc độ {url} không gửi dữ liệu nào trong {s} giây',
  'tput.err.no_answer': 'máy chủ đo tốc độ {url} không trả lời lần tải lên trong {s} giây',
  'tput.err.aborted': 'đã dừng trước khi đo tốc độ xong',
  'tput.hint.no_url': 'Thêm `registry.url` vào tệp cấu hình, hoặc `url:` vào mục kiểm tra.',
  'tput.hint.unreachable':
    'Kiểm tra máy này truy cập được máy chủ registry (mục kiểm tra http tới địa chỉ đó) và máy chủ registry đang chạy.',
  'tput.hint.http':
    'Máy chủ registry có thể là bản cũ chưa có chức năng đo tốc độ (GET/POST /v1/speedtest): hỏi trung tâm CNTT tỉnh.',
  'tput.hint.auth': 'Kiểm tra `registry.token` (dùng ${DIEMCAU_TOKEN}).',
  'tput.hint.slow':
    'Đường truyền chậm hơn mức cuộc họp cần ({need} Mbit/s): dừng các việc tải xuống, xem video, cập nhật phần mềm trên đường truyền, dùng mạng dây, và hỏi nhà mạng hoặc trung tâm CNTT về đường truyền.',
};
