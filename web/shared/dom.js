// Small DOM helpers shared by the booth page and the agent console. Text always goes in through
// textContent, never as HTML, so nothing the server or a chat partner sends can become markup.

export const $ = (id) => document.getElementById(id);

// el('button', {class: 'big', type: 'button', onclick: fn}, 'Text', otherNode)
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      node.className = value;
    } else if (name === 'dataset') {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Shows one screen (a [data-screen] element) and hides the others; focus goes to the new
// screen's heading so keyboard and screen-reader users land on what changed.
export function showScreen(name, {focus = true} = {}) {
  let shown = null;
  for (const screen of document.querySelectorAll('[data-screen]')) {
    const active = screen.dataset.screen === name;
    screen.hidden = !active;
    if (active) shown = screen;
  }
  if (focus && shown) {
    const heading = shown.querySelector('h1, h2');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({preventScroll: true});
    }
  }
  return shown;
}

// "14:30" in the given time zone and language.
export function formatTime(iso, lang, timeZone) {
  if (!iso) return '';
  const options = {hour: '2-digit', minute: '2-digit'};
  if (timeZone) options.timeZone = timeZone;
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-CA' : 'en-CA', options).format(new Date(iso));
}

// Today's date YYYY-MM-DD in a site's time zone.
export function localDate(timeZone, now = new Date()) {
  const options = {year: 'numeric', month: '2-digit', day: '2-digit'};
  if (timeZone) options.timeZone = timeZone;
  return new Intl.DateTimeFormat('en-CA', options).format(now);
}

// Whole minutes, rounded up, never below 1 (for "about N minutes").
export function minutesFrom(seconds) {
  return Math.max(1, Math.ceil(Number(seconds) / 60));
}

// Whole seconds left until deadline (milliseconds since the epoch), never below 0.
export function secondsLeft(deadline, now = Date.now()) {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
