// Messages to citizens through a real SMTP relay (Debian's python3-aiosmtpd, smtp_relay.py:
// STARTTLS required, AUTH, a certificate of the test's own CA): an appointment booked through the
// REST API gives exactly one confirmation e-mail; the code read from that e-mail checks in at the
// booth, and its .ics starts when the appointment does. Two nodes on one outbox send every message
// once; a relay that refuses for a while gets the messages after it recovers, none twice. An SMS
// booking gives one signed webhook call. The personal link, in Chromium: cancel, move, and a
// tampered link that shows nothing.
import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import {createHmac} from 'node:crypto';
import {createServer} from 'node:http';
import {mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync,
        writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';

import {restClient, setUpSite, siteDate} from '../journey/admin.js';
import {checkAccessibility, watchConsole} from '../journey/pages.js';
import {launchBrowser} from '../lib/browser.js';
import {createDatabase} from '../lib/database.js';
import {startServer} from '../lib/server.js';
import {parseMail} from './mail.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const RELAY_PORT = 2525;
const WEBHOOK_PORT = 18099;
const WEBHOOK_SECRET = 'sms-webhook-secret-of-the-test';
const SECOND_NODE = {
  VISIOGUICHET_HTTP_ADDR: '127.0.0.1:18081', VISIOGUICHET_RTC_ADDR: '127.0.0.1:40001',
  VISIOGUICHET_ADMIN_ADDR: '127.0.0.1:9091',
};

let work, maildir, relay, webhook, database, server, second, setup, browser;
const smsCalls = [];  // what the SMS gateway's adapter received: {signature, body}

function mails() {
  return readdirSync(maildir).filter((f) => f.endsWith('.eml')).sort()
      .map((f) => parseMail(readFileSync(join(maildir, f), 'latin1')));
}

async function until(what, check, timeout = 20000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

// Free slots of the site from now on, soonest first, over today and the next days.
async function freeSlots(admin, count) {
  const found = [];
  for (let day = 0; found.length < count && day < 7; ++day) {
    const date = siteDate(setup.site.timezone, new Date(Date.now() + day * 86400000));
    const {slots} = await admin('GET',
        `/sites/${setup.site.id}/slots?service_id=${setup.service.id}&date=${date}`);
    found.push(...slots.filter((s) => s.available).map((s) => s.starts_at));
  }
  return found.slice(0, count);
}

function book(admin, startsAt, email, language = 'fr', phone = undefined) {
  return admin('POST', '/appointments', {
    site_id: setup.site.id, service_id: setup.service.id, starts_at: startsAt,
    citizen: {name: 'Camille Gagnon', language, email, phone},
  });
}

const codeIn = (text) => /(?:code d’enregistrement|check-in code)\s*:\s*([A-Z0-9]+)/i.exec(text)?.[1];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'vg-messages-'));
  maildir = join(work, 'mail');
  mkdirSync(maildir);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
                           '-nodes', '-keyout', join(work, 'key.pem'), '-out',
                           join(work, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1',
                           '-addext', 'subjectAltName=IP:127.0.0.1'], {stdio: 'ignore'});
  writeFileSync(join(work, 'smtp-password'), 'relay-password\n');
  relay = spawn('/usr/bin/python3', [join(here, 'smtp_relay.py'), String(RELAY_PORT), maildir,
                                     join(work, 'cert.pem'), join(work, 'key.pem'), 'visio',
                                     'relay-password'], {stdio: ['ignore', 'pipe', 'inherit']});
  await new Promise((resolve, reject) => {
    relay.stdout.once('data', resolve);
    relay.once('exit', (code) => reject(new Error(`the SMTP relay exited (${code})`)));
  });
  // The SMS gateway's adapter: records each call with its signature header.
  webhook = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      smsCalls.push({signature: request.headers['x-visioguichet-signature'],
                     type: request.headers['content-type'], body: Buffer.concat(chunks)});
      response.writeHead(202).end();
    });
  });
  await new Promise((resolve) => webhook.listen(WEBHOOK_PORT, '127.0.0.1', resolve));
  database = createDatabase();
  const env = {
    VISIOGUICHET_SMTP_URL: `smtp://visio@127.0.0.1:${RELAY_PORT}`,
    VISIOGUICHET_SMTP_PASSWORD_FILE: join(work, 'smtp-password'),
    VISIOGUICHET_SMTP_CA_FILE: join(work, 'cert.pem'),
    VISIOGUICHET_MAIL_FROM: 'Visioguichet <rendez-vous@example.org>',
    VISIOGUICHET_MESSAGE_RETRY_SECONDS: '1',
    // No reminders here (tests/unit/messaging OutboxTest has them, on a clock of its own): one
    // could fall inside a test and be counted as a second message.
    VISIOGUICHET_REMINDER_OFFSETS: '',
    VISIOGUICHET_PUBLIC_URL: 'http://127.0.0.1:18080',
    VISIOGUICHET_SMS_WEBHOOK_URL: `http://127.0.0.1:${WEBHOOK_PORT}/sms`,
    VISIOGUICHET_SMS_WEBHOOK_SECRET: WEBHOOK_SECRET,
  };
  const artifacts = process.env.VG_E2E_ARTIFACTS;
  server = await startServer({databaseUrl: database.url, artifacts, env});
  second = await startServer({databaseUrl: database.url, artifacts, logName: 'server-2.log',
                              env: {...env, ...SECOND_NODE}});
  setup = await setUpSite(server);
});

