// The agent console's offer rules (web/agent/offer-rules.js) under node: one shape for an offer
// from either source, and an available agent claims only a citizen they can serve.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {citizenWaitingFor, offerFrom} from '../../../web/agent/offer-rules.js';

test('an offer from claim-next and one from the live event have the same shape', () => {
  const claimed = offerFrom({id: 'e1', kind: 'walk_in', offer_expires_at: '2026-12-07T19:00:30Z'});
  assert.equal(claimed.id, 'e1');
  assert.equal(claimed.offer_expires_at, '2026-12-07T19:00:30Z');
  assert.equal(claimed.kind, 'walk_in');
  const pushed = offerFrom({queue_entry_id: 'e2', expires_at: '2026-12-07T19:01:00Z'});
  assert.equal(pushed.id, 'e2');
  assert.equal(pushed.offer_expires_at, '2026-12-07T19:01:00Z');
  assert.deepEqual(offerFrom(pushed), pushed, 'shown again (a new language): unchanged');
});

const me = {service_ids: ['permits'], languages: ['fr']};
const entry = (state, service_id, language) => ({state, service_id, language});

test('an available agent claims only a citizen waiting for a service and language of theirs', () => {
  assert.equal(citizenWaitingFor(me, new Map()), false, 'nobody queued');
  assert.equal(citizenWaitingFor(me, new Map([['s1', [entry('waiting', 'permits', 'fr')]]])), true);
  assert.equal(citizenWaitingFor(me, new Map([['s1', [entry('waiting', 'permits', 'en')]]])), false,
               'a language the agent does not speak');
  assert.equal(citizenWaitingFor(me, new Map([['s1', [entry('waiting', 'taxes', 'fr')]]])), false,
               'a service the agent does not serve');
  assert.equal(citizenWaitingFor(me, new Map([['s1', [entry('offered', 'permits', 'fr')]]])), false,
               'already offered to someone');
  assert.equal(citizenWaitingFor(me, new Map([['s1', [entry('accepted', 'permits', 'fr')]],
                                              ['s2', [entry('waiting', 'permits', 'fr')]]])), true,
               'at any of the sites');
  assert.equal(citizenWaitingFor({}, new Map([['s1', [entry('waiting', 'permits', 'fr')]]])), false,
               'an agent with no services or languages yet');
});
