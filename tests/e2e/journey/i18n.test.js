// Every word of the booth and the agent console exists in French and in English: both tables have
// the same keys, and every key the pages and scripts name is in them (no browser, no server).
import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';

const web = join(import.meta.dirname, '..', '..', '..', 'web');
// The call view is shared: its keys must be in both apps' tables.
const shared = readFileSync(join(web, 'shared', 'call-view.js'), 'utf8');

function referencedKeys(source) {
  const keys = new Set();
  const patterns = [
    /data-i18n(?:-label|-placeholder)?="([\w.]+)"/g,  // markup
    /'data-i18n': '([\w.]+)'/g,                         // markup made by scripts
    /\bt\('([\w.]+)'/g,                                 // t('key', ...)
    /showError\('[\w-]+',\s*'([\w.]+)'/g,
    /(?:setMessage|setStatus)\('([\w.]+)'/g,
    /\['([a-z]+\.[\w.]+)'\]/g,                           // ['key'] returned for t(...)
    /key = '([\w.]+)'/g,
    /'(call\.[\w.]+)'/g,                                 // the call view's keys
  ];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) keys.add(match[1]);
  }
  return keys;
}

for (const app of ['booth', 'agent']) {
  test(`${app}: French and English name the same strings, and every string used exists`,
       async () => {
    const {STRINGS} = await import(join(web, app, 'i18n.js'));
    const fr = Object.keys(STRINGS.fr).sort();
    const en = Object.keys(STRINGS.en).sort();
    assert.deepEqual(en, fr, 'the English table has the same keys as the French one');
    const sources = readdirSync(join(web, app))
        .filter((name) => /\.(html|js)$/.test(name) && name !== 'i18n.js')
        .map((name) => readFileSync(join(web, app, name), 'utf8'));
    const used = referencedKeys([...sources, shared].join('\n'));
    assert.ok(used.size > 40, `found the keys the ${app} uses (${used.size})`);
    const missing = [...used].filter((key) => !(key in STRINGS.fr));
    assert.deepEqual(missing, [], `${app}: strings used but not translated`);
    for (const key of fr) {
      for (const lang of ['fr', 'en']) {
        const value = STRINGS[lang][key];
        const text = typeof value === 'function' ? value({n: 2, minutes: 2, seconds: 2, value: 120}) : value;
        assert.ok(typeof text === 'string' && text.trim().length > 0, `${lang} ${key} is empty`);
      }
    }
  });
}

// The citizen's own page (web/visit/) shares no call view.
test('visit: French and English name the same strings, and every string used exists', async () => {
  const {STRINGS} = await import(join(web, 'visit', 'i18n.js'));
  assert.deepEqual(Object.keys(STRINGS.en).sort(), Object.keys(STRINGS.fr).sort());
  const sources = readdirSync(join(web, 'visit'))
      .filter((name) => /\.(html|js)$/.test(name) && name !== 'i18n.js')
      .map((name) => readFileSync(join(web, 'visit', name), 'utf8'));
  const used = referencedKeys(sources.join('\n'));
  assert.ok(used.size > 25, `found the keys the page uses (${used.size})`);
  assert.deepEqual([...used].filter((key) => !(key in STRINGS.fr)), []);
  for (const lang of ['fr', 'en']) {
    for (const [key, text] of Object.entries(STRINGS[lang])) {
      assert.ok(text.trim().length > 0, `${lang} ${key} is empty`);
    }
  }
});
