// The booth's check-in rules (web/booth/check-in-rules.js) under node: what the citizen types
// becomes the code the server reads, and each refusal gets its own plain message.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {CODE_ALPHABET, checkInProblem, codeChar, codeIsComplete, normalizeCode} from
    '../../../web/booth/check-in-rules.js';

test('a typed code is read in upper case, without spaces or dashes', () => {
  assert.equal(normalizeCode(' k7m-2q9 '), 'K7M2Q9');
  assert.equal(normalizeCode(''), '');
  assert.equal(codeIsComplete('K7M-2Q'), false, 'five characters and a dash');
  assert.equal(codeIsComplete('K7M-2Q9'), true);
});

test('only the characters of a code are typed from the keyboard', () => {
  assert.equal(codeChar('k'), 'K');
  assert.equal(codeChar('7'), '7');
  for (const confusable of ['0', 'O', 'o', '1', 'I', 'l', 'L']) {
    assert.equal(codeChar(confusable), null, `${confusable} is not in a code`);
  }
  assert.equal(codeChar('Enter'), null);
  assert.equal(codeChar('Backspace'), null);
  assert.equal(CODE_ALPHABET.length, 31);
});

// As api.js's ApiError gives them.
const refusal = (status, detail, extra = {}) => ({status, problem: detail ? {detail} : {}, ...extra});

test('each refusal of the server has its message', () => {
  assert.deepEqual(checkInProblem(refusal(0)), ['error.network']);
  for (const status of [400, 404, 422]) {
    assert.deepEqual(checkInProblem(refusal(status, 'No such appointment.')), ['checkin.wrong']);
  }
  // The server's own words (server/http/api/BoothRoutes.cpp).
  assert.deepEqual(checkInProblem(refusal(409, 'It is too early to check in for this appointment.')),
                   ['checkin.early']);
  assert.deepEqual(checkInProblem(refusal(409, 'It is too late to check in: see the counter.')),
                   ['checkin.late']);
  assert.deepEqual(checkInProblem(refusal(409, 'This appointment is already checked in.')),
                   ['checkin.already']);
  assert.deepEqual(checkInProblem(refusal(409, 'A citizen is already waiting or in a call at this booth.')),
                   ['checkin.busy']);
  assert.deepEqual(checkInProblem(refusal(401)), ['revoked']);
  assert.deepEqual(checkInProblem(refusal(500)), ['error.generic']);
});

test('too many tries says how long to wait, in whole minutes', () => {
  assert.deepEqual(checkInProblem(refusal(429, null, {retryAfterSeconds: 61})),
                   ['checkin.toomany', {minutes: 2}]);
  assert.deepEqual(checkInProblem(refusal(429, null, {retryAfterSeconds: null})),
                   ['checkin.toomany', {minutes: 10}], 'no Retry-After: ten minutes');
});
