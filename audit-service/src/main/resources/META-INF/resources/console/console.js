// The operations console: plain JavaScript, no build step. docs/console.md.
// Every panel calls the services' public APIs with the signed-in token; a panel is shown only to
// the roles docs/security.md allows for its calls, and the APIs check again (a 403 is shown).
import { CaseStream } from './stream.js';
import { recurringChart } from './chart.js';

const TOKEN_KEY = 'redress.console.token';
const LEVELS = ['TEAM_LEAD', 'SUPERVISOR', 'MANAGER'];
const PANELS = {
  stream: ['operator', 'supervisor'],
  queue: ['agent', 'supervisor', 'operator'],
  deadlines: ['agent', 'supervisor', 'operator'],
  history: ['auditor'],
  recurring: ['auditor'],
  returns: ['auditor', 'supervisor'],
};
const VERIFIES_RETURNS = ['auditor']; // POST /audit/verify
const ACTS_ON_ESCALATIONS = ['agent', 'supervisor'];
const TYPE_CHOICES = [
  ['complaints received', 'redress.complaint.received'],
  ['interactions', 'redress.interaction.recorded'],
  ['assignments', 'redress.case.assigned'],
  ['status changes, resolutions, reopenings',
    'redress.case.acknowledged,redress.case.status-changed,redress.case.resolved,redress.case.closed,redress.case.reopened'],
  ['escalations', 'redress.escalation.raised,redress.escalation.acknowledged,redress.escalation.resolved'],
  ['deadlines warned or breached', 'redress.deadline.warning,redress.deadline.breached'],
  ['promises', 'redress.promise.made,redress.promise.kept,redress.promise.missed'],
  ['follow-ups', 'redress.followup.scheduled,redress.followup.due,redress.followup.completed'],
  ['redress offered, accepted, paid', 'redress.redress.recorded'],
  ['abuse reports and debriefs', 'redress.abuse.reported,redress.abuse.acknowledged,redress.agent.debriefed'],
];
const STREAM_KEEP = 1000;
const QUEUE_EVERY_MS = 5000;
const DEADLINES_EVERY_MS = 10000;

const $ = (id) => document.getElementById(id);

let config = null;
let session = null; // { token, claims, roles }
let stream = null;
let timers = [];
const entries = []; // stream entries kept, oldest first

// ---------- small helpers ----------

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, String(v));
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function say(id, text, kind = 'error') {
  const p = $(id);
  p.textContent = text || '';
  p.dataset.kind = text ? kind : '';
  delete p.dataset.from;
}

function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  const t = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  return today ? t : `${d.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${t}`;
}

function timeLeft(iso) {
  const ms = new Date(iso).getTime() - Date.now();
  const abs = Math.abs(ms);
  const text = abs < 60000 ? `${Math.round(abs / 1000)} s` : abs < 3600000 ? `${Math.round(abs / 60000)} min`
    : abs < 172800000 ? `${Math.round(abs / 3600000)} h` : `${Math.round(abs / 86400000)} d`;
  return ms < 0 ? `${text} overdue` : text;
}

function short(id) {
  return id ? String(id).slice(0, 8) : '';
}

// ISO 4217's minor units where they are not 2: the places of the amounts the redress ledger keeps
// (intake-service counts them with Java's Currency, which follows ISO 4217). Intl.NumberFormat's own
// digits come from CLDR and differ for some currencies (HUF, IDR, IRR, PKR and others: 0 there, 2 in
// ISO 4217; IQD 0 against 3), so the places are set here and Intl only writes the number.
const MINOR_UNITS = {
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3, CLF: 4, UYW: 4,
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
};

/** Whole minor units of a currency as its decimal amount: money(12550, 'GBP') is "GBP 125.50", money(3000, 'JPY') "JPY 3,000". */
export function money(amountMinor, currency) {
  const places = MINOR_UNITS[currency] ?? 2;
  const raw = String(amountMinor);
  const sign = raw.startsWith('-') ? '-' : '';
  const digits = raw.replace(/^-/, '').padStart(places + 1, '0');
  // Exact: the point is placed in the digits, never by dividing a float.
  const decimal = sign + (places ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits);
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: places, maximumFractionDigits: places,
    }).format(decimal);
  } catch (e) {
    return `${decimal} ${currency}`; // not a code Intl knows
  }
}

export function decodeToken(token) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('this is not a JWT (three parts separated by dots)');
  const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - b64.length % 4) % 4)), (c) => c.charCodeAt(0));
  const claims = JSON.parse(new TextDecoder().decode(bytes));
  if (!Array.isArray(claims.groups)) throw new Error('the token has no groups claim (no roles)');
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now()) throw new Error('the token has expired');
  return claims;
}

class ApiError extends Error {
  constructor(status, message, problem = '') {
    super(message);
    this.status = status;
    this.problem = problem; // the problem+json type's last part: 'period-not-closed'
  }
}

const SERVICE_NAMES = { intake: 'intake-service', escalation: 'escalation-service', followup: 'followup-service', audit: 'audit-service' };

