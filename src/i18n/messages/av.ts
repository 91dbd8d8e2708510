/** The microphone and camera checks (mic.*, cam.*) and what they share about ffmpeg (av.*). */
export const en = {
  'av.err.no_ffmpeg': 'ffmpeg was not found on PATH; it is needed to test the microphone and camera',
  'av.err.no_ffmpeg_at': "ffmpeg was not found at {path} (the profile's `ffmpeg:`)",
  'av.err.spawn': 'cannot start ffmpeg ({path}): {reason}',
  'av.err.no_output': 'ffmpeg ({path}) ran but printed no measurement',
  'av.err.bad_input':
    '`input:` must be "format:target", such as lavfi:testsrc or v4l2:/dev/video1 (got {input})',
  'av.err.aborted': 'stopped before the capture ended',
  'av.hint.install_ffmpeg':
    'Install ffmpeg ({how}), or set `ffmpeg:` in the profile to the full path of ffmpeg.',

  'mic.present': 'microphone found: {device}',
  'mic.none': 'no microphone found on this machine',
  'mic.levels': 'microphone {device}: level {level} dBFS, peak {peak} dBFS',
  'mic.silent': 'NO SOUND (below {limit} dBFS)',
  'mic.clipping': 'TOO LOUD, clipping ({value} % of samples at full scale)',
  'mic.err.not_found': 'microphone "{device}" not found (found: {found})',
  'mic.err.timeout': 'ffmpeg did not finish recording from {device} within {s} s',
  'mic.err.ffmpeg': 'ffmpeg could not record from {device} (exit status {code}): {reason}',
  'mic.hint.none':
    "Plug in the microphone or the USB sound card (or the mixer's output to the PC), check it shows in the sound settings, then run the check again.",
  'mic.hint.silent':
    'No sound from the microphone: check it is switched on and not muted (mute button, mixer channel, sound settings), its cable or USB plug, and that the right input is selected; speak into it during the check.',
  'mic.hint.clip':
    'The microphone is too loud and clips (crackling sound for the other sites): lower the input gain on the mixer or in the sound settings, or move the microphone away from the loudspeaker.',
  'mic.hint.busy':
    'Close other programs that use the microphone (the video-conference client, a recorder), unplug and replug it, and check the name in `device:`.',

  'cam.present': 'camera found: {device}',
  'cam.none': 'no camera found on this machine',
  'cam.measured': 'camera {device}: {size} at {fps} fps, black {black} %, frozen {frozen} %',
  'cam.black': 'BLACK PICTURE',
  'cam.frozen': 'FROZEN PICTURE',
  'cam.slow': 'TOO FEW FRAMES ({value} fps, needs {limit})',
  'cam.breach': '{metric} {value} beyond the limit {limit}',
  'cam.no_frames': 'camera {device} delivered no picture',
  'cam.err.not_found': 'camera "{device}" not found (found: {found})',
  'cam.err.timeout': 'ffmpeg did not finish grabbing from {device} within {s} s',
  'cam.err.ffmpeg': 'ffmpeg could not open {device} (exit status {code}): {reason}',
  'cam.hint.none':
    "Plug in the camera (USB or the capture card's HDMI cable), check its power, then run the check again.",
  'cam.hint.black':
    'The picture is black: open the lens cap or privacy shutter, check the camera is on and pointed at the room, and turn on the room lights.',
  'cam.hint.frozen':
    'The picture is frozen: unplug and replug the camera (USB or HDMI), close other programs that use it, and restart the video-conference client.',
  'cam.hint.fps':
    'Too few frames per second: the room may be too dark (the camera slows down), the USB port too slow (use a USB 3 port, no hub), or the computer too busy.',
  'cam.hint.size':
    'The picture is smaller than this site needs: check the camera model and its cable (a USB 2 port or a poor HDMI cable lowers the resolution).',
  'cam.hint.busy':
    'Close other programs that use the camera (the video-conference client), unplug and replug it, and check the name in `device:`.',
} as const;

