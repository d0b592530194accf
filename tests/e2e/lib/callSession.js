// A call session between a booth and an agent, made the way people make it, through the REST API
// (CONTRACT.md): site, booth enrolment, service, agent with availability, appointment, check-in at
// the booth, the agent claims and accepts, both ask to join. Answers what each side needs to join:
// {signaling_url, join_token, ice_servers}.
import {randomUUID} from 'node:crypto';

function client(baseUrl, token) {
  return async (method, path, body, expected = [200, 201, 204]) => {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : {'Content-Type': 'application/json'}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!expected.includes(response.status)) {
      throw new Error(`${method} ${path}: ${response.status} ${text}`);
    }
    return {status: response.status, data};
  };
}

function today() {
  return new Date().toISOString().slice(0, 10);
}

export async function createCallSessionThroughApi(server) {
  const admin = client(server.baseUrl, server.adminKey);
  const tag = randomUUID().slice(0, 8);
  const site = (await admin('POST', '/sites', {
    code: `e2e-${tag}`, name_fr: 'Mairie e2e', name_en: 'Town hall e2e', timezone: 'UTC',
  })).data;
  const boothCreated = (await admin('POST', `/sites/${site.id}/booths`, {label: 'Borne 1'})).data;
  const service = (await admin('POST', '/services', {
    code: `svc-${tag}`, name_fr: 'Passeport', name_en: 'Passport', duration_minutes: 15,
    walk_in_allowed: true,
  })).data;
  const password = `pw-${randomUUID()}`;
  const email = `agent-${tag}@example.org`;
  const agent = (await admin('POST', '/agents', {
    email, display_name: 'Agent e2e', password, roles: ['agent'], site_ids: [site.id],
    service_ids: [service.id], languages: ['fr', 'en'],
  })).data;
  await admin('PUT', `/agents/${agent.id}/availability`, {
    rules: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      weekday, start: '00:00', end: '23:59', site_id: site.id,
    })),
  });

  const anonymous = client(server.baseUrl, '');
  const boothToken = (await anonymous('POST', '/booth/enroll', {
    enrollment_token: boothCreated.enrollment_token,
  })).data.booth_token;
  const agentToken = (await anonymous('POST', '/auth/login', {email, password})).data.token;
  const booth = client(server.baseUrl, boothToken);
  const agentApi = client(server.baseUrl, agentToken);
  await agentApi('PUT', '/agents/me/presence', {state: 'available'});

  // An appointment in the next slot, checked in at the booth; a walk-in when no slot is near
  // enough for the check-in window (around midnight UTC).
  const {slots} = (await admin('GET', `/sites/${site.id}/slots?service_id=${service.id}` +
                                          `&date=${today()}`)).data;
  const slot = slots.find((s) => s.available);
  let checkedIn = false;
  if (slot) {
    const appointment = (await admin('POST', '/appointments', {
      site_id: site.id, service_id: service.id, starts_at: slot.starts_at,
      citizen: {name: 'Camille Test', language: 'fr'},
    })).data;
    const checkIn = await booth('POST', '/booth/check-in', {code: appointment.check_in_code},
                                [201, 409]);
    checkedIn = checkIn.status === 201;
  }
  if (!checkedIn) {
    await booth('POST', '/booth/walk-in', {service_id: service.id, language: 'fr'}, [201]);
  }

  const claimed = await agentApi('POST', '/queue/claim-next', undefined, [200]);
  const {session_id: sessionId} =
      (await agentApi('POST', `/queue/${claimed.data.id}/accept`, undefined, [201])).data;
  return {
    via: checkedIn ? 'appointment' : 'walk-in',
    sessionId,
    boothToken,
    agentToken,
    booth: (await booth('POST', `/sessions/${sessionId}/join`, undefined, [200])).data,
    agent: (await agentApi('POST', `/sessions/${sessionId}/join`, undefined, [200])).data,
  };
}

// The agent's console holds a live-events connection, which keeps the agent present
// (presence_grace): without it, the queue clock finds the agent lost after 30 s and ends the call
// (end_reason agent_lost). A test whose call outlasts that holds one in the agent's page.
export async function holdAgentConsole(page, agentToken) {
  await page.evaluate((token) => new Promise((resolve, reject) => {
    const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/api/v1/events`);
    socket.onopen = () => socket.send(JSON.stringify({type: 'hello', token}));
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === 'hello') resolve();
      else if (message.type === 'error') reject(new Error(`live events: ${event.data}`));
    };
    socket.onclose = (event) => reject(new Error(`live events closed: ${event.code}`));
    window.vgConsole = socket;
  }), agentToken);
}
