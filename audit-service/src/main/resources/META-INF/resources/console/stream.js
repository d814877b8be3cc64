// The live case stream (GET /streams/cases, docs/audit.md "The live case stream") for the console.
//
// Two ways to read it, one behaviour:
// - EventSource, when the token is short-lived enough to travel in the URL (access_token; the
//   service refuses a longer-lived one there, redress.security.browser-tokens.max-lifetime). The
//   browser reconnects by itself and resends Last-Event-ID.
// - fetch with the Authorization header otherwise (the local run's 12-hour tokens), which never
//   puts the token in a URL; this reader reconnects itself and sends Last-Event-ID the same way.
// Either way an entry is delivered once: the stream resumes after the last seq seen, and an event
// id seen before (a repeat after a reconnect) is counted and dropped here.

const PATH = '/streams/cases';
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 15000;

export class CaseStream {
  /**
   * @param {object} o
   * @param {string} o.token the signed-in token
   * @param {object} o.claims its decoded claims
   * @param {number} o.maxUrlTokenSeconds the longest token lifetime the stream takes in its URL
   * @param {(entry: object) => void} o.onEntry each new entry, once
   * @param {(state: string, text: string) => void} o.onState connection state changes
   * @param {(repeats: number) => void} o.onRepeat a repeated event was ignored (running count)
   */
  constructor(o) {
    Object.assign(this, o);
    this.lastSeq = null;
    this.seen = new Set();
    this.repeats = 0;
    this.retryMs = FIRST_RETRY_MS;
    this.recentDrops = [];
    this.generation = 0;
  }

  /** (Re)opens the stream with these filters (a URLSearchParams), after the last entry seen. */
  open(filters) {
    this.close();
    this.filters = filters;
    this.stopped = false;
    this.connect();
  }

  close() {
    this.stopped = true;
    this.generation++;
    clearTimeout(this.timer);
    if (this.source) { this.source.close(); this.source = null; }
    if (this.abort) { this.abort.abort(); this.abort = null; }
  }

  get transport() {
    const c = this.claims;
    const urlOk = typeof c.iat === 'number' && typeof c.exp === 'number' && c.exp - c.iat <= this.maxUrlTokenSeconds;
    return urlOk && typeof EventSource !== 'undefined' ? 'eventsource' : 'fetch';
  }

  connect() {
    if (this.stopped) return;
    if (this.expired()) return;
    const params = new URLSearchParams(this.filters);
    if (this.transport === 'eventsource') this.viaEventSource(params); else this.viaFetch(params);
  }

  expired() {
    if (this.claims.exp * 1000 > Date.now()) return false;
    this.tokenExpired();
    return true;
  }

  /** The token has expired (the server ends a stream with an 'expired' event when it does). */
  tokenExpired() {
    this.close();
    this.onState('refused', 'the token has expired: sign in again');
  }

  viaEventSource(params) {
    if (this.lastSeq !== null) params.set('after', String(this.lastSeq));
    params.set('access_token', this.token);
    const source = new EventSource(PATH + '?' + params);
    this.source = source;
    this.onState('connecting', 'connecting…');
    source.onopen = () => { this.retryMs = FIRST_RETRY_MS; this.onState('live', 'live'); };
    source.onmessage = (e) => this.deliver(e.lastEventId, e.data);
    source.addEventListener('dropped', (e) => { source.close(); this.dropped(e.data); });
    source.addEventListener('expired', () => { source.close(); this.tokenExpired(); });
    source.onerror = () => {
      if (source !== this.source) return;
      if (source.readyState === EventSource.CONNECTING) {
        // A broken connection: the browser retries by itself, sending Last-Event-ID.
        this.onState('reconnecting', this.lastSeq === null ? 'connection lost, reconnecting…'
          : `connection lost, reconnecting after entry ${this.lastSeq}…`);
      } else {
        // Closed for good: a refusal or an answer that is not a stream (an EventSource does not
        // retry after a 503, say). Open a new one after the last entry seen.
        source.close();
        this.source = null;
        this.retryLater();
      }
    };
  }