async function api(service, path, { method = 'GET', body, as = 'json' } = {}) {
  const base = service === 'audit' ? '' : config[service];
  const headers = { Authorization: 'Bearer ' + session.token, Accept: as === 'json' ? 'application/json' : '*/*' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, `${SERVICE_NAMES[service]} cannot be reached at ${base || location.origin}`);
  }
  if (response.ok) return response.status === 204 ? null : as === 'blob' ? response.blob() : response.json();
  let detail = '';
  let problem = '';
  try {
    const p = await response.json();
    detail = p.detail || p.title || '';
    problem = String(p.type || '').split(':').pop();
  } catch (e) { /* not problem+json */ }
  if (response.status === 401) {
    throw new ApiError(401, `${SERVICE_NAMES[service]} refused the token (expired, or not issued for this system): sign in again`);
  }
  if (response.status === 403) {
    throw new ApiError(403, `Your role may not do this: ${SERVICE_NAMES[service]} answered 403 Forbidden${detail ? ' (' + detail + ')' : ''}`);
  }
  throw new ApiError(response.status, `${SERVICE_NAMES[service]} answered ${response.status}${detail ? ': ' + detail : ''}`, problem);
}

function every(ms, fn) {
  fn();
  timers.push(setInterval(fn, ms));
}

// ---------- sign in and out ----------

function signIn(token) {
  const claims = decodeToken(token);
  session = { token, claims, roles: claims.groups };
  sessionStorage.setItem(TOKEN_KEY, token);
  $('sign-in').hidden = true;
  $('panels').hidden = false;
  $('sign-out').hidden = false;
  const until = claims.exp ? `, until ${time(new Date(claims.exp * 1000).toISOString())}` : '';
  $('who').textContent = `${claims.sub || claims.upn || 'unknown'} (${session.roles.join(', ')})${until}`;
  let shown = 0;
  for (const [panel, roles] of Object.entries(PANELS)) {
    const may = roles.some((r) => session.roles.includes(r));
    $('panel-' + panel).hidden = !may;
    if (may) shown++;
  }
  $('no-panels').hidden = shown > 0;
  $('no-panels').textContent = shown ? '' : `The role${session.roles.length === 1 ? '' : 's'} ${session.roles.join(', ') || '(none)'} `
    + 'of this token may see none of the console\'s panels: the stream is for operators and supervisors, the queue and '
    + 'deadlines for agents, supervisors and operators, the audit log for auditors, returns for auditors and supervisors.';
  if (!$('panel-stream').hidden) startStream();
  if (!$('panel-queue').hidden) every(QUEUE_EVERY_MS, loadQueue);
  $('abuse-reports').hidden = !session.roles.includes('supervisor');
  if (!$('abuse-reports').hidden) every(QUEUE_EVERY_MS, loadAbuseReports);
  if (!$('panel-deadlines').hidden) every(DEADLINES_EVERY_MS, loadDeadlines);
  if (!$('panel-recurring').hidden) loadRecurring();
  if (!$('panel-returns').hidden) loadReturns();
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  if (stream) stream.close();
  stream = null;
  timers.forEach(clearInterval);
  timers = [];
  entries.length = 0;
  queueShown = '';
  abuseShown = '';
  briefingsOpen.clear();
  session = null;
  $('abuse-list').replaceChildren();
  $('abuse-reports').hidden = true;
  for (const panel of Object.keys(PANELS)) $('panel-' + panel).hidden = true;
  $('stream-list').replaceChildren();
  $('history-list').replaceChildren();
  $('history-title').textContent = '';
  $('verify-result').textContent = '';
  $('recurring-chart').replaceChildren();
  clearReturn();
  $('returns-list').replaceChildren();
  say('returns-message', '');
  document.querySelectorAll('.level ul').forEach((ul) => ul.replaceChildren());
  $('panels').hidden = true;
  $('sign-out').hidden = true;
  $('who').textContent = '';
  $('sign-in').hidden = false;
  $('token-input').value = '';
}

// ---------- the live stream ----------

function streamFilters() {
  const form = $('stream-filters');
  const params = new URLSearchParams();
  for (const name of ['severity', 'level']) {
    const boxes = [...form.querySelectorAll(`input[name=${name}]`)];
    const on = boxes.filter((b) => b.checked).map((b) => b.value);
    if (on.length === 0) return null;
    if (on.length < boxes.length) params.set(name, on.join(','));
  }
  if ($('stream-type').value) params.set('type', $('stream-type').value);
  return params;
}

function passes(entry, params) {
  const check = (name, value) => !params.has(name) || params.get(name).split(',').includes(value);
  return check('severity', entry.severity) && check('level', entry.level) && check('type', entry.type);
}

function startStream() {
  stream = new CaseStream({
    token: session.token,
    claims: session.claims,
    maxUrlTokenSeconds: config.browserTokenMaxLifetimeSeconds,
    onEntry: (entry) => {
      entry.arrivedAt = Date.now();
      entries.push(entry);
      if (entries.length > STREAM_KEEP) entries.shift();
      const params = streamFilters();
      if (params && passes(entry, params)) {
        const list = $('stream-list');
        list.prepend(streamItem(entry));
        while (list.children.length > STREAM_KEEP) list.lastChild.remove();
      }
      $('stream-count').textContent = `${entries.length} event${entries.length === 1 ? '' : 's'}`;
      if (entry.type && entry.type.startsWith('redress.escalation.') && !$('panel-queue').hidden) loadQueue();
      if (entry.type && entry.type.startsWith('redress.abuse.') && !$('abuse-reports').hidden) loadAbuseReports();
    },
    onRepeat: (n) => { $('stream-repeats').textContent = `(${n} repeated after a reconnect, not shown twice)`; },
    onState: (state, text) => {
      const s = $('stream-state');
      s.dataset.state = state;
      s.textContent = text;
      s.dataset.transport = stream ? stream.transport : '';
      s.title = stream ? `read with ${stream.transport === 'eventsource' ? 'EventSource' : 'fetch and the Authorization header'}` : '';
    },
  });
  openStream();
}

