/** The network check kinds: ping, tcp, dns, http. */
export const en = {
  'net.allowed.host': 'must be a host name or an IP address, not starting with "-" (got {got})',
  'net.allowed.dns_server':
    'must be the IP address of a DNS server, optionally with a port: 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:53 (got {got})',
  'net.breaches': '; over the limit: {list}',
  'net.breach': '{metric} {value} ({level} limit {limit})',
  'net.level.warn': 'warning',
  'net.level.fail': 'fail',
  'net.cancelled': 'cancelled',

  'net.ping.ok':
    '{received}/{sent} replies from {target}, RTT avg {rtt} ms (min {min}, max {max}), jitter {jitter} ms, loss {loss}%',
  'net.ping.no_reply': 'no reply from {target} to {sent} probes (100% loss)',
  'net.ping.failed': 'ping could not run: {message}',
  'net.ping.missing': 'the ping program was not found',
  'net.ping.unparsed': 'ping ran (exit status {code}) but no reply line could be read in its output',
  'net.ping.too_long':
    '{count} probes every {interval} s need about {need} s, more than the timeout of {timeout} s',
  'net.ping.hint.missing':
    'Install it: apt install iputils-ping (Debian/Ubuntu), apk add iputils (Alpine); on Windows and macOS it is built in, so check PATH.',
  'net.ping.hint.failed':
    'Check the target name or address in the profile and the DNS setting of this PC or codec; "Network is unreachable" means this machine has no route: check its cable and gateway.',
  'net.ping.hint.no_reply':
    'No reply: check the network cable, switch and fibre converter of the room, then ping the gateway. Some MCUs and firewalls block ping: if the tcp check of the SIP port passes, ask the provincial IT centre whether ICMP is allowed.',
  'net.ping.hint.unparsed':
    'Run the same ping by hand and send its output to the diemcau maintainers (the command is in the details).',
  'net.ping.hint.too_long': 'Raise `timeout` of this check or lower `count`.',
  'net.ping.hint.rtt':
    'High delay: check whether someone is downloading or streaming on the same line, put the codec on the wired network (not Wi-Fi or 4G), and report a line fault to the provider if it lasts.',
  'net.ping.hint.loss':
    'Packet loss: check cables, switch ports and the fibre converter; if the loss is outside the room, report it to the provider (VNPT, Viettel...) and the provincial IT centre.',
  'net.ping.hint.jitter':
    'Unsteady delay (jitter): usually congestion on the line; stop large downloads and ask for priority (QoS) for video-conference traffic.',

  'net.tcp.ok': 'port {port} on {target} accepts connections ({ms} ms)',
  'net.tcp.refused': 'port {port} on {target} refused the connection',
  'net.tcp.timeout': 'no answer from port {port} on {target} within {s} s',
  'net.tcp.unreachable': 'cannot reach {target}: {code}',
  'net.tcp.failed': 'cannot connect to port {port} on {target}: {message}',
  'net.tcp.hint.refused':
    'Nothing listens on that port: is the MCU or service running, and is the port right? A firewall at the site or the provider may also reject it.',
  'net.tcp.hint.timeout':
    'The attempt was dropped without an answer: usually a firewall (at the site, on the provincial network or in front of the MCU) blocks this port. Ask the provincial IT centre to open it.',
  'net.tcp.hint.unreachable':
    'No route to the host: check the network cable, the gateway and the IP settings of this PC or codec.',

  'net.dns.ok': '{name} resolves to {addresses} ({ms} ms, {server})',
  'net.dns.system': 'system resolver',
  'net.dns.notfound': '{name} does not exist (NXDOMAIN) according to {server}',
  'net.dns.nodata': '{name} has no {family} address according to {server}',
  'net.dns.timeout': '{server} did not answer for {name} within {s} s',
  'net.dns.refused': '{server} refused the query for {name}',
  'net.dns.failed': 'cannot resolve {name}: {code}',
  'net.dns.mismatch': '{name} resolves to {addresses}, but {missing} is expected among them',
  'net.dns.hint.notfound':
    'Check the spelling of the name and the DNS server setting of the codec or PC, or ask the provincial IT centre whether the name is published on the DNS server in use.',
  'net.dns.hint.timeout':
    'Check that the DNS server address is right and reachable (ping it). On the government data network use the DNS server the provincial IT centre gave you.',
  'net.dns.hint.mismatch':
    'The name points somewhere else than the profile expects: a stale or wrong DNS record, or a different DNS server. Tell the provincial IT centre.',

  'net.http.ok': '{method} {url} answered {status} ({ttfb} ms to the first byte, {total} ms in all)',
  'net.http.any_ok': '2xx or 3xx',
  'net.http.bad_status': '{url} answered {status}, expected {expected}',
  'net.http.missing_text': 'the answer of {url} does not contain "{text}"',
  'net.http.refused': '{url}: connection refused',
  'net.http.tls': '{url}: TLS error {code}',
  'net.http.timeout': '{url} did not answer within {s} s',
  'net.http.failed': 'cannot reach {url}: {code}',
  'net.http.hint.bad_status':
    'The web server answers, but not as expected: 4xx means a wrong address or login, 5xx a fault on the server; tell its operator (the provincial IT centre).',
  'net.http.hint.missing_text':
    'The page answers but is not the expected one: a maintenance page, a login portal of the hotel or 4G network, or a changed page.',
  'net.http.hint.refused':
    'Nothing listens there: check the address and port in the profile, and whether the service is running.',
  'net.http.hint.tls':
    'Check the date and time of this PC first, then the server certificate; for a device with a self-signed certificate set insecure_tls: true.',
  'net.http.hint.timeout':
    'The server or the line is too slow: try the address in a browser, and tell the provincial IT centre if it stays slow.',
} as const;