  async viaFetch(params) {
    const generation = this.generation;
    const abort = new AbortController();
    this.abort = abort;
    const headers = { Authorization: 'Bearer ' + this.token, Accept: 'text/event-stream' };
    if (this.lastSeq !== null) headers['Last-Event-ID'] = String(this.lastSeq);
    this.onState(this.lastSeq === null ? 'connecting' : 'reconnecting', 'connecting…');
    let response;
    try {
      response = await fetch(PATH + '?' + params, { headers, signal: abort.signal, cache: 'no-store' });
    } catch (e) {
      if (generation === this.generation) this.retryLater();
      return;
    }
    if (response.status === 401 || response.status === 403) {
      const detail = await problemDetail(response);
      this.close();
      this.onState('refused', `refused (${response.status})${detail ? ': ' + detail : ''}`);
      return;
    }
    if (!response.ok) {
      const wait = Number(response.headers.get('Retry-After'));
      const detail = await problemDetail(response);
      if (generation === this.generation) this.retryLater(wait > 0 ? wait * 1000 : undefined, detail);
      return;
    }
    this.retryMs = FIRST_RETRY_MS;
    this.onState('live', 'live');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = { id: null, name: null, data: [] };
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n')) >= 0) {
          let line = buffer.slice(0, end);
          buffer = buffer.slice(end + 1);
          if (line.endsWith('\r')) line = line.slice(0, -1);
          if (line === '') {
            if (event.data.length) {
              if (event.name === 'dropped') { abort.abort(); this.dropped(event.data.join('\n')); return; }
              if (event.name === 'expired') { abort.abort(); this.tokenExpired(); return; }
              this.deliver(event.id, event.data.join('\n'));
            }
            event = { id: null, name: null, data: [] };
          } else if (!line.startsWith(':')) {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            let val = colon < 0 ? '' : line.slice(colon + 1);
            if (val.startsWith(' ')) val = val.slice(1);
            if (field === 'data') event.data.push(val);
            else if (field === 'id') event.id = val;
            else if (field === 'event') event.name = val;
          }
        }
      }
    } catch (e) {
      // aborted, or the connection broke: below
    }
    if (generation === this.generation) this.retryLater();
  }

  deliver(id, data) {
    const seq = Number(id);
    if (id !== null && id !== '' && Number.isFinite(seq) && (this.lastSeq === null || seq > this.lastSeq)) this.lastSeq = seq;
    let entry;
    try { entry = JSON.parse(data); } catch (e) { return; }
    const key = entry.eventId || ('seq:' + seq);
    if (this.seen.has(key)) { this.repeats++; this.onRepeat(this.repeats); return; }
    this.seen.add(key);
    this.onEntry(entry);
  }

  dropped(data) {
    let info = {};
    try { info = JSON.parse(data); } catch (e) { /* keep going */ }
    const now = Date.now();
    this.recentDrops = this.recentDrops.filter((t) => now - t < 30000).concat(now);
    if (typeof info.resumeAfter === 'number' && (this.lastSeq === null || info.resumeAfter > this.lastSeq)) this.lastSeq = info.resumeAfter;
    if (this.recentDrops.length >= 3) {
      // Too far behind to catch up through the stream: start again at the head, and say so.
      this.lastSeq = null;
      this.recentDrops = [];
      this.onState('reconnecting', `the server dropped the stream (${info.reason || 'no reason given'}); `
        + 'resuming at the newest events: some in between are not shown (the audit log has them)');
    } else {
      this.onState('reconnecting', `the server dropped the stream (${info.reason || 'no reason given'}); resuming`);
    }
    this.source = null;
    this.abort = null;
    const generation = ++this.generation;
    this.timer = setTimeout(() => { if (generation === this.generation) this.connect(); }, 500);
  }

  retryLater(ms, detail) {
    if (this.stopped || this.expired()) return;
    const wait = ms || this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.onState('reconnecting', `disconnected${detail ? ' (' + detail + ')' : ''}; retrying in ${Math.round(wait / 1000)} s`);
    const generation = ++this.generation;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { if (generation === this.generation) this.connect(); }, wait);
  }
}

async function problemDetail(response) {
  try {
    const p = await response.json();
    return p.detail || p.title || '';
  } catch (e) {
    return '';
  }
}