function openStream() {
  const params = streamFilters();
  renderStream(params);
  if (!params) {
    stream.close();
    $('stream-state').dataset.state = 'closed';
    $('stream-state').textContent = 'paused: choose at least one severity and one level';
    return;
  }
  stream.open(params);
}

function renderStream(params) {
  const list = $('stream-list');
  list.replaceChildren(...(params ? entries.filter((e) => passes(e, params)).reverse().map(streamItem) : []));
}

function streamItem(e) {
  const typeName = (e.type || '').replace(/^redress\./, '');
  const item = el('li', {
    class: `entry sev-${(e.severity || 'none').toLowerCase()}`, 'data-seq': e.seq, 'data-event-id': e.eventId,
    'data-case-id': e.caseId, 'data-type': e.type, 'data-arrived-at': e.arrivedAt,
    title: `entry ${e.seq}, event ${e.eventId}, recorded ${e.recordedAt}`,
  },
  el('time', { datetime: e.eventTime }, time(e.eventTime)),
  el('span', { class: 'ref' }, e.reference || short(e.caseId)),
  el('span', { class: 'badge severity' }, e.severity || '–'),
  el('span', { class: 'badge level' }, e.level || '–'),
  el('span', { class: 'type' }, typeName),
  el('span', { class: 'desc' }, describe(e)),
  el('span', { class: 'actor' }, e.actor || ''));
  if (session && session.roles.includes('auditor') && e.caseId) {
    item.classList.add('clickable');
    item.addEventListener('click', () => { $('history-case').value = e.caseId; loadHistory(); });
  }
  return item;
}

// ---------- the escalation queue ----------

let queueShown = '';
const briefingsOpen = new Set();

/**
 * The queue's message line says what a button did, or why it was refused, until the next button;
 * a refresh that fails says why until a refresh succeeds. A refresh (which follows every button)
 * clears only what a failed refresh said.
 */
function queueRefreshFailed(text) {
  say('queue-message', text);
  $('queue-message').dataset.from = 'refresh';
}

function queueRefreshed() {
  if ($('queue-message').dataset.from === 'refresh') say('queue-message', '');
}

async function loadQueue() {
  const status = $('queue-status').value;
  try {
    const pages = await Promise.all(LEVELS.map((level) =>
      api('escalation', `/escalations?status=${status}&level=${level}&limit=100`)));
    queueRefreshed();
    $('queue-updated').textContent = `updated ${time(new Date().toISOString())}`;
    const key = status + JSON.stringify(pages);
    if (key === queueShown) return;
    queueShown = key;
    LEVELS.forEach((level, n) => {
      const section = document.querySelector(`.level[data-level=${level}]`);
      const page = pages[n];
      section.querySelector('.n').textContent = `(${page.items.length}${page.next ? '+' : ''})`;
      section.querySelector('ul').replaceChildren(...page.items.map(escalationItem));
    });
  } catch (e) {
    queueShown = '';
    queueRefreshFailed(e.message);
  }
}

function escalationItem(x) {
  const mayAct = ACTS_ON_ESCALATIONS.some((r) => session.roles.includes(r));
  const briefing = el('details', { class: 'briefing', open: briefingsOpen.has(x.id) },
    el('summary', {}, 'Briefing'), el('pre', {}, x.briefing || '(none)'));
  briefing.addEventListener('toggle', () => { if (briefing.open) briefingsOpen.add(x.id); else briefingsOpen.delete(x.id); });
  const actions = el('div', { class: 'actions' });
  if (mayAct && x.status === 'OPEN') {
    actions.append(el('button', { type: 'button', class: 'acknowledge', onclick: () => act(x, 'acknowledge') }, 'Acknowledge'));
  }
  const watch = x.action === 'WATCH';
  if (mayAct && watch && x.status !== 'RESOLVED') {
    // A watch leaves the case with its agent; a watcher takes it over with one call to intake (issue 31).
    actions.append(el('button', { type: 'button', class: 'take-over', onclick: () => takeOver(x) }, 'Take over'));
  }
  if (mayAct && x.status !== 'RESOLVED') {
    const outcome = el('input', { class: 'outcome', placeholder: 'outcome', 'aria-label': `outcome for ${x.reference}` });
    actions.append(outcome, el('button', { type: 'button', class: 'resolve', onclick: () => act(x, 'resolve', outcome.value) }, 'Resolve'));
  }
  const done = x.status === 'RESOLVED' ? ` · resolved by ${x.resolvedBy} ${time(x.resolvedAt)}${x.outcome ? ': ' + x.outcome : ''}`
    : x.status === 'ACKNOWLEDGED' ? ` · acknowledged by ${x.acknowledgedBy} ${time(x.acknowledgedAt)}` : '';
  return el('li', { class: 'escalation', 'data-escalation-id': x.id, 'data-case-id': x.caseId, 'data-status': x.status, 'data-action': watch ? 'WATCH' : 'HAND_OVER' },
    el('div', { class: 'head' },
      el('span', { class: 'ref' }, x.reference || short(x.caseId)),
      el('span', { class: 'badge' }, x.status),
      el('span', { class: 'badge action' }, watch ? 'watching' : 'handed over'),
      el('time', { datetime: x.raisedAt }, `raised ${time(x.raisedAt)}`)),
    el('div', { class: 'reason' }, `${x.reason} (rule ${x.ruleId} v${x.ruleVersion}; from ${x.previousLevel || '–'})${done}`),
    briefing, actions);
}