export const vi: Record<keyof typeof en, string> = {
  'net.allowed.host': 'phải là tên máy hoặc địa chỉ IP, không bắt đầu bằng "-" (đang là {got})',
  'net.allowed.dns_server':
    'phải là địa chỉ IP của máy chủ DNS, có thể kèm cổng: 192.0.2.53, 192.0.2.53:5353 hoặc [2001:db8::53]:53 (đang là {got})',
  'net.breaches': '; vượt ngưỡng: {list}',
  'net.breach': '{metric} {value} (ngưỡng {level} {limit})',
  'net.level.warn': 'cảnh báo',
  'net.level.fail': 'không đạt',
  'net.cancelled': 'đã huỷ',

  'net.ping.ok':
    '{received}/{sent} gói phản hồi từ {target}, độ trễ TB {rtt} ms (thấp nhất {min}, cao nhất {max}), độ dao động (jitter) {jitter} ms, mất gói {loss}%',
  'net.ping.no_reply': '{target} không phản hồi {sent} gói ping (mất gói 100%)',
  'net.ping.failed': 'không chạy được ping: {message}',
  'net.ping.missing': 'không tìm thấy chương trình ping',
  'net.ping.unparsed': 'ping đã chạy (mã thoát {code}) nhưng không đọc được dòng phản hồi nào',
  'net.ping.too_long':
    '{count} gói, mỗi gói cách {interval} giây, cần khoảng {need} giây, quá thời gian cho phép {timeout} giây',
  'net.ping.hint.missing':
    'Cài đặt: apt install iputils-ping (Debian/Ubuntu), apk add iputils (Alpine); Windows và macOS có sẵn ping, hãy kiểm tra biến PATH.',
  'net.ping.hint.failed':
    'Kiểm tra tên hoặc địa chỉ đích trong tệp cấu hình và cấu hình DNS của máy tính hoặc thiết bị đầu cuối; "Network is unreachable" nghĩa là máy này chưa có đường ra mạng: kiểm tra dây mạng và gateway.',
  'net.ping.hint.no_reply':
    'Không có phản hồi: kiểm tra dây mạng, switch và bộ chuyển đổi quang (converter) của phòng họp, rồi ping thử gateway. Một số MCU và tường lửa chặn ping: nếu mục kiểm tra tcp cổng SIP đạt, hỏi trung tâm CNTT tỉnh xem có cho phép ICMP không.',
  'net.ping.hint.unparsed':
    'Chạy lại lệnh ping đó bằng tay và gửi kết quả cho nhóm phát triển diemcau (lệnh có trong phần chi tiết).',
  'net.ping.hint.too_long': 'Tăng `timeout` của mục kiểm tra này hoặc giảm `count`.',
  'net.ping.hint.rtt':
    'Độ trễ cao: kiểm tra xem có ai đang tải hoặc xem video trên cùng đường truyền, cắm thiết bị đầu cuối vào mạng dây (không dùng Wi-Fi hay 4G), và báo sự cố đường truyền cho nhà mạng nếu kéo dài.',
  'net.ping.hint.loss':
    'Mất gói: kiểm tra dây mạng, cổng switch và bộ chuyển đổi quang; nếu mất gói ở ngoài phòng họp, báo nhà mạng (VNPT, Viettel...) và trung tâm CNTT tỉnh.',
  'net.ping.hint.jitter':
    'Độ trễ không ổn định (jitter): thường do đường truyền bị nghẽn; dừng các tải xuống lớn và đề nghị ưu tiên (QoS) cho lưu lượng hội nghị truyền hình.',

  'net.tcp.ok': 'cổng {port} của {target} nhận kết nối ({ms} ms)',
  'net.tcp.refused': 'cổng {port} của {target} từ chối kết nối',
  'net.tcp.timeout': 'cổng {port} của {target} không trả lời trong {s} giây',
  'net.tcp.unreachable': 'không tới được {target}: {code}',
  'net.tcp.failed': 'không kết nối được cổng {port} của {target}: {message}',
  'net.tcp.hint.refused':
    'Không có dịch vụ nào mở cổng này: MCU hoặc dịch vụ có đang chạy không, số cổng có đúng không? Tường lửa tại điểm cầu hoặc của nhà mạng cũng có thể chặn.',
  'net.tcp.hint.timeout':
    'Kết nối bị bỏ qua không trả lời: thường do tường lửa (tại điểm cầu, trên mạng của tỉnh hoặc trước MCU) chặn cổng này. Đề nghị trung tâm CNTT tỉnh mở cổng.',
  'net.tcp.hint.unreachable':
    'Không có đường tới máy đích: kiểm tra dây mạng, gateway và cấu hình IP của máy tính hoặc thiết bị đầu cuối.',

  'net.dns.ok': '{name} phân giải thành {addresses} ({ms} ms, {server})',
  'net.dns.system': 'DNS của hệ thống',
  'net.dns.notfound': '{name} không tồn tại (NXDOMAIN) theo {server}',
  'net.dns.nodata': '{name} không có địa chỉ {family} theo {server}',
  'net.dns.timeout': '{server} không trả lời cho {name} trong {s} giây',
  'net.dns.refused': '{server} từ chối truy vấn {name}',
  'net.dns.failed': 'không phân giải được {name}: {code}',
  'net.dns.mismatch': '{name} phân giải thành {addresses}, nhưng cần có {missing}',
  'net.dns.hint.notfound':
    'Kiểm tra chính tả tên miền và cấu hình máy chủ DNS của thiết bị đầu cuối hoặc máy tính, hoặc hỏi trung tâm CNTT tỉnh xem tên miền đã được khai báo trên máy chủ DNS đang dùng chưa.',
  'net.dns.hint.timeout':
    'Kiểm tra địa chỉ máy chủ DNS có đúng và tới được không (ping thử). Trên mạng truyền số liệu chuyên dùng, dùng máy chủ DNS do trung tâm CNTT tỉnh cung cấp.',
  'net.dns.hint.mismatch':
    'Tên miền trỏ tới địa chỉ khác với tệp cấu hình: bản ghi DNS cũ hoặc sai, hoặc đang dùng máy chủ DNS khác. Báo trung tâm CNTT tỉnh.',

  'net.http.ok': '{method} {url} trả về {status} ({ttfb} ms tới byte đầu tiên, tổng {total} ms)',
  'net.http.any_ok': '2xx hoặc 3xx',
  'net.http.bad_status': '{url} trả về {status}, cần {expected}',
  'net.http.missing_text': 'nội dung trả về của {url} không chứa "{text}"',
  'net.http.refused': '{url}: bị từ chối kết nối',
  'net.http.tls': '{url}: lỗi TLS {code}',
  'net.http.timeout': '{url} không trả lời trong {s} giây',
  'net.http.failed': 'không tới được {url}: {code}',
  'net.http.hint.bad_status':
    'Máy chủ web có trả lời nhưng không đúng: 4xx là sai địa chỉ hoặc đăng nhập, 5xx là máy chủ bị lỗi; báo đơn vị vận hành (trung tâm CNTT tỉnh).',
  'net.http.hint.missing_text':
    'Trang có trả lời nhưng không đúng trang cần: trang bảo trì, trang đăng nhập của mạng khách sạn/4G, hoặc trang đã thay đổi.',
  'net.http.hint.refused':
    'Không có dịch vụ ở địa chỉ đó: kiểm tra địa chỉ và cổng trong tệp cấu hình, và dịch vụ có đang chạy không.',
  'net.http.hint.tls':
    'Kiểm tra ngày giờ của máy tính trước, rồi chứng thư số của máy chủ; với thiết bị dùng chứng thư tự ký, đặt insecure_tls: true.',
  'net.http.hint.timeout':
    'Máy chủ hoặc đường truyền quá chậm: thử mở địa chỉ bằng trình duyệt, và báo trung tâm CNTT tỉnh nếu vẫn chậm.',
};
