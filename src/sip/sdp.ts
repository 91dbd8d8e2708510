/**
 * Just enough SDP (RFC 4566 / 3264) for a simulated bridge and a simulated
 * codec: an offer with audio and video, and an answer that mirrors the
 * offer's m-lines (same count and order, first payload of each), since an
 * answer must have exactly as many m-lines as the offer.
 */
const addrType = (address: string) => (address.includes(':') ? 'IP6' : 'IP4');

function head(address: string, user: string): string[] {
  const id = Math.floor(Date.now() / 1000);
  return [
    'v=0',
    `o=${user} ${id} ${id} IN ${addrType(address)} ${address}`,
    's=diemcau',
    `c=IN ${addrType(address)} ${address}`,
    't=0 0',
  ];
}

export function offerSdp(address: string, audioPort: number, user = 'diemcau'): string {
  return `${[
    ...head(address, user),
    `m=audio ${audioPort} RTP/AVP 9 0 8 101`,
    'a=rtpmap:9 G722/8000',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=sendrecv',
    `m=video ${audioPort + 2} RTP/AVP 96`,
    'a=rtpmap:96 H264/90000',
    'a=sendrecv',
  ].join('\r\n')}\r\n`;
}

export function answerSdp(offer: string, address: string, basePort: number, user = 'diemcau-bridge'): string {
  const lines = offer.split(/\r?\n/);
  const media = lines.filter((l) => l.startsWith('m='));
  if (media.length === 0) return offerSdp(address, basePort, user);
  const out = head(address, user);
  media.forEach((m, i) => {
    const [kind = 'audio', , proto = 'RTP/AVP', first = '0'] = m.slice(2).split(' ');
    out.push(`m=${kind} ${basePort + 2 * i} ${proto} ${first}`);
    const rtpmap = lines.find((l) => l.startsWith(`a=rtpmap:${first} `));
    if (rtpmap) out.push(rtpmap);
    out.push('a=sendrecv');
  });
  return `${out.join('\r\n')}\r\n`;
}