async function takeOver(x) {
  try {
    const c = await api('intake', `/complaints/${x.caseId}/take-over`, { method: 'POST', body: { escalationId: x.id } });
    say('queue-message', `${x.reference}: taken over, assigned to ${c.assignee} at ${c.level}`, 'ok');
  } catch (e) {
    say('queue-message', `${x.reference}: ${e.message}`);
  }
  queueShown = '';
  loadQueue();
}

async function act(x, action, outcome) {
  try {
    const body = action === 'resolve' ? { outcome: outcome || null } : undefined;
    await api('escalation', `/escalations/${x.id}/${action}`, { method: 'POST', body });
    say('queue-message', `${x.reference}: ${action === 'resolve' ? 'resolved' : 'acknowledged'}`, 'ok');
  } catch (e) {
    say('queue-message', `${x.reference}: ${e.message}`);
  }
  queueShown = '';
  loadQueue();
}

// ---------- abuse reports (issue 31) ----------
// Seed 001: "If they become abusive or threatening, end the conversation and report it to your
// supervisor." Supervisors see the open reports, whatever the case's level, and acknowledge them.

let abuseShown = '';

async function loadAbuseReports() {
  try {
    const reports = await api('intake', '/abuse-reports?status=OPEN');
    const key = JSON.stringify(reports);
    if (key === abuseShown) return;
    abuseShown = key;
    $('abuse-reports').querySelector('.n').textContent = `(${reports.length})`;
    $('abuse-list').replaceChildren(...reports.map(abuseItem));
  } catch (e) {
    abuseShown = '';
    queueRefreshFailed(`Abuse reports: ${e.message}`);
  }
}

function abuseItem(r) {
  const own = session.claims.sub === r.endedBy;
  const debrief = r.debrief
    ? `break ${r.debrief.breakTaken ? 'taken' + (r.debrief.breakMinutes ? ` (${r.debrief.breakMinutes} min)` : '') : 'declined'}`
    : 'break offered, no debrief yet';
  const actions = el('div', { class: 'actions' });
  if (own) {
    actions.append(el('span', { class: 'muted' }, 'filed by you: another supervisor acknowledges it'));
  } else {
    actions.append(el('button', { type: 'button', class: 'acknowledge-abuse', onclick: () => acknowledgeAbuse(r) }, 'Acknowledge'));
  }
  return el('li', { class: 'abuse-report', 'data-report-id': r.id, 'data-case-id': r.caseId, 'data-tone': r.tone },
    el('div', { class: 'head' },
      el('span', { class: 'ref' }, r.reference || short(r.caseId)),
      el('span', { class: 'badge tone' }, r.tone),
      el('span', { class: 'badge level' }, r.level),
      el('time', { datetime: r.reportedAt }, `reported ${time(r.reportedAt)}`)),
    el('div', { class: 'reason' },
      `Conversation ended by ${r.endedBy}; record of ${r.recordIds.length} interaction${r.recordIds.length === 1 ? '' : 's'}; ${debrief}; the case was not moved`),
    actions);
}

async function acknowledgeAbuse(r) {
  try {
    await api('intake', `/abuse-reports/${r.id}/acknowledge`, { method: 'POST' });
    say('queue-message', `${r.reference}: abuse report acknowledged`, 'ok');
  } catch (e) {
    say('queue-message', `${r.reference}: ${e.message}`);
  }
  abuseShown = '';
  loadAbuseReports();
}

// ---------- deadlines and promises ----------

async function loadDeadlines() {
  try {
    const [deadlines, promises, updates, notices] = await Promise.all([
      api('followup', '/deadlines/at-risk?limit=100'),
      api('followup', '/promises?status=PENDING&limit=100'),
      api('followup', '/progress-updates?status=DUE&limit=100'),
      api('followup', '/customer-notices?status=SUGGESTED&limit=100'),
    ]);
    say('deadlines-message', '');
    const soonest = (a, b) => new Date(a.dueAt) - new Date(b.dueAt);
    $('deadlines-body').replaceChildren(...deadlines.items.sort(soonest).map((d) =>
      el('tr', { class: `deadline ${d.status.toLowerCase()}`, 'data-case-id': d.caseId },
        el('td', {}, time(d.dueAt)), el('td', {}, timeLeft(d.dueAt)), el('td', {}, `${d.kind} (${d.profile})`),
        el('td', {}, [d.status, metOrExtended(d)].filter(Boolean).join(', ')),
        el('td', { class: 'mono', title: d.caseId }, short(d.caseId)))));
    $('promises-body').replaceChildren(...promises.items.sort(soonest).map((p) =>
      el('tr', { class: 'promise', 'data-case-id': p.caseId },
        el('td', {}, time(p.dueAt)), el('td', {}, timeLeft(p.dueAt)), el('td', {}, p.reference || short(p.caseId)),
        el('td', {}, p.text))));
    if (!deadlines.items.length) $('deadlines-body').append(el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'no deadline warned or breached')));
    if (!promises.items.length) $('promises-body').append(el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'no promise pending')));
    showKeepingInformed(updates.items, notices.items);
  } catch (e) {
    say('deadlines-message', e.message);
  }
}

/**
 * Keeping the customer informed (followup-service): the cases whose customer has heard nothing for
 * their profile's cadence, longest silent first, and the notices suggested on a hand-over, with
 * their text for the agent to send.
 */
