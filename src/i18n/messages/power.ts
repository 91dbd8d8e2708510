/** The power and UPS checks (power.*, ups.*). */
export const en = {
  'power.mains_only': 'on mains (no battery in this machine)',
  'power.on_mains': 'on mains',
  'power.on_mains_charging': 'on mains, battery charging',
  'power.on_battery': 'ON BATTERY: the charger or mains is off',
  'power.low': 'ON BATTERY and nearly empty',
  'power.runtime_short': 'ON BATTERY: it will not last the meeting ({min})',
  'power.part.charge': 'battery {pct} %',
  'power.part.runtime': 'about {runtime} left',
  'power.part.breach': '{metric} {value} beyond the limit {limit}',
  'power.hint.battery':
    'Plug the charger into a working wall socket (try another socket, check the power strip switch); the meeting lasts {min}.',
  'power.hint.low':
    'Plug in the charger now and keep it plugged in; do not start the meeting on this battery.',
  'power.err.read': 'cannot read the battery state: {reason}',
  'power.err.aborted': 'stopped before the battery state was read',

  'ups.reason.ol': 'on line ({status})',
  'ups.reason.ob': 'ON BATTERY ({status}): mains power is off',
  'ups.reason.lb': 'LOW BATTERY ({status})',
  'ups.reason.rb': 'the battery must be replaced ({status})',
  'ups.reason.fsd': 'the UPS is shutting down ({status})',
  'ups.reason.off': 'the UPS output is off ({status})',
  'ups.reason.over': 'overloaded ({status})',
  'ups.reason.bypass': 'on bypass: no battery protection ({status})',
  'ups.reason.runtime': 'the battery lasts {runtime}, less than the {min} needed ({status})',
  'ups.reason.unknown': 'unexpected status ({status})',
  'ups.part.charge': 'charge {pct} %',
  'ups.part.runtime': 'runtime {runtime}',
  'ups.part.load': 'load {pct} %',
  'ups.part.breach': '{metric} {value} beyond the limit {limit}',
  'ups.hint.ob':
    'The UPS is running on its battery. Check that the UPS is plugged into the wall and the socket has power (breaker, power strip); if the room has no power, call the electrician and plan for the meeting length ({min}).',
  'ups.hint.lb':
    'The UPS battery is nearly empty: restore mains power now (check the plug, the socket, the breaker; call the electrician). Do not start the meeting on this UPS.',
  'ups.hint.rb':
    'The UPS reports a worn-out battery: ask the IT centre to replace the battery; it may not hold the equipment when the power goes.',
  'ups.hint.fsd':
    'The UPS is about to cut power to the equipment: restore mains power at once and save work; call the electrician.',
  'ups.hint.off':
    'The UPS output is switched off: switch the UPS on (front button) and check the equipment is plugged into its battery-backed outlets.',
  'ups.hint.over':
    'Too much is plugged into the UPS: unplug what the meeting does not need (printers, heaters, kettles) from its outlets.',
  'ups.hint.bypass':
    'The UPS passes mains straight through and will not protect the equipment: check the UPS front panel and ask the IT centre.',
  'ups.hint.runtime':
    'Leave the UPS on mains to charge, unplug equipment the meeting does not need from it, or replace the battery if it stays short; the meeting needs {min}.',
  'ups.hint.unknown':
    'The UPS reports neither on line nor on battery: check its front panel and the NUT driver.',
  'ups.hint.limits':
    'A UPS reading is outside the limits set for this site: look at the UPS front panel and ask the IT centre.',
  'ups.err.connect': 'cannot reach the NUT server at {where} ({detail})',
  'ups.err.resolve': 'the name of the NUT server {where} does not resolve',
  'ups.err.timeout': 'the NUT server at {where} did not answer in time',
  'ups.err.closed': 'the NUT server at {where} closed the connection in the middle of a reply',
  'ups.err.protocol': 'the server at {where} does not speak the NUT protocol (it answered: {detail})',
  'ups.err.aborted': 'stopped before the NUT server at {where} answered',
  'ups.err.unknown_ups': 'the NUT server at {where} has no UPS named "{name}" (it has: {names})',
  'ups.err.stale': 'the data of UPS "{name}" is stale: the NUT driver lost contact with the UPS',
  'ups.err.driver': 'the NUT server at {where} runs, but its driver for UPS "{name}" is not connected',
  'ups.err.auth': 'the NUT server at {where} refused the login ({word})',
  'ups.err.server': 'the NUT server at {where} answered ERR {word}',
  'ups.err.none': 'the NUT server at {where} serves no UPS',
  'ups.err.which': 'the NUT server at {where} serves several UPSes ({names}); say which one with `name:`',
  'ups.err.no_status': 'UPS "{name}" at {where} does not report ups.status',
  'ups.hint.connect':
    'Check that NUT (upsd) runs on that machine, listens on that address (LISTEN in upsd.conf) and that the firewall lets TCP through; 3493 is the NUT port.',
  'ups.hint.resolve':
    'Check the spelling of `host:` or use the IP address of the machine the UPS is connected to.',
  'ups.hint.protocol':
    'Check `host:` and `port:` (NUT listens on 3493); another program may be answering on that port.',
  'ups.hint.unknown_ups': 'Copy one of these names into `name:` in the profile: {names}.',
  'ups.hint.stale':
    'Check the USB or serial cable between the UPS and the computer, then restart the NUT driver (upsdrvctl stop; upsdrvctl start).',
  'ups.hint.driver':
    'Check that the UPS is switched on and its USB or serial cable is connected, then start the NUT driver (upsdrvctl start).',
  'ups.hint.auth':
    'Check `username:` and `password:` (use ${UPS_PASSWORD}) against upsd.users on the NUT server.',
  'ups.hint.name': 'Set `name:` to one of: {names}.',
} as const;