export const vi: Record<keyof typeof en, string> = {
  'av.err.no_ffmpeg': 'không tìm thấy ffmpeg trong PATH; cần ffmpeg để kiểm tra micro và camera',
  'av.err.no_ffmpeg_at': 'không tìm thấy ffmpeg tại {path} (mục `ffmpeg:` trong tệp cấu hình)',
  'av.err.spawn': 'không chạy được ffmpeg ({path}): {reason}',
  'av.err.no_output': 'ffmpeg ({path}) đã chạy nhưng không in ra số đo nào',
  'av.err.bad_input':
    '`input:` phải có dạng "định_dạng:nguồn", ví dụ lavfi:testsrc hoặc v4l2:/dev/video1 (đang là {input})',
  'av.err.aborted': 'đã dừng trước khi thu xong',
  'av.hint.install_ffmpeg':
    'Cài ffmpeg ({how}), hoặc ghi đường dẫn đầy đủ của ffmpeg vào mục `ffmpeg:` trong tệp cấu hình.',

  'mic.present': 'có micro: {device}',
  'mic.none': 'máy này không có micro nào',
  'mic.levels': 'micro {device}: mức âm {level} dBFS, đỉnh {peak} dBFS',
  'mic.silent': 'KHÔNG CÓ TIẾNG (dưới {limit} dBFS)',
  'mic.clipping': 'TIẾNG QUÁ TO, bị rè/méo ({value} % mẫu chạm mức tối đa)',
  'mic.err.not_found': 'không tìm thấy micro "{device}" (chỉ có: {found})',
  'mic.err.timeout': 'ffmpeg không thu xong từ {device} trong {s} giây',
  'mic.err.ffmpeg': 'ffmpeg không thu được từ {device} (mã thoát {code}): {reason}',
  'mic.hint.none':
    'Cắm micro hoặc card âm thanh USB (hoặc đường ra của mixer vào máy tính), kiểm tra thiết bị hiện trong phần cài đặt âm thanh, rồi chạy lại.',
  'mic.hint.silent':
    'Micro không có tiếng: kiểm tra micro đã bật và không bị tắt tiếng (nút mute, kênh trên mixer, cài đặt âm thanh), dây hoặc cổng USB, và đã chọn đúng đầu vào; nói vào micro trong lúc kiểm tra.',
  'mic.hint.clip':
    'Micro quá to và bị méo (các điểm cầu khác nghe rè): giảm mức thu (gain) trên mixer hoặc trong cài đặt âm thanh, hoặc đặt micro xa loa.',
  'mic.hint.busy':
    'Đóng các chương trình khác đang dùng micro (phần mềm họp trực tuyến, phần mềm ghi âm), rút ra cắm lại, và kiểm tra tên ở `device:`.',

  'cam.present': 'có camera: {device}',
  'cam.none': 'máy này không có camera nào',
  'cam.measured': 'camera {device}: {size}, {fps} hình/giây, đen {black} %, đứng hình {frozen} %',
  'cam.black': 'HÌNH ĐEN',
  'cam.frozen': 'ĐỨNG HÌNH',
  'cam.slow': 'QUÁ ÍT HÌNH ({value} hình/giây, cần {limit})',
  'cam.breach': '{metric} {value} vượt ngưỡng {limit}',
  'cam.no_frames': 'camera {device} không cho ra hình',
  'cam.err.not_found': 'không tìm thấy camera "{device}" (chỉ có: {found})',
  'cam.err.timeout': 'ffmpeg không lấy xong hình từ {device} trong {s} giây',
  'cam.err.ffmpeg': 'ffmpeg không mở được {device} (mã thoát {code}): {reason}',
  'cam.hint.none':
    'Cắm camera (cổng USB hoặc cáp HDMI vào card ghi hình), kiểm tra nguồn của camera, rồi chạy lại.',
  'cam.hint.black':
    'Hình bị đen: mở nắp che ống kính, kiểm tra camera đã bật và quay đúng vào phòng họp, bật đèn phòng.',
  'cam.hint.frozen':
    'Hình bị đứng: rút ra cắm lại camera (USB hoặc HDMI), đóng các chương trình khác đang dùng camera, khởi động lại phần mềm họp trực tuyến.',
  'cam.hint.fps':
    'Quá ít hình mỗi giây: phòng có thể quá tối (camera tự chậm lại), cổng USB chậm (dùng cổng USB 3, không qua bộ chia), hoặc máy tính đang quá tải.',
  'cam.hint.size':
    'Độ phân giải thấp hơn mức điểm cầu cần: kiểm tra loại camera và dây (cổng USB 2 hoặc cáp HDMI kém làm giảm độ phân giải).',
  'cam.hint.busy':
    'Đóng các chương trình khác đang dùng camera (phần mềm họp trực tuyến), rút ra cắm lại, và kiểm tra tên ở `device:`.',
};