function showKeepingInformed(updates, notices) {
  const silentLongest = (a, b) => new Date(a.lastHeardAt) - new Date(b.lastHeardAt);
  $('progress-updates-body').replaceChildren(...updates.sort(silentLongest).map((u) =>
    el('tr', { class: 'progress-update', 'data-case-id': u.caseId },
      el('td', {}, time(u.dueAt)), el('td', { title: u.caseId }, u.reference || short(u.caseId)),
      el('td', {}, `${time(u.lastHeardAt)} (${lastHeard(u.lastHeardBy)}), nothing for ${timeLeft(u.lastHeardAt).replace(' overdue', '')}`),
      el('td', {}, `every ${u.cadence} (${u.profile})`))));
  $('customer-notices-body').replaceChildren(...notices.map((n) =>
    el('tr', { class: 'customer-notice', 'data-case-id': n.caseId },
      el('td', {}, time(n.suggestedAt)), el('td', { title: n.caseId }, n.reference || short(n.caseId)),
      el('td', {}, n.level), el('td', { class: 'notice-text' }, n.text))));
  if (!updates.length) $('progress-updates-body').append(el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'every open case\'s customer has heard from us within its cadence')));
  if (!notices.length) $('customer-notices-body').append(el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'no customer notice waiting to be sent')));
}

/** What the customer last heard, in words: the receipt, the acknowledgement, a reopening, or an outbound contact's kind. */
function lastHeard(by) {
  return { RECEIPT: 'the complaint was received', ACKNOWLEDGED: 'acknowledged', REOPENED: 'reopened' }[by]
    || `${String(by).toLowerCase().replaceAll('_', ' ')} sent`;
}

/** What met a deadline ("met by HOLDING_RESPONSE"), or extended it, in words; '' when neither. */
export function metOrExtended(d) {
  const parts = [];
  if (d.metBy) {
    parts.push(`met by ${d.metBy.kind}${d.metBy.via ? ` (within the ${d.metBy.via} window)` : ''}`
      + (d.status === 'BREACHED' ? ` late, ${time(d.metAt)}` : ''));
  }
  if (d.extension) parts.push(`extended by ${d.extension.kind} from ${time(d.extension.originalDueAt)}`);
  return parts.join('; ');
}

async function loadCaseDeadlines() {
  const caseId = $('case-deadlines-case').value.trim();
  if (!caseId) return;
  try {
    const r = await api('followup', `/cases/${encodeURIComponent(caseId)}/deadlines`);
    say('case-deadlines-message', r.items.length ? '' : `No deadline for case ${caseId}`, 'ok');
    $('case-deadlines-body').replaceChildren(...r.items.map((d) =>
      el('tr', { class: `deadline ${d.status.toLowerCase()}`, 'data-case-id': d.caseId, 'data-kind': d.kind },
        el('td', {}, time(d.dueAt)), el('td', {}, `${d.kind} (${d.profile} v${d.profileVersion})`),
        el('td', {}, d.status), el('td', { class: 'met-by' }, metOrExtended(d)))));
  } catch (e) {
    $('case-deadlines-body').replaceChildren();
    say('case-deadlines-message', e.message);
  }
}

// ---------- a case's history, and verification ----------

const VERBS = {
  'redress.complaint.received': 'submitted the complaint',
  'redress.case.acknowledged': 'acknowledged the case',
  'redress.case.status-changed': 'changed the status',
  'redress.case.assigned': 'assigned the case',
  'redress.case.resolved': 'resolved the case',
  'redress.case.closed': 'closed the case',
  'redress.case.reopened': 'reopened the case',
  'redress.promise.made': 'made a promise',
  'redress.promise.kept': 'kept a promise',
  'redress.promise.missed': 'recorded a missed promise',
  'redress.escalation.raised': 'escalated the case',
  'redress.escalation.acknowledged': 'acknowledged the escalation',
  'redress.escalation.resolved': 'resolved the escalation',
  'redress.followup.scheduled': 'scheduled a follow-up',
  'redress.followup.due': 'found a follow-up due',
  'redress.followup.completed': 'completed a follow-up',
  'redress.deadline.warning': 'warned of a deadline',
  'redress.deadline.breached': 'recorded a breached deadline',
  'redress.progress-update.due': 'found a progress update due',
  'redress.customer-notice.suggested': 'suggested a customer notice',
  'redress.case.reclassified': 'reclassified the case',
  'redress.abuse.reported': 'ended an abusive conversation and reported it',
  'redress.abuse.acknowledged': 'acknowledged the abuse report',
  'redress.agent.debriefed': 'recorded the debrief',
  'redress.audit.accessed': 'read the audit log',
};

/**
 * An entry's one line: the log's description (which names a resolution's outcome, root cause,
 * product group and taxonomy version), and what the console adds from the event's data: a redress
 * line's stage, amount in its currency's decimals, and kind.
 */
export function describe(e) {
  const d = e.data || {};
  if (e.type === 'redress.redress.recorded' && d.currency) {
    return `${d.stage} ${money(d.amountMinor, d.currency)}, ${d.kind}${d.note ? ` (${d.note})` : ''}`;
  }
  return e.description || '';
}

/** One entry in words: "10:02:13 agent ana recorded a SOLUTION_REJECTED: …". */
export function inWords(e) {
  const who = e.actor ? e.actor.replace(':', ' ') : 'someone';
  let what;
  if (e.type === 'redress.interaction.recorded') {
    const kind = (e.data && e.data.kind) || '';
    what = `recorded ${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${e.description}`;
  } else if (e.type === 'redress.redress.recorded') {
    what = `recorded redress ${describe(e)}`;
  } else {
    what = `${VERBS[e.type] || 'recorded ' + e.type}: ${describe(e)}`;
  }
  return `${time(e.eventTime)} ${who} ${what}`;
}

/**
 * What language coaching found in an outbound text (docs/coaching.md), one note each: the phrase as
 * written, its category and the alternative the lexicon suggests; then the de-escalation
 * suggestions, when the customer's last tone called for them. Empty for any other entry.
 */
