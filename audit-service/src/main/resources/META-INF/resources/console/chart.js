// Recurring issues as inline SVG: per group, this window's cases against the previous window's.

const SVG = 'http://www.w3.org/2000/svg';
const ROW = 34;
const LABEL_WIDTH = 170;
const BAR_WIDTH = 300;
const NOTE_WIDTH = 150;

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function clip(text, max) {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/** An SVG element for the answer of GET /insights/recurring (its first `limit` groups). */
export function recurringChart(answer, limit = 12) {
  const issues = answer.issues.slice(0, limit);
  const max = Math.max(1, ...issues.map((i) => Math.max(i.cases, i.previousCases)));
  const width = LABEL_WIDTH + BAR_WIDTH + NOTE_WIDTH;
  const height = 30 + issues.length * ROW;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'chart',
    'aria-label': `Cases by ${answer.by}: this window against the previous one` });
  chart.appendChild(svg('rect', { x: LABEL_WIDTH, y: 6, width: 10, height: 10, class: 'bar-now' }));
  chart.appendChild(svg('text', { x: LABEL_WIDTH + 14, y: 15, class: 'legend' }, 'this window'));
  chart.appendChild(svg('rect', { x: LABEL_WIDTH + 110, y: 6, width: 10, height: 10, class: 'bar-before' }));
  chart.appendChild(svg('text', { x: LABEL_WIDTH + 124, y: 15, class: 'legend' }, 'the window before'));
  issues.forEach((issue, n) => {
    const y = 28 + n * ROW;
    const g = svg('g', { class: issue.recurring ? 'issue recurring' : 'issue', 'data-key': issue.key });
    const title = svg('title', {}, `${issue.key}: ${issue.cases} cases (before: ${issue.previousCases}), `
      + `${Math.round(issue.escalatedShare * 100)}% escalated, ${Math.round(issue.reopenedShare * 100)}% reopened`);
    g.appendChild(title);
    g.appendChild(svg('text', { x: LABEL_WIDTH - 8, y: y + 15, 'text-anchor': 'end', class: 'label' }, clip(issue.key, 24)));
    g.appendChild(svg('rect', { x: LABEL_WIDTH, y: y + 2, height: 13, class: 'bar-now',
      width: Math.max(1, BAR_WIDTH * issue.cases / max) }));
    g.appendChild(svg('rect', { x: LABEL_WIDTH, y: y + 16, height: 9, class: 'bar-before',
      width: issue.previousCases ? Math.max(1, BAR_WIDTH * issue.previousCases / max) : 0 }));
    const change = issue.changePercent == null ? 'new' : `${issue.change >= 0 ? '+' : ''}${Math.round(issue.changePercent)}%`;
    g.appendChild(svg('text', { x: LABEL_WIDTH + BAR_WIDTH + 8, y: y + 15, class: 'note' },
      `${issue.cases} vs ${issue.previousCases} (${change})`));
    chart.appendChild(g);
  });
  return chart;
}
