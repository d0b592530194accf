// Check-in by the code of an appointment, typed on the on-screen keypad or a keyboard.
import {$, el} from '../shared/dom.js';

import {CODE_ALPHABET, checkInProblem, codeChar, codeIsComplete, normalizeCode} from './check-in-rules.js';
import {api, kiosk, setScreen, showError, t} from './context.js';
import {revoked} from './enrolment.js';
import {queued} from './place.js';
import {goWelcome, startIdleTimer, stopIdleTimer} from './welcome.js';

// Before the strings are applied: the delete key takes its label from them.
export function buildKeypad() {
  const keypad = $('keypad');
  for (const char of CODE_ALPHABET) {
    keypad.append(el('button', {type: 'button', class: 'key', onclick: () => typeChar(char)}, char));
  }
  keypad.append(el('button', {type: 'button', class: 'key del', 'data-i18n': 'checkin.delete',
                              onclick: deleteChar}));
}

function typeChar(char) {
  const input = $('code');
  if (codeIsComplete(input.value)) return;
  input.value += char;
  showError('checkin-error');
}

function deleteChar() {
  const input = $('code');
  input.value = input.value.slice(0, -1);
}

async function submitCode(event) {
  event.preventDefault();
  const code = normalizeCode($('code').value);
  if (!code) {
    showError('checkin-error', 'checkin.empty');
    $('code').focus();
    return;
  }
  const submit = $('checkin-submit');
  submit.disabled = true;
  submit.textContent = t('checkin.sending');
  try {
    const place = await api.post('/booth/check-in', {code});
    stopIdleTimer();
    queued(place);
  } catch (error) {
    const problem = checkInProblem(error);
    if (error.status === 401) revoked();
    showError('checkin-error', ...problem);
    $('code').focus();
  } finally {
    submit.disabled = false;
    submit.textContent = t('checkin.submit');
  }
}

export function wireCheckIn() {
  $('go-checkin').addEventListener('click', () => {
    setScreen('checkin', {focus: false});
    $('code').focus();
    startIdleTimer();
  });
  $('checkin-back').addEventListener('click', goWelcome);
  $('checkin-form').addEventListener('submit', submitCode);
  $('code').addEventListener('input', () => showError('checkin-error'));
  // The physical keyboard types the code even when focus is on the on-screen keypad.
  document.addEventListener('keydown', (event) => {
    if (kiosk.screen !== 'checkin' || event.target === $('code') || event.ctrlKey || event.altKey ||
        event.metaKey) return;
    const char = codeChar(event.key);
    if (char) {
      typeChar(char);
      event.preventDefault();
    } else if (event.key === 'Backspace') {
      deleteChar();
      event.preventDefault();
    }
  });
}
