import assert from 'node:assert/strict';
import {test} from 'node:test';

import {ApiError, createApi} from '../../../web/shared/api.js';

// A fetch that answers the given responses in turn and records the requests.
function fakeFetch(...responses) {
  const requests = [];
  const fetchImpl = async (url, init) => {
    requests.push({url, ...init});
    const next = responses.shift();
    if (next instanceof Error) throw next;
    return next;
  };
  return {requests, fetchImpl};
}

const json = (status, body, headers = {}) => new Response(
    body === undefined ? null : JSON.stringify(body),
    {status, headers: {'Content-Type': 'application/json', ...headers}});

test('sends JSON with the bearer token and answers the parsed body with its ETag', async () => {
  const {requests, fetchImpl} = fakeFetch(json(201, {id: 'a1', version: 1}, {ETag: '"1"'}));
  const api = createApi({token: 'agent-token', fetchImpl});
  const created = await api.post('/appointments', {site_id: 's'}, {idempotencyKey: 'k1'});
  assert.deepEqual({...created}, {id: 'a1', version: 1});
  assert.equal(created.etag, '"1"');
  assert.equal(requests[0].url, '/api/v1/appointments');
  assert.equal(requests[0].method, 'POST');
  assert.equal(requests[0].headers.Authorization, 'Bearer agent-token');
  assert.equal(requests[0].headers['Content-Type'], 'application/json');
  assert.equal(requests[0].headers['Idempotency-Key'], 'k1');
  assert.equal(requests[0].body, '{"site_id":"s"}');
});

test('no body, no content type; If-Match passed; 204 answers null', async () => {
  const {requests, fetchImpl} = fakeFetch(new Response(null, {status: 204}));
  const api = createApi({fetchImpl});
  api.setToken('t2');
  assert.equal(await api.patch('/appointments/a1', undefined, {ifMatch: '"3"'}), null);
  assert.equal(requests[0].headers.Authorization, 'Bearer t2');
  assert.equal(requests[0].headers['If-Match'], '"3"');
  assert.equal(requests[0].headers['Content-Type'], undefined);
});

test('a problem+json refusal becomes an ApiError with its fields', async () => {
  const problem = {type: 'x', title: 'Unprocessable Content', status: 422,
                   detail: 'starts_at is not a slot start',
                   errors: [{field: 'starts_at', message: 'not on the grid'}]};
  const {fetchImpl} = fakeFetch(
      new Response(JSON.stringify(problem),
                   {status: 422, headers: {'Content-Type': 'application/problem+json'}}),
      new Response(JSON.stringify({title: 'Too Many Requests', status: 429}),
                   {status: 429, headers: {'Retry-After': '30'}}));
  const api = createApi({fetchImpl});
  await assert.rejects(api.post('/appointments', {}), (error) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 422);
    assert.equal(error.message, 'starts_at is not a slot start');
    assert.deepEqual(error.fieldErrors, problem.errors);
    return true;
  });
  await assert.rejects(api.post('/booth/check-in', {code: '1'}), (error) => {
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterSeconds, 30);
    return true;
  });
});

test('an unreachable server is status 0', async () => {
  const {fetchImpl} = fakeFetch(new TypeError('fetch failed'));
  await assert.rejects(createApi({fetchImpl}).get('/booth/state'), (error) => {
    assert.equal(error.status, 0);
    assert.match(error.message, /fetch failed/);
    return true;
  });
});
