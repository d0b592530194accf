// Translations for the web apps: each app keeps its French and English strings in one table
// (web/booth/i18n.js, web/agent/i18n.js); this module looks them up and fills the page.
//
//   const i18n = createI18n(STRINGS, {storageKey: 'vg.booth.lang'});
//   i18n.apply(document);            // every [data-i18n], [data-i18n-label], [data-i18n-placeholder]
//   i18n.t('waiting.position', {n: 2});
//
// Strings may hold {name} placeholders; a value that is a function gets the variables (plurals).

export const LANGUAGES = ['fr', 'en'];

export function createI18n(strings, {storageKey = null, defaultLang = 'fr'} = {}) {
  let lang = defaultLang;
  if (storageKey) {
    const saved = globalThis.localStorage?.getItem(storageKey);
    if (LANGUAGES.includes(saved)) lang = saved;
  }
  const listeners = new Set();

  function t(key, vars = {}) {
    const value = strings[lang]?.[key] ?? strings.fr[key];
    if (value === undefined) {
      console.warn(`i18n: no string "${key}"`);
      return key;
    }
    const text = typeof value === 'function' ? value(vars) : value;
    return text.replace(/\{(\w+)\}/g, (match, name) => (name in vars ? String(vars[name]) : match));
  }

  function apply(root = document) {
    if (root === document) {
      document.documentElement.lang = lang;
      if (strings[lang].title) document.title = strings[lang].title;
    }
    for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    for (const node of root.querySelectorAll('[data-i18n-label]')) {
      node.setAttribute('aria-label', t(node.dataset.i18nLabel));
    }
    for (const node of root.querySelectorAll('[data-i18n-placeholder]')) {
      node.setAttribute('placeholder', t(node.dataset.i18nPlaceholder));
    }
  }

  return {
    t,
    apply,
    get lang() { return lang; },
    // The other language, for the switch button.
    get other() { return lang === 'fr' ? 'en' : 'fr'; },
    setLang(value) {
      if (!LANGUAGES.includes(value) || value === lang) return;
      lang = value;
      if (storageKey) globalThis.localStorage?.setItem(storageKey, lang);
      apply(document);
      for (const listener of listeners) listener(lang);
    },
    onChange(listener) { listeners.add(listener); },
  };
}
