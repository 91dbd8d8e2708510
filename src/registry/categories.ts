/**
 * The incident vocabulary of docs/design.md §6: codes are the same in both
 * languages (JSON, CSV, the API); labels are what technicians say. Light on
 * purpose: the CLI prompts and the server both import it. The codes
 * themselves are the model's (src/model/constants.ts).
 */
import type { IncidentCategory, IncidentStatus } from '../model/incident.js';

export const CATEGORY_LABELS: Record<IncidentCategory, { vi: string; en: string }> = {
  khong_hinh: { vi: 'Không có hình', en: 'No picture' },
  khong_tieng: { vi: 'Không có tiếng', en: 'No sound' },
  mat_ket_noi: { vi: 'Mất kết nối', en: 'Connection lost' },
  tieng_vong: { vi: 'Tiếng vọng', en: 'Echo' },
  hu_rit: { vi: 'Hú rít', en: 'Feedback howl' },
  tieng_re: { vi: 'Âm thanh rè/nhỏ', en: 'Crackly or quiet sound' },
  tre_tieng: { vi: 'Trễ tiếng / lệch hình', en: 'Audio delay / out of sync' },
  chap_chon: { vi: 'Chập chờn / đứng hình', en: 'Intermittent / frozen picture' },
  su_co_duong_truyen: { vi: 'Sự cố đường truyền', en: 'Transmission-line fault' },
  mat_dien: { vi: 'Mất điện', en: 'Power cut' },
  su_co_mcu: { vi: 'Sự cố MCU', en: 'MCU fault' },
  khac: { vi: 'Khác', en: 'Other' },
};

/** Allowed moves: forward only; a quick fix may go straight from open to resolved. */
export const TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
  open: ['acknowledged', 'resolved'],
  acknowledged: ['resolved'],
  resolved: [],
};

export function canMove(from: IncidentStatus, to: IncidentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}
