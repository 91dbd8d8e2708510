/** `diemcau demo`: everything on one machine, on loopback. */
export const en = {
  'cmd.demo':
    'try everything on this machine: a registry, a simulated codec and bridge on loopback, the checklist, an incident, a report',
  'flag.demo.keep': 'leave the services running and print how to use them (Ctrl-C stops them)',
  'flag.demo.driver': 'which simulated codec',
  'flag.demo.scenario': 'make the simulated codec misbehave (e.g. unregistered, camera-unplugged, lossy)',
  'demo.title':
    'diemcau demo: a registry, a simulated {driver} codec and a simulated MCU bridge, all on 127.0.0.1',
  'demo.started':
    'Started: registry {registry} (SQLite in {dir}), UDP reflector :{reflector}, codec {codec}, bridge {bridge}',
  'demo.step.check': '1/3  Pre-meeting checklist of the demo site (profile {file})',
  'demo.step.incident': '2/3  Filing a sample incident with the last run attached',
  'demo.step.report': '3/3  Readiness report from the registry',
  'demo.step.meeting':
    'Then: a meeting in 65 minutes with the demo site — booked, the site’s next meeting, its readiness, the calendar',
  'demo.meeting.title': 'Demo meeting (emergency)',
  'demo.skip.ffmpeg': 'ffmpeg is not installed here ({hint})',
  'demo.skip.no_ups': 'no UPS on this demo machine',
  'demo.skip.ping': 'the ping program is not installed here (Debian/Ubuntu: sudo apt install iputils-ping)',
  'demo.incident.summary': 'Demo: picture froze for 20 seconds during the test session',
  'demo.incident.action': 'Reseated the HDMI cable at the codec; picture came back',
  'demo.stopped':
    'Stopped everything and removed {dir}. Try it on a site: diemcau profile init, then diemcau check.',
  'demo.keep.title': 'Left running (Ctrl-C stops everything):',
  'demo.keep.registry': '  registry   {url}   (admin token and passwords in {file})',
  'demo.keep.codec': '  codec      {url}   (simulated {driver}; user admin, password in CODEC_PASSWORD)',
  'demo.keep.bridge': '  bridge     {uri}',
  'demo.keep.try': 'Try, in another terminal:',
  'demo.err.start': 'could not start the demo services: {reason}',
} as const;

export const vi: Record<keyof typeof en, string> = {
  'cmd.demo':
    'chạy thử mọi thứ trên máy này: máy chủ tổng hợp, codec và phòng họp MCU mô phỏng trên 127.0.0.1, danh mục kiểm tra, báo cáo sự cố, báo cáo',
  'flag.demo.keep': 'giữ các dịch vụ chạy và hướng dẫn cách dùng (Ctrl-C để dừng)',
  'flag.demo.driver': 'loại codec mô phỏng',
  'flag.demo.scenario': 'cho codec mô phỏng gặp sự cố (ví dụ unregistered, camera-unplugged, lossy)',
  'demo.title':
    'diemcau demo: máy chủ tổng hợp, codec {driver} mô phỏng và phòng họp MCU mô phỏng, tất cả trên 127.0.0.1',
  'demo.started':
    'Đã khởi động: máy chủ {registry} (SQLite trong {dir}), bộ phản hồi UDP :{reflector}, codec {codec}, phòng họp MCU {bridge}',
  'demo.step.check': '1/3  Kiểm tra trước giờ họp cho điểm cầu mẫu (tệp cấu hình {file})',
  'demo.step.incident': '2/3  Báo cáo một sự cố mẫu, kèm kết quả kiểm tra vừa chạy',
  'demo.step.report': '3/3  Báo cáo sẵn sàng từ máy chủ tổng hợp',
  'demo.step.meeting':
    'Tiếp theo: một cuộc họp sau 65 phút có điểm cầu mẫu — đăng ký, cuộc họp tới của điểm cầu, tình trạng sẵn sàng, lịch họp',
  'demo.meeting.title': 'Cuộc họp chạy thử (đột xuất)',
  'demo.skip.ffmpeg': 'máy này chưa cài ffmpeg ({hint})',
  'demo.skip.no_ups': 'máy chạy thử không có UPS',
  'demo.skip.ping': 'máy này chưa cài chương trình ping (Debian/Ubuntu: sudo apt install iputils-ping)',
  'demo.incident.summary': 'Chạy thử: hình bị đứng 20 giây trong phiên thử',
  'demo.incident.action': 'Cắm lại cáp HDMI ở codec; hình đã trở lại',
  'demo.stopped':
    'Đã dừng mọi dịch vụ và xoá {dir}. Dùng thật tại điểm cầu: diemcau profile init, rồi diemcau check.',
  'demo.keep.title': 'Các dịch vụ vẫn chạy (Ctrl-C để dừng tất cả):',
  'demo.keep.registry': '  máy chủ    {url}   (mã truy cập admin và mật khẩu trong {file})',
  'demo.keep.codec':
    '  codec      {url}   (codec {driver} mô phỏng; tài khoản admin, mật khẩu trong CODEC_PASSWORD)',
  'demo.keep.bridge': '  phòng họp  {uri}',
  'demo.keep.try': 'Thử trong một cửa sổ dòng lệnh khác:',
  'demo.err.start': 'không khởi động được các dịch vụ chạy thử: {reason}',
};