export const vi: Record<keyof typeof en, string> = {
  'power.mains_only': 'dùng điện lưới (máy không có pin)',
  'power.on_mains': 'đang dùng điện lưới',
  'power.on_mains_charging': 'đang dùng điện lưới, pin đang sạc',
  'power.on_battery': 'ĐANG CHẠY BẰNG PIN: chưa cắm sạc hoặc mất điện lưới',
  'power.low': 'ĐANG CHẠY BẰNG PIN và pin sắp hết',
  'power.runtime_short': 'ĐANG CHẠY BẰNG PIN: không đủ cho cả buổi họp ({min})',
  'power.part.charge': 'pin {pct} %',
  'power.part.runtime': 'còn khoảng {runtime}',
  'power.part.breach': '{metric} {value} vượt ngưỡng {limit}',
  'power.hint.battery':
    'Cắm sạc vào ổ điện đang có điện (thử ổ khác, kiểm tra công tắc ổ cắm kéo dài); buổi họp kéo dài {min}.',
  'power.hint.low': 'Cắm sạc ngay và để cắm suốt buổi họp; không bắt đầu họp khi chỉ chạy bằng pin này.',
  'power.err.read': 'không đọc được trạng thái pin: {reason}',
  'power.err.aborted': 'đã dừng trước khi đọc được trạng thái pin',

  'ups.reason.ol': 'đang dùng điện lưới ({status})',
  'ups.reason.ob': 'ĐANG CHẠY BẰNG ẮC QUY ({status}): mất điện lưới',
  'ups.reason.lb': 'ẮC QUY SẮP HẾT ({status})',
  'ups.reason.rb': 'cần thay ắc quy ({status})',
  'ups.reason.fsd': 'bộ lưu điện đang tắt nguồn ({status})',
  'ups.reason.off': 'bộ lưu điện đã ngắt đầu ra ({status})',
  'ups.reason.over': 'bộ lưu điện bị quá tải ({status})',
  'ups.reason.bypass': 'đang ở chế độ bypass, không có ắc quy bảo vệ ({status})',
  'ups.reason.runtime': 'ắc quy chỉ giữ được {runtime}, ít hơn {min} cần cho buổi họp ({status})',
  'ups.reason.unknown': 'trạng thái lạ ({status})',
  'ups.part.charge': 'dung lượng {pct} %',
  'ups.part.runtime': 'thời gian lưu điện {runtime}',
  'ups.part.load': 'tải {pct} %',
  'ups.part.breach': '{metric} {value} vượt ngưỡng {limit}',
  'ups.hint.ob':
    'Bộ lưu điện (UPS) đang chạy bằng ắc quy. Kiểm tra phích cắm của UPS vào ổ điện tường và ổ có điện (aptomat, ổ cắm kéo dài); nếu cả phòng mất điện, gọi thợ điện và tính đủ thời gian cho buổi họp ({min}).',
  'ups.hint.lb':
    'Ắc quy UPS sắp hết: cấp lại điện lưới ngay (kiểm tra phích cắm, ổ điện, aptomat; gọi thợ điện). Không bắt đầu họp khi chỉ dựa vào UPS này.',
  'ups.hint.rb':
    'UPS báo ắc quy đã chai: đề nghị trung tâm CNTT thay ắc quy; khi mất điện UPS có thể không giữ được thiết bị.',
  'ups.hint.fsd': 'UPS sắp cắt điện thiết bị: cấp lại điện lưới ngay, lưu công việc; gọi thợ điện.',
  'ups.hint.off':
    'Đầu ra của UPS đang tắt: bật UPS (nút phía trước) và kiểm tra thiết bị cắm vào các ổ có lưu điện của UPS.',
  'ups.hint.over':
    'UPS đang gánh quá nhiều thiết bị: rút những gì buổi họp không cần (máy in, quạt sưởi, ấm điện) khỏi ổ của UPS.',
  'ups.hint.bypass':
    'UPS đang cho điện lưới đi thẳng, không bảo vệ thiết bị: xem màn hình phía trước UPS và báo trung tâm CNTT.',
  'ups.hint.runtime':
    'Để UPS cắm điện lưới cho ắc quy nạp đầy, rút bớt thiết bị không cần khỏi UPS, hoặc thay ắc quy nếu vẫn thiếu; buổi họp cần {min}.',
  'ups.hint.unknown':
    'UPS không báo đang dùng điện lưới cũng không báo chạy ắc quy: xem màn hình UPS và driver NUT.',
  'ups.hint.limits':
    'Một thông số của UPS nằm ngoài ngưỡng đặt cho điểm cầu: xem màn hình UPS và báo trung tâm CNTT.',
  'ups.err.connect': 'không kết nối được máy chủ NUT tại {where} ({detail})',
  'ups.err.resolve': 'không phân giải được tên máy chủ NUT {where}',
  'ups.err.timeout': 'máy chủ NUT tại {where} không trả lời kịp',
  'ups.err.closed': 'máy chủ NUT tại {where} ngắt kết nối giữa chừng khi đang trả lời',
  'ups.err.protocol': 'máy tại {where} không nói giao thức NUT (nó trả lời: {detail})',
  'ups.err.aborted': 'đã dừng trước khi máy chủ NUT tại {where} trả lời',
  'ups.err.unknown_ups': 'máy chủ NUT tại {where} không có UPS tên "{name}" (chỉ có: {names})',
  'ups.err.stale': 'dữ liệu của UPS "{name}" đã cũ: driver NUT mất liên lạc với UPS',
  'ups.err.driver': 'máy chủ NUT tại {where} đang chạy nhưng driver của UPS "{name}" chưa kết nối',
  'ups.err.auth': 'máy chủ NUT tại {where} từ chối đăng nhập ({word})',
  'ups.err.server': 'máy chủ NUT tại {where} trả lời lỗi ERR {word}',
  'ups.err.none': 'máy chủ NUT tại {where} không quản lý UPS nào',
  'ups.err.which': 'máy chủ NUT tại {where} quản lý nhiều UPS ({names}); ghi rõ UPS nào ở `name:`',
  'ups.err.no_status': 'UPS "{name}" tại {where} không báo ups.status',
  'ups.hint.connect':
    'Kiểm tra NUT (upsd) đang chạy trên máy đó, lắng nghe đúng địa chỉ (LISTEN trong upsd.conf) và tường lửa cho qua TCP; cổng của NUT là 3493.',
  'ups.hint.resolve': 'Kiểm tra lại `host:` hoặc dùng địa chỉ IP của máy nối với UPS.',
  'ups.hint.protocol':
    'Kiểm tra `host:` và `port:` (NUT dùng cổng 3493); có thể một chương trình khác đang chiếm cổng đó.',
  'ups.hint.unknown_ups': 'Chép một trong các tên sau vào `name:` trong tệp cấu hình: {names}.',
  'ups.hint.stale':
    'Kiểm tra cáp USB hoặc cáp nối tiếp giữa UPS và máy tính, rồi khởi động lại driver NUT (upsdrvctl stop; upsdrvctl start).',
  'ups.hint.driver':
    'Kiểm tra UPS đã bật và cáp USB/cáp nối tiếp đã cắm, rồi khởi động driver NUT (upsdrvctl start).',
  'ups.hint.auth':
    'Kiểm tra `username:` và `password:` (dùng ${UPS_PASSWORD}) với tệp upsd.users trên máy chủ NUT.',
  'ups.hint.name': 'Đặt `name:` là một trong: {names}.',
};