export function coachingNotes(e) {
  const c = e.type === 'redress.interaction.recorded' && e.data ? e.data.coaching : null;
  if (!c) return [];
  const notes = (c.findings || []).map((f) => `coaching: “${f.phrase}” (${f.category}), suggested: ${f.suggestion}`);
  const calm = c.deEscalationSuggestions || [];
  if (calm.length) notes.push(`de-escalation: ${calm.join(' · ')}`);
  return notes;
}

/** An entry of a case's history: its line, and under it any coaching notes. */
function historyItem(e) {
  const notes = coachingNotes(e);
  return el('li', { 'data-seq': e.seq, 'data-type': e.type, title: `entry ${e.seq}, ${e.type}` }, inWords(e),
    ...(notes.length ? [el('ul', { class: 'coaching' }, ...notes.map((n) => el('li', { class: 'coaching-note' }, n)))] : []));
}

async function loadHistory() {
  const caseId = $('history-case').value.trim();
  if (!caseId) return;
  say('history-message', 'loading…', 'ok');
  try {
    const h = await api('audit', `/audit/cases/${encodeURIComponent(caseId)}`);
    say('history-message', '');
    $('history-title').textContent = `${h.reference || caseId}: ${h.entries} entr${h.entries === 1 ? 'y' : 'ies'}`;
    $('history-list').replaceChildren(...h.history.map(historyItem));
  } catch (e) {
    $('history-title').textContent = '';
    $('history-list').replaceChildren();
    say('history-message', e.status === 404 ? `The audit log has no entry for case ${caseId}` : e.message);
  }
}

async function verify() {
  const out = $('verify-result');
  out.dataset.ok = '';
  out.textContent = 'verifying…';
  try {
    const v = await api('audit', '/audit/verify');
    out.dataset.ok = String(v.ok);
    out.textContent = v.ok
      ? `The log holds: ${v.entriesChecked.toLocaleString()} entries checked up to entry ${v.headSeq}, `
        + `${v.checkpointsChecked} signed checkpoint${v.checkpointsChecked === 1 ? '' : 's'} verified (${time(new Date().toISOString())}).`
      : `The log is NOT intact: first problem at entry ${v.firstProblem.seq} (${v.firstProblem.kind}): ${v.firstProblem.detail}`;
  } catch (e) {
    out.dataset.ok = 'false';
    out.textContent = e.message;
  }
}

// ---------- recurring issues ----------

async function loadRecurring() {
  const days = Number($('recurring-days').value);
  const to = new Date(Math.floor(Date.now() / 1000) * 1000);
  const from = new Date(to.getTime() - days * 86400000);
  const by = $('recurring-by').value;
  try {
    const r = await api('audit', `/insights/recurring?by=${by}&from=${from.toISOString()}&to=${to.toISOString()}`);
    say('recurring-message', '');
    const when = (iso) => new Date(iso).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
    $('recurring-summary').textContent = `${r.cases} case${r.cases === 1 ? '' : 's'} with a ${by} from ${when(r.from)} to ${when(r.to)}, `
      + `against ${when(r.previousFrom)} to ${when(r.previousTo)}; ${r.issues.filter((i) => i.recurring).length} recurring (2 or more cases)`;
    $('recurring-chart').replaceChildren(r.issues.length ? recurringChart(r) : el('p', { class: 'muted' }, 'no cases in this window'));
  } catch (e) {
    say('recurring-message', e.message);
  }
}

// ---------- regulators' returns ----------

const GROUPINGS = {
  BANKING_AND_CREDIT_CARDS: 'Banking and credit cards',
  HOME_FINANCE: 'Home finance',
  INSURANCE_AND_PURE_PROTECTION: 'Insurance and pure protection',
  DECUMULATION_AND_PENSIONS: 'Decumulation and pensions',
  INVESTMENTS: 'Investments',
  UNCLASSIFIED: 'Not yet classified',
  TOTAL: 'TOTAL',
};
const FIGURES = ['outstandingAtStart', 'opened', 'closed', 'closedWithin3BusinessDays', 'closedAfter3BusinessDaysWithin8Weeks',
  'closedAfter8Weeks', 'upheld', 'upheldInFull', 'upheldInPart', 'notUpheld', 'closedWithoutOutcome', 'outstandingAtEnd'];

const FAMILIES = { FCA: 'FCA complaints return', ASIC_IDR: 'ASIC IDR data report' };
const COMPLAINTS_SHOWN = 500;
/** ASIC's IDR data elements in the order of its layout (the CSV's); the JSON's keys come sorted by name. */
const ASIC_COLUMNS = ['complaintId', 'dateReceived', 'channel', 'status', 'dateClosed', 'daysToClose', 'product', 'issue',
  'outcome', 'compensationPaidAud'];

let returnShown = null; // the id of the return on show