after(async () => {
  await browser?.close();
  await second?.stop();
  await server?.stop();
  relay?.kill('SIGTERM');
  webhook?.close();
  database?.drop();
  if (work) rmSync(work, {recursive: true, force: true});
});

test('a booking gives exactly one confirmation e-mail whose code checks in', {timeout: 90000},
     async () => {
  const {admin, site, booth} = setup;
  // The next slot, inside the check-in window (the next 29 minutes) when there is one.
  const [startsAt] = await freeSlots(admin, 1);
  const appointment = await book(admin, startsAt, 'camille@example.org');

  const [mail] = await until('the confirmation', () => mails().length >= 1 && mails());
  await sleep(3000);  // both nodes polled several times meanwhile
  assert.equal(mails().length, 1, 'one booking, one e-mail');
  assert.equal(mail.headers.get('to'), 'camille@example.org');
  assert.match(mail.headers.get('from'), /rendez-vous@example\.org/);
  assert.match(mail.headers.get('message-id'), /^<[0-9a-f-]{36}@example\.org>$/);
  assert.ok(!Number.isNaN(Date.parse(mail.headers.get('date'))), 'a Date header mail readers read');
  assert.match(mail.headers.get('subject'), /^=\?UTF-8\?B\?/, 'accents travel as encoded words');
  assert.match(mail.subject, /^Votre rendez-vous du .+ — Bureau municipal de Nicolet$/);

  const text = mail.part('text/plain').text;
  const html = mail.part('text/html').text;
  const code = codeIn(text);
  assert.equal(code, appointment.check_in_code, 'the e-mail carries the booking\'s code');
  assert.ok(html.includes(code));
  assert.match(text, /http:\/\/127\.0\.0\.1:18080\/visit\/#[A-Za-z0-9_-]{48}/);
  const local = new Intl.DateTimeFormat('fr-CA', {timeZone: site.timezone, hour: 'numeric',
                                                   minute: '2-digit', hourCycle: 'h23'})
      .formatToParts(new Date(appointment.starts_at));
  const hour = Number(local.find((p) => p.type === 'hour').value);
  const minute = local.find((p) => p.type === 'minute').value;
  assert.ok(text.includes(`Heure : ${hour} h${minute === '00' ? '' : ` ${minute}`}`),
            `the local time at the site (${hour} h ${minute}) in:\n${text}`);

  const ics = mail.parts.find((p) => p.filename === 'rendez-vous.ics');
  assert.ok(ics, 'an .ics attachment');
  assert.match(ics.type, /^text\/calendar/);
  const dtstart = /\r\nDTSTART:(\d{8}T\d{6}Z)\r\n/.exec(ics.text)[1];
  assert.equal(dtstart, appointment.starts_at.replace(/[-:]/g, ''), 'the event starts with the visit');

  const {messages} = await admin('GET', `/messages?appointment_id=${appointment.id}`);
  assert.deepEqual(messages.map((m) => [m.kind, m.channel, m.state, m.attempts]),
                   [['confirmation', 'email', 'sent', 1]]);
  const metrics = async (addr) => (await (await fetch(`http://${addr}/metrics`)).text());
  const sent = [await metrics('127.0.0.1:9090'), await metrics(SECOND_NODE.VISIOGUICHET_ADMIN_ADDR)]
      .map((t) => Number(/^vg_messages_sent_total\{channel="email"\} (\d+)/m.exec(t)[1]));
  assert.equal(sent[0] + sent[1], 1, 'counted once in /metrics over both nodes');

  // The citizen types the code from the e-mail at the booth, in Chromium.
  browser ??= await launchBrowser();
  const page = await browser.newPage();
  const watched = watchConsole(page, 'booth');
  await page.goto(`${server.baseUrl}/booth/#enroll=${encodeURIComponent(booth.enrollment_token)}`);
  await page.waitForSelector('body[data-screen="welcome"]');
  await page.click('#go-checkin');
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  if (Date.parse(appointment.starts_at) - Date.now() < 29 * 60000) {
    await page.waitForSelector('body[data-screen="waiting"]');
    await page.locator('#waiting-position', {hasText: 'numéro 1'}).waitFor();
    const {status} = await admin('GET', `/appointments/${appointment.id}`);
    assert.equal(status, 'checked_in');
  } else {
    // Around midnight no slot is near enough: the code is known, only too early.
    await page.locator('#checkin-error', {hasText: 'trop tôt'}).waitFor();
  }
  watched.assertClean();
  await page.close();
});

test('two nodes send every message once, also after a relay that refused for a while',
     {timeout: 90000}, async () => {
  const {admin} = setup;
  const before = mails().length;
  writeFileSync(join(maildir, 'refuse'), '');
  const booked = [];
  for (const startsAt of await freeSlots(admin, 12)) {
    booked.push(await book(admin, startsAt, `c${booked.length}@example.org`,
                           booked.length % 2 ? 'en' : 'fr'));
  }
  // Both nodes try and fail while the relay refuses: the messages wait, none is lost.
  await until('failed attempts', async () => {
    const {messages} = await admin('GET', `/messages?appointment_id=${booked[0].id}`);
    return messages[0].attempts >= 1 && messages[0].last_error;
  });
  assert.equal(mails().length, before);
  const {messages: waiting} = await admin('GET', `/messages?appointment_id=${booked[0].id}`);
  assert.equal(waiting[0].state, 'pending');
  assert.match(waiting[0].last_error, /451/);

  unlinkSync(join(maildir, 'refuse'));
  await until('every message', () => mails().length >= before + booked.length, 60000);
  await sleep(3000);
  const received = mails().slice(before);
  assert.equal(received.length, booked.length, 'each message once');
  const codes = received.map((m) => codeIn(m.part('text/plain').text)).sort();
  assert.deepEqual(codes, booked.map((a) => a.check_in_code).sort());
  const english = received.find((m) => m.headers.get('to') === 'c1@example.org');
  assert.match(english.subject, /^Your appointment on /);
  assert.ok(english.parts.find((p) => p.filename === 'appointment.ics'));
  for (const a of booked) {
    const {messages} = await admin('GET', `/messages?appointment_id=${a.id}`);
    assert.equal(messages.length, 1);
    assert.equal(messages[0].state, 'sent');
    assert.equal(messages[0].last_error, null);
  }
});

test('an SMS booking gives one signed webhook call with the code', {timeout: 60000}, async () => {
  const {admin} = setup;
  const mailsBefore = mails().length;
  const [startsAt] = (await freeSlots(admin, 40)).slice(-1);
  const appointment = await book(admin, startsAt, undefined, 'en', '+1 819 555-0100');
  await until('the SMS', () => smsCalls.length >= 1);
  await sleep(3000);
  assert.equal(smsCalls.length, 1, 'one booking, one SMS');
  assert.equal(mails().length, mailsBefore, 'no e-mail address, no e-mail');
  const [call] = smsCalls;
  const expected = 'sha256=' + createHmac('sha256', WEBHOOK_SECRET).update(call.body).digest('hex');
  assert.equal(call.signature, expected, 'signed with the shared secret over the exact body');
  assert.match(call.type, /^application\/json/);
  const sms = JSON.parse(call.body.toString('utf8'));
  assert.deepEqual(Object.keys(sms).sort(), ['language', 'text', 'to']);
  assert.equal(sms.to, '+1 819 555-0100');
  assert.equal(sms.language, 'en');
  assert.ok(sms.text.includes(`Code ${appointment.check_in_code}`), sms.text);
  assert.match(sms.text, /http:\/\/127\.0\.0\.1:18080\/visit\/#[A-Za-z0-9_-]{48}/);
  assert.ok(sms.text.length <= 160, `one SMS: ${sms.text.length} characters`);
  const {messages} = await admin('GET', `/messages?appointment_id=${appointment.id}`);
  assert.deepEqual(messages.map((m) => [m.kind, m.channel, m.state]),
                   [['confirmation', 'sms', 'sent']]);
});

// The personal link of the newest e-mail to this address.
async function linkFor(address, count = 1) {
  const mail = await until(`e-mail ${count} to ${address}`, () => {
    const to = mails().filter((m) => m.headers.get('to') === address);
    return to.length >= count && to[count - 1];
  });
  return /(http:\/\/127\.0\.0\.1:18080\/visit\/#[A-Za-z0-9_-]{48})/.exec(mail.part('text/plain').text)[1];
}

async function visitPage(url, name) {
  browser ??= await launchBrowser();
  const page = await browser.newPage();
  await page.setViewportSize({width: 390, height: 844});  // a phone
  const watched = watchConsole(page, name);
  await page.goto(url);
  return {page, watched};
}

test('the citizen cancels from the link of the e-mail: cancelled, one cancellation message',
     {timeout: 90000}, async () => {
  const {admin} = setup;
  const [startsAt] = (await freeSlots(admin, 50)).slice(-1);
  const appointment = await book(admin, startsAt, 'annulation@example.org');
  const {page, watched} = await visitPage(await linkFor('annulation@example.org'), 'visit-cancel');
  await page.getByRole('heading', {name: 'Votre rendez-vous'}).waitFor();
  assert.equal(await page.textContent('#fact-code'), appointment.check_in_code);
  await checkAccessibility(page, 'visit (fr)');
  await page.getByRole('button', {name: 'Annuler le rendez-vous'}).click();
  await page.getByText('Indiquez un motif.').waitFor();  // nothing is sent without a reason
  await page.getByLabel('Motif de l’annulation').fill('Je serai à l’extérieur');
  await page.getByRole('button', {name: 'Annuler le rendez-vous'}).click();
  await page.getByRole('heading', {name: 'Rendez-vous annulé'}).waitFor();
  await checkAccessibility(page, 'visit cancelled');
  const now = await admin('GET', `/appointments/${appointment.id}`);
  assert.equal(now.status, 'cancelled');
  assert.equal(now.cancel_reason, 'Je serai à l’extérieur');
  const cancellation = await until('the cancellation', () => mails().find(
      (m) => m.headers.get('to') === 'annulation@example.org' && /annulé/.test(m.subject)));
  assert.match(cancellation.part('text/plain').text, /Motif : Je serai à l’extérieur/);
  assert.match(cancellation.parts.find((p) => p.filename).text, /\r\nMETHOD:CANCEL\r\n/);
  await sleep(2000);
  assert.equal(mails().filter((m) => m.headers.get('to') === 'annulation@example.org').length, 2,
               'the confirmation and one cancellation');
  watched.assertClean();
  await page.close();
});

test('the citizen moves the visit: old slot free again, new one taken, one moved message',
     {timeout: 90000}, async () => {
  const {admin, site, service} = setup;
  const free = await freeSlots(admin, 60);
  const [from] = free.slice(-2, -1);
  const appointment = await book(admin, from, 'deplacement@example.org', 'en');
  const {page, watched} = await visitPage(await linkFor('deplacement@example.org'), 'visit-move');
  await page.getByRole('heading', {name: 'Your appointment'}).waitFor();  // the citizen's language
  await checkAccessibility(page, 'visit (en)');
  const slotsOf = async (iso) => (await admin('GET',
      `/sites/${site.id}/slots?service_id=${service.id}&date=${siteDate(site.timezone, new Date(iso))}`)).slots;
  const availableAt = async (iso) => (await slotsOf(iso)).find((s) => s.starts_at === iso).available;
  assert.equal(await availableAt(from), 0, 'the booked slot is taken (one booth)');
  const date = siteDate(site.timezone, new Date(from));
  await page.getByLabel('New date').fill(date);
  await page.getByRole('button', {name: 'See free times'}).click();
  await page.getByRole('group', {name: 'Free times'}).waitFor();
  const offered = await page.$$eval('#slots input', (inputs) => inputs.map((i) => i.value));
  assert.ok(!offered.includes(from), 'its own slot is not offered');
  const to = offered.find((t) => t !== from);
  await page.check(`#slots input[value="${to}"]`);
  await checkAccessibility(page, 'visit slots');
  await page.getByRole('button', {name: 'Move to this time'}).click();
  await page.getByText(/Appointment moved to/).waitFor();
  const moved = await admin('GET', `/appointments/${appointment.id}`);
  assert.equal(moved.status, 'booked');
  assert.equal(moved.starts_at, to);
  assert.ok(await availableAt(from) > 0, 'the old slot is free again');
  assert.equal(await availableAt(to), 0, 'the new slot is taken');
  const movedMail = await until('the moved message', () => mails().find(
      (m) => m.headers.get('to') === 'deplacement@example.org' && /moved/.test(m.subject)));
  const ics = movedMail.parts.find((p) => p.filename === 'appointment.ics').text;
  assert.equal(/\r\nDTSTART:(\d{8}T\d{6}Z)\r\n/.exec(ics)[1], to.replace(/[-:]/g, ''));
  assert.match(ics, /\r\nSEQUENCE:2\r\n/);
  await sleep(2000);
  assert.equal(mails().filter((m) => m.headers.get('to') === 'deplacement@example.org').length, 2,
               'the confirmation and one moved message');
  const {messages} = await admin('GET', `/messages?appointment_id=${appointment.id}`);
  assert.deepEqual(messages.map((m) => m.kind), ['confirmation', 'moved']);
  watched.assertClean();
  await page.close();
});

test('a tampered or truncated link gets a clear page and no data', {timeout: 60000}, async () => {
  const link = await linkFor('c3@example.org');
  const token = link.split('#')[1];
  const tampered = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
  const anonymous = restClient(server.baseUrl);
  for (const bad of [tampered, token.slice(0, 47), '']) {
    const response = await fetch(`${server.baseUrl}/api/v1/visit`,
                                 {headers: {Authorization: `Bearer ${bad}`}});
    assert.equal(response.status, 401);
    assert.match(response.headers.get('content-type'), /^application\/problem\+json/);
    const body = await response.text();
    assert.ok(!/check_in_code|starts_at/.test(body), 'a refusal shows nothing of the visit');
  }
  await anonymous('GET', '/visit', undefined, [401]);
  const {page, watched} = await visitPage(`${server.baseUrl}/visit/#${tampered}`, 'visit-tampered');
  await page.getByRole('heading', {name: 'Ce lien ne fonctionne plus'}).waitFor();
  assert.equal(await page.textContent('#fact-code'), '');
  await checkAccessibility(page, 'visit invalid');
  watched.assertClean();
  await page.close();
});

// A reminder at its offset: a third node whose reminder_offsets put the visit's reminder about
// half a minute after the booking (offsets are whole minutes). Last in this file, and the node is
// stopped at its end, so its reminders cannot be counted in the tests above.
test('a reminder goes out at its offset before the visit, once', {timeout: 120000}, async () => {
  const {admin} = setup;
  const startsAt = (await freeSlots(admin, 12)).find((s) => Date.parse(s) - Date.now() > 5 * 60000);
  const appointment = await book(admin, startsAt, 'rappel@example.org');
  const bookedAt = Date.now();
  await until('the confirmation', () => mails().some((m) => m.headers.get('to') === 'rappel@example.org'));
  // The reminder is due at start - offset, which must come after the booking (a reminder whose
  // time had passed when the visit was booked is not sent).
  const offsetMinutes = Math.floor((Date.parse(startsAt) - bookedAt - 2000) / 60000);
  const due = Date.parse(startsAt) - offsetMinutes * 60000;
  const third = await startServer({
    databaseUrl: database.url, artifacts: process.env.VG_E2E_ARTIFACTS, logName: 'server-3.log',
    env: {VISIOGUICHET_SMTP_URL: `smtp://visio@127.0.0.1:${RELAY_PORT}`,
          VISIOGUICHET_SMTP_PASSWORD_FILE: join(work, 'smtp-password'),
          VISIOGUICHET_SMTP_CA_FILE: join(work, 'cert.pem'),
          VISIOGUICHET_MAIL_FROM: 'Visioguichet <rendez-vous@example.org>',
          VISIOGUICHET_PUBLIC_URL: 'http://127.0.0.1:18080',
          VISIOGUICHET_REMINDER_OFFSETS: `${offsetMinutes}m`,
          VISIOGUICHET_HTTP_ADDR: '127.0.0.1:18082', VISIOGUICHET_RTC_ADDR: '127.0.0.1:40002',
          VISIOGUICHET_ADMIN_ADDR: '127.0.0.1:9092'},
  });
  try {
    const reminders = () => mails().filter((m) => m.headers.get('to') === 'rappel@example.org' &&
                                                  /^Rappel : /.test(m.subject));
    const [reminder] = await until('the reminder', () => reminders().length >= 1 && reminders(),
                                   90000);
    const arrived = Date.now();
    console.log(`# reminder due ${new Date(due).toISOString()} (${offsetMinutes} min before the ` +
                `visit), arrived ${arrived - due} ms after`);
    assert.ok(arrived >= due, `the reminder came ${due - arrived} ms before its time`);
    assert.ok(arrived - due < 30000, `the reminder came ${arrived - due} ms after its time`);
    assert.equal(codeIn(reminder.part('text/plain').text), appointment.check_in_code);
    await sleep(3000);
    assert.equal(reminders().length, 1, 'one reminder');
    const {messages} = await admin('GET', `/messages?appointment_id=${appointment.id}`);
    assert.deepEqual(messages.map((m) => [m.kind, m.state]),
                     [['confirmation', 'sent'], ['reminder', 'sent']]);
  } finally {
    await third.stop();
  }
});
