// POST -> live stream latency, measured from outside with a standard EventSource client.
// Posts complaints to intake-service at a fixed rate and times each one from the moment its
// POST is sent to the moment its redress.complaint.received event arrives on audit-service's
// /streams/cases. Usage (with the local run up):
//   . .redress/tokens.env && node local-run/bench/sse-latency.mjs [rate/s] [seconds]
import EventSource from 'eventsource';

const rate = Number(process.argv[2] ?? 50);
const seconds = Number(process.argv[3] ?? 30);
const intake = process.env.REDRESS_INTAKE ?? 'http://127.0.0.1:8081';
const audit = process.env.REDRESS_AUDIT ?? 'http://127.0.0.1:8084';
const submitter = process.env.REDRESS_TOKEN_COMPLAINT_SUBMITTER;
const operator = process.env.REDRESS_TOKEN_OPERATOR;
if (!submitter || !operator) {
  console.error('set REDRESS_TOKEN_COMPLAINT_SUBMITTER and REDRESS_TOKEN_OPERATOR (. .redress/tokens.env)');
  process.exit(2);
}

const sentAt = new Map();   // customer id -> ms when its POST was sent
const latencies = [];
const postLatencies = []; // the reference: the POST's own answer time, in the same run
let errors = 0;

const stream = new EventSource(`${audit}/streams/cases?type=redress.complaint.received`, {
  headers: { Authorization: `Bearer ${operator}` },
});
stream.onmessage = (m) => {
  const now = performance.now();
  const customer = JSON.parse(m.data).customerId;
  const t = sentAt.get(customer);
  if (t !== undefined) {
    latencies.push(now - t);
    sentAt.delete(customer);
  }
};
stream.onerror = (e) => { errors++; };
await new Promise((resolve) => { stream.onopen = resolve; setTimeout(resolve, 5000); });

const run = `bench-${Date.now()}`;
const total = rate * seconds;
const start = performance.now();
for (let i = 0; i < total; i++) {
  const due = start + (i * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const customer = `${run}-${i}`;
  const t0 = performance.now();
  sentAt.set(customer, t0);
  fetch(`${intake}/complaints`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${submitter}` },
    body: JSON.stringify({
      customer: { id: customer, name: 'Bench Customer' }, channel: 'WEB', category: 'billing',
      product: 'card', summary: 'Latency probe', severity: 'LOW', regulatoryProfile: 'DEFAULT',
    }),
  }).then((r) => { postLatencies.push(performance.now() - t0); if (r.status !== 201) errors++; }).catch(() => errors++);
}
const deadline = performance.now() + 30000;
while (sentAt.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
stream.close();

latencies.sort((a, b) => a - b);
postLatencies.sort((a, b) => a - b);
const at = (list, p) => list[Math.min(list.length - 1, Math.floor((p / 100) * list.length))];
const pct = (p) => at(latencies, p).toFixed(1);
console.log(JSON.stringify({
  rate, seconds, posted: total, received: latencies.length, missing: sentAt.size, errors,
  p50_ms: pct(50), p90_ms: pct(90), p99_ms: pct(99), max_ms: latencies[latencies.length - 1].toFixed(1),
  post_answer_p50_ms: at(postLatencies, 50).toFixed(1), post_answer_p99_ms: at(postLatencies, 99).toFixed(1),
  ratio_p50: (at(latencies, 50) / at(postLatencies, 50)).toFixed(2), ratio_p99: (at(latencies, 99) / at(postLatencies, 99)).toFixed(2),
}));
