// The check-in code as a citizen types it, and a refused check-in in plain words. No DOM, so
// tests/e2e/apps/ runs it under node.
import {minutesFrom} from '../shared/dom.js';

// The server's code alphabet: no 0/O, 1/I/L to mistake for one another.
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 6;

// What the citizen typed, as the server reads it: upper case, without spaces or dashes.
export const normalizeCode = (typed) => typed.toUpperCase().replace(/[\s-]/g, '');

export const codeIsComplete = (typed) => normalizeCode(typed).length >= CODE_LENGTH;

// The key's character when it belongs in a code ('a' types 'A'), else null.
export function codeChar(key) {
  const char = key.length === 1 ? key.toUpperCase() : '';
  return char && CODE_ALPHABET.includes(char) ? char : null;
}

// The message for a refused check-in: the server's status, and for 409 which rule said no.
// Answers [string key, variables].
export function checkInProblem(error) {
  const detail = String(error.problem?.detail || error.problem?.title || '').toLowerCase();
  switch (error.status) {
    case 0: return ['error.network'];
    case 400: case 404: case 422: return ['checkin.wrong'];
    case 429: return ['checkin.toomany', {minutes: minutesFrom(error.retryAfterSeconds || 600)}];
    case 409:
      if (detail.includes('early')) return ['checkin.early'];
      if (detail.includes('late')) return ['checkin.late'];
      if (detail.includes('already checked')) return ['checkin.already'];
      if (detail.includes('booth') || detail.includes('waiting')) return ['checkin.busy'];
      return ['checkin.late'];
    case 401: return ['revoked'];
    default: return ['error.generic'];
  }
}
