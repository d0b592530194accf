// Reads an e-mail as a mail program would: unfolded headers, encoded words (RFC 2047) decoded,
// MIME parts (RFC 2046) flattened with their bodies decoded (base64 or as they are).
function headerBlock(text) {
  const unfolded = text.replace(/\r\n[ \t]+/g, (m) => (m.endsWith('\t') ? '\t' : ' '));
  const headers = new Map();
  for (const line of unfolded.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

export function decodeWords(value) {
  return value
      .replace(/\?=\s+=\?/g, '?==?')  // whitespace between encoded words is not text
      .replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, b64) => Buffer.from(b64, 'base64').toString('utf8'));
}

function parameter(value, name) {
  const match = new RegExp(`${name}="?([^";]+)"?`, 'i').exec(value || '');
  return match ? match[1] : null;
}

function parseEntity(raw, parts) {
  const split = raw.indexOf('\r\n\r\n');
  const headers = headerBlock(raw.slice(0, split));
  const body = raw.slice(split + 4);
  const type = headers.get('content-type') || 'text/plain';
  if (type.toLowerCase().startsWith('multipart/')) {
    const boundary = parameter(type, 'boundary');
    const pieces = body.split(`--${boundary}`);
    for (const piece of pieces.slice(1)) {
      if (piece.startsWith('--')) break;
      parseEntity(piece.replace(/^\r\n/, ''), parts);
    }
    return headers;
  }
  const encoding = (headers.get('content-transfer-encoding') || '').toLowerCase();
  const content = encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
                                        : Buffer.from(body, 'binary');
  parts.push({type, filename: parameter(headers.get('content-disposition'), 'filename'),
              text: content.toString('utf8')});
  return headers;
}

export function parseMail(raw) {
  const parts = [];
  const headers = parseEntity(raw, parts);
  return {headers, subject: decodeWords(headers.get('subject') || ''), parts,
          part: (prefix) => parts.find((p) => p.type.toLowerCase().startsWith(prefix))};
}