/** A date 'YYYY-MM-DD' moved by some days (calendar arithmetic, no zone involved). */
function addDays(date, days) {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A period [from, to) as people say it: "2026-01-01 to 2026-06-30". */
function period(r) {
  return `${r.from} to ${addDays(r.to, -1)}`;
}

/** The half-years to choose from, newest first: this year's and the two before (H1 1 Jan–1 Jul, H2 1 Jul–1 Jan). */
export function halfYears(today) {
  const year = Number(today.slice(0, 4));
  const out = [];
  for (let y = year; y >= year - 2; y--) {
    for (const [half, from, to] of [['H2', `${y}-07-01`, `${y + 1}-01-01`], ['H1', `${y}-01-01`, `${y}-07-01`]]) {
      out.push({ label: `${half} ${y} (${from} to ${addDays(to, -1)})${to > today ? ', not closed yet' : ''}`, from, to, closed: to <= today });
    }
  }
  return out;
}

function fillPeriods() {
  const today = new Date().toLocaleDateString('sv'); // YYYY-MM-DD, the browser's day
  const halves = halfYears(today);
  $('returns-period').replaceChildren(...halves.map((h) => el('option', { value: `${h.from}/${h.to}` }, h.label)),
    el('option', { value: 'custom' }, 'custom dates'));
  const latest = halves.find((h) => h.closed);
  $('returns-period').value = `${latest.from}/${latest.to}`;
  periodChosen();
}

function periodChosen() {
  const v = $('returns-period').value;
  if (v === 'custom') return;
  [$('returns-from').value, $('returns-to').value] = v.split('/');
}

function datesChanged() {
  const v = `${$('returns-from').value}/${$('returns-to').value}`;
  const preset = [...$('returns-period').options].some((o) => o.value === v);
  $('returns-period').value = preset ? v : 'custom';
}

async function loadReturns() {
  try {
    const list = await api('audit', '/returns');
    $('returns-list').replaceChildren(...list.map((r) =>
      el('tr', { 'data-return-id': r.id, class: r.id === returnShown ? 'shown' : null, onclick: () => openReturn(r.id) },
        el('td', {}, period(r)), el('td', {}, r.family),
        el('td', {}, r.checkpoint ? `entry ${r.checkpoint.seq}` : 'none'),
        el('td', {}, r.createdBy), el('td', {}, time(r.createdAt)))));
    if (!list.length) $('returns-list').append(el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'no return made yet')));
  } catch (e) {
    say('returns-message', e.message);
  }
}

async function makeReturn() {
  const body = { family: $('returns-family').value, from: $('returns-from').value, to: $('returns-to').value };
  if (!body.from || !body.to) {
    say('returns-message', 'Choose the first day of the period and the day after its last (both dates).');
    return;
  }
  say('returns-message', `making the ${body.family} return for ${period(body)}…`, 'ok');
  try {
    const r = await api('audit', '/returns', { method: 'POST', body });
    say('returns-message', `Made the ${r.family} return for ${period(r)} at checkpoint ${r.checkpoint ? r.checkpoint.seq : '(none)'}.`, 'ok');
    showReturn(r);
    loadReturns();
  } catch (e) {
    say('returns-message', e.problem && e.status === 422
      ? `The return was not made (${e.problem}): ${e.message.replace(/^audit-service answered 422: /, '')}`
      : `The return was not made: ${e.message}`);
  }
}

async function openReturn(id) {
  try {
    showReturn(await api('audit', `/returns/${encodeURIComponent(id)}`));
    say('returns-message', '');
  } catch (e) {
    say('returns-message', e.message);
  }
}

function clearReturn() {
  returnShown = null;
  $('return-title').textContent = '';
  $('return-about').textContent = '';
  $('return-verified').textContent = '';
  $('return-verified').dataset.ok = '';
  $('return-body').replaceChildren();
  $('return-table').hidden = true;
  $('return-complaints').replaceChildren();
  $('return-complaints').hidden = true;
  $('return-csv').hidden = true;
}

function showReturn(r) {
  clearReturn();
  returnShown = r.id;
  document.querySelectorAll('#returns-list tr').forEach((tr) => tr.classList.toggle('shown', tr.dataset.returnId === r.id));
  const d = r.definitions || {};
  $('return-title').textContent = `${FAMILIES[r.family] || r.family}, ${period(r)}`;
  $('return-title').dataset.returnId = r.id;
  $('return-about').textContent = `Period [${r.from}, ${r.to}) in ${r.zone}; definitions ${d.version}`
    + ` (profiles ${(d.profiles || []).join(', ')}; taxonomy version${(d.taxonomyVersions || []).length === 1 ? '' : 's'} `
    + `${(d.taxonomyVersions || []).join(', ') || 'none'}); made by ${r.createdBy} ${time(r.createdAt)}`
    + (r.checkpoint ? `, from the log up to entry ${r.checkpoint.seq}, signed ${time(r.checkpoint.time)} by key ${r.checkpoint.keyId}.` : '.');
  if (Array.isArray(r.complaints) && !(r.rows || []).length) {
    showComplaints(r);
  } else {
    $('return-body').replaceChildren(...(r.rows || []).map((row) =>
      el('tr', { 'data-group': row.productGroup, class: row.productGroup === 'TOTAL' ? 'total' : null },
        el('td', { title: row.productGroup }, GROUPINGS[row.productGroup] || row.productGroup),
        ...FIGURES.map((f) => el('td', { 'data-figure': f }, Number(row[f] || 0).toLocaleString())),
        el('td', { 'data-figure': 'redressPaid' }, ...redressPaid(row.redressPaidMinor)))));
    $('return-table').hidden = false;
  }
  verifyReturn(r);
}

/** A report of one row per complaint (ASIC's IDR data report): its rows as they are, and its CSV form. */
function showComplaints(r) {
  const rows = r.complaints;
  const keys = rows.length ? Object.keys(rows[0]) : [];
  const columns = [...ASIC_COLUMNS.filter((c) => keys.includes(c)), ...keys.filter((k) => !ASIC_COLUMNS.includes(k))];
  $('return-complaints').replaceChildren(
    el('caption', { class: 'muted' }, `${rows.length.toLocaleString()} complaint${rows.length === 1 ? '' : 's'}, one row each`
      + (rows.length > COMPLAINTS_SHOWN ? `; the first ${COMPLAINTS_SHOWN} shown, every one in the CSV` : '')),
    el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', {}, c)))),
    el('tbody', {}, ...rows.slice(0, COMPLAINTS_SHOWN).map((row) =>
      el('tr', {}, ...columns.map((c) => el('td', {}, row[c] ?? ''))))));
  $('return-complaints').hidden = false;
  $('return-csv').hidden = false;
  $('return-csv').onclick = () => downloadCsv(r);
}

