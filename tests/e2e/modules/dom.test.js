// The time helpers of web/shared/dom.js that both apps' countdowns and tables use.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {localDate, minutesFrom, secondsLeft} from '../../../web/shared/dom.js';

test('a countdown shows whole seconds, rounded up, never below zero', () => {
  assert.equal(secondsLeft(10000, 0), 10);
  assert.equal(secondsLeft(10000, 9001), 1, 'the last part of a second still shows 1');
  assert.equal(secondsLeft(10000, 10000), 0);
  assert.equal(secondsLeft(10000, 12000), 0, 'past the deadline');
});

test('a wait shows whole minutes, rounded up, at least one', () => {
  assert.equal(minutesFrom(0), 1);
  assert.equal(minutesFrom(60), 1);
  assert.equal(minutesFrom(61), 2);
});

test("today's date is the site's, not the browser's", () => {
  const lateEvening = new Date('2026-12-08T03:30:00Z');  // 22:30 on the 7th in Montréal
  assert.equal(localDate('America/Toronto', lateEvening), '2026-12-07');
  assert.equal(localDate('UTC', lateEvening), '2026-12-08');
});
