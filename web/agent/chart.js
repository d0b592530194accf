// A small bar chart of today's waiting times per site (average and 90th percentile), drawn as
// inline SVG so it needs nothing but the page. The same numbers are in the figures table, for
// those who do not see the chart.
import {el} from '../shared/dom.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

// bars: [{label, avg, p90}] in seconds (null when nobody waited yet).
export function waitChart(bars, t) {
  const figure = el('figure', {class: 'chart', id: 'wait-chart'});
  const withData = bars.filter((bar) => bar.avg !== null && bar.avg !== undefined);
  if (withData.length === 0) {
    figure.append(el('p', {class: 'muted'}, t('chart.none')));
    return figure;
  }
  const minutes = (seconds) => (Number(seconds) || 0) / 60;
  const max = Math.max(1, ...withData.map((bar) => Math.max(minutes(bar.avg), minutes(bar.p90))));
  const rowHeight = 44;
  const labelWidth = 230;
  const plotWidth = 360;
  const width = labelWidth + plotWidth + 150;
  const height = withData.length * rowHeight + 10;
  const titleId = 'wait-chart-title';
  const descId = 'wait-chart-desc';
  const root = svg('svg', {viewBox: `0 0 ${width} ${height}`, role: 'img',
                           'aria-labelledby': `${titleId} ${descId}`});
  root.append(svg('title', {id: titleId}, t('chart.title')), svg('desc', {id: descId}, t('chart.desc')));
  root.append(svg('line', {class: 'axis', x1: labelWidth, y1: 0, x2: labelWidth, y2: height}));
  withData.forEach((bar, i) => {
    const y = i * rowHeight + 5;
    const scale = (value) => Math.max(1, (minutes(value) / max) * plotWidth);
    root.append(
      svg('text', {x: labelWidth - 8, y: y + 24, 'text-anchor': 'end'},
          bar.label.length > 30 ? `${bar.label.slice(0, 29)}…` : bar.label),
      svg('rect', {class: 'bar-avg', x: labelWidth, y, width: scale(bar.avg), height: 16}),
      svg('text', {x: labelWidth + scale(bar.avg) + 6, y: y + 13},
          `${minutes(bar.avg).toFixed(1)} (${t('chart.avg')})`),
      svg('rect', {class: 'bar-p90', x: labelWidth, y: y + 19, width: scale(bar.p90), height: 16}),
      svg('text', {x: labelWidth + scale(bar.p90) + 6, y: y + 32},
          `${minutes(bar.p90).toFixed(1)} (${t('chart.p90')})`),
    );
  });
  figure.append(
    el('figcaption', {}, t('chart.title')),
    el('div', {class: 'legend', 'aria-hidden': 'true'},
       el('span', {}, el('span', {class: 'swatch avg'}), t('chart.avg')),
       el('span', {}, el('span', {class: 'swatch p90'}), t('chart.p90'))),
    root);
  return figure;
}