async function downloadCsv(r) {
  try {
    const url = URL.createObjectURL(await api('audit', `/returns/${encodeURIComponent(r.id)}/csv`, { as: 'blob' }));
    const a = el('a', { href: url, download: `idr-${r.from}-${r.to}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    say('returns-message', `The CSV could not be read: ${e.message}`);
  }
}

/** Redress paid per currency, one line each; never added across currencies. */
function redressPaid(byCurrency) {
  const lines = Object.entries(byCurrency || {}).sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, minor]) => el('div', { 'data-currency': currency }, money(minor, currency)));
  return lines.length ? lines : ['–'];
}

/** Is today's log still the one the return's checkpoint signed? POST /audit/verify (auditors) answers. */
async function verifyReturn(r) {
  const out = $('return-verified');
  const cp = r.checkpoint;
  if (!cp) {
    out.dataset.ok = 'false';
    out.textContent = 'This return names no checkpoint (the log was empty when it was made): there is nothing to verify it against.';
    return;
  }
  if (!VERIFIES_RETURNS.some((role) => session.roles.includes(role))) {
    out.dataset.ok = '';
    out.textContent = `Made at checkpoint ${cp.seq}. Checking it against the log (POST /audit/verify) is for auditors: `
      + 'sign in with an auditor\'s token to see it verified.';
    return;
  }
  out.dataset.ok = '';
  out.textContent = `verifying against checkpoint ${cp.seq}…`;
  try {
    const { seq, chainHash, time: at, keyId, statement, signature } = cp;
    const v = await api('audit', '/audit/verify', { method: 'POST', body: { seq, chainHash, time: at, keyId, statement, signature } });
    if (returnShown !== r.id) return; // another return is on show now
    out.dataset.ok = String(v.extendsCheckpoint);
    if (v.extendsCheckpoint) {
      out.textContent = `Verified against checkpoint ${cp.seq}: its signature holds (key ${cp.keyId}) and the log, recomputed `
        + `from entry 1, reaches its chain hash at entry ${cp.seq} (${time(new Date().toISOString())}).`;
      return;
    }
    const why = [];
    if (!v.signatureValid) why.push(`its signature does not hold with key ${cp.keyId}`);
    if (!v.chainHashMatches) why.push(`the log recomputed from entry 1 does not reach its chain hash at entry ${cp.seq}`);
    const p = v.log && v.log.firstProblem;
    if (p) why.push(`the first problem is at entry ${p.seq} (${p.kind}): ${p.detail}`);
    out.textContent = `NOT verified against checkpoint ${cp.seq}: ${why.join('; ') || 'the log does not extend it'}. `
      + 'The figures cannot be trusted to come from the log as it was signed.';
  } catch (e) {
    if (returnShown !== r.id) return;
    out.dataset.ok = 'false';
    out.textContent = `Not verified against checkpoint ${cp.seq}: ${e.message}`;
  }
}

// ---------- start ----------

async function start() {
  const select = $('stream-type');
  for (const [label, value] of TYPE_CHOICES) select.append(el('option', { value }, label));
  $('stream-filters').addEventListener('change', () => openStream());
  $('queue-status').addEventListener('change', () => { queueShown = ''; loadQueue(); });
  $('queue-refresh').addEventListener('click', () => {
    queueShown = '';
    loadQueue();
    if (!$('abuse-reports').hidden) { abuseShown = ''; loadAbuseReports(); }
  });
  $('deadlines-refresh').addEventListener('click', loadDeadlines);
  $('case-deadlines-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadCaseDeadlines(); });
  $('history-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadHistory(); });
  $('verify-button').addEventListener('click', verify);
  for (const id of ['recurring-by', 'recurring-days']) $(id).addEventListener('change', loadRecurring);
  $('recurring-refresh').addEventListener('click', loadRecurring);
  fillPeriods();
  $('returns-period').addEventListener('change', periodChosen);
  for (const id of ['returns-from', 'returns-to']) $(id).addEventListener('change', datesChanged);
  $('returns-form').addEventListener('submit', (ev) => { ev.preventDefault(); makeReturn(); });
  $('returns-refresh').addEventListener('click', loadReturns);
  $('sign-out').addEventListener('click', signOut);
  $('sign-in-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    try {
      signIn($('token-input').value.trim().replace(/^Bearer\s+/i, ''));
      say('sign-in-error', '');
    } catch (e) {
      say('sign-in-error', `Cannot sign in: ${e.message}`);
    }
  });
  try {
    const response = await fetch('/console/config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`answered ${response.status}`);
    config = await response.json();
  } catch (e) {
    say('sign-in-error', `The console's settings could not be read (${e.message}); reload the page.`);
    $('sign-in').hidden = false;
    return;
  }
  const kept = sessionStorage.getItem(TOKEN_KEY);
  if (kept) {
    try {
      signIn(kept);
      return;
    } catch (e) {
      sessionStorage.removeItem(TOKEN_KEY);
      say('sign-in-error', `Signed out: ${e.message}`);
    }
  }
  $('sign-in').hidden = false;
  document.body.dataset.ready = 'true';
}

start().finally(() => { document.body.dataset.ready = 'true'; });
