// Runs one server through the bench's phases: a warm-up, a steady fixed rate, then each load
// (hot, storm, mix) closed loop; the load comes from a separate loadgen process, the issue-list
// probe from here.
import { spawn } from 'node:child_process';
import { Agent, get } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { RssSampler, cpuSeconds, memoryBreakdownMb } from './proc-sampler.mjs';
import { summarize } from './stats.mjs';

const LOADGEN = join(dirname(fileURLToPath(import.meta.url)), 'loadgen.mjs');

export function runLoadgen(config) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOADGEN, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`loadgen exited with ${code}`));
      resolve(JSON.parse(output.trim()));
    });
  });
}

/**
 * An open UI under load, as the renderer behaves (src/renderer/lib/state/issues.svelte.ts): it
 * holds the live stream open, and while issues keep changing it refreshes the head of the list
 * (its page of 50, newest first) 250 ms after the last refresh answered. The list's latency is
 * the figure; the stream is there because every UI has one, and it costs the server too.
 */
async function probeIssueList(port, until) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const stream = get({ host: '127.0.0.1', port, path: '/api/stream', headers: { accept: 'text/event-stream' } }, (res) => res.resume());
  stream.on('error', () => undefined);
  const latencies = [];
  let errors = 0;
  let done = false;
  until.finally(() => (done = true));
  while (!done) {
    const started = performance.now();
    const status = await new Promise((resolve) => {
      get({ agent, host: '127.0.0.1', port, path: `/api/issues?status=unresolved&sort=lastSeen&limit=${UI_PAGE_SIZE}` }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      }).on('error', () => resolve(0));
    });
    if (status === 200) latencies.push(performance.now() - started);
    else errors++;
    await new Promise((resolve) => setTimeout(resolve, UI_REFRESH_MS));
  }
  stream.destroy();
  agent.destroy();
  return { ...summarize(latencies), errors };
}

/** The renderer's list page and live-refresh debounce (issues.svelte.ts: PAGE_SIZE, #scheduleHeadRefresh). */
const UI_PAGE_SIZE = 50;
const UI_REFRESH_MS = 250;

/** The phase name of a closed-loop load, as the report and the smoke test read it. */
export const loadPhaseName = (load, connections) => `${load} ×${connections}`;

/**
 * plan: { fixtureSet, rate, rateMs, warmupMs, loads: string[], connections, closedMs, probe: boolean, ackedIdsFile?, quietMs? }
 * quietMs: also read the server's memory after it has sat this long with no requests (the idle heap
 * trim of src/main/core/idle-heap-trim.ts gives pages back once the process is quiet).
 * server: { pid, port, key }
 */
export async function runPhases(server, plan) {
  const sampler = new RssSampler(server.pid);
  const idle = memoryBreakdownMb(server.pid);
  let idleQuiet = null;
  if (plan.quietMs) {
    await new Promise((resolve) => setTimeout(resolve, plan.quietMs));
    idleQuiet = memoryBreakdownMb(server.pid);
  }
  const path = `/api/1/envelope/?sentry_version=7&sentry_key=${server.key}&sentry_client=sentry.javascript.node%2F11.12.0`;
  const base = { port: server.port, path, fixtureSet: plan.fixtureSet, ackedIdsFile: plan.ackedIdsFile };
  const phases = [];
  let acknowledged = 0;
  let sent = 0;

  const measure = async (name, config, probe) => {
    sampler.takePeakMb();
    const cpuBefore = cpuSeconds(server.pid);
    const load = runLoadgen({ ...base, ...config });
    const issueList = probe ? probeIssueList(server.port, load) : null;
    const result = await load;
    acknowledged += result.acknowledged;
    sent += result.sent;
    const phase = {
      name,
      ...result,
      serverCpuSeconds: Math.round((cpuSeconds(server.pid) - cpuBefore) * 1000) / 1000,
      peakRssMb: sampler.takePeakMb(),
      issueListMs: issueList ? await issueList : null,
    };
    phases.push(phase);
    return phase;
  };

  await measure('warm-up', { mode: 'rate', load: 'mix', rate: plan.rate, durationMs: plan.warmupMs }, false);
  await measure(`rate ${plan.rate}/s`, { mode: 'rate', load: 'mix', rate: plan.rate, durationMs: plan.rateMs }, plan.probe);
  const steadyHwmMb = sampler.hwmMb();
  const steady = memoryBreakdownMb(server.pid);
  for (const load of plan.loads) {
    const config = { mode: 'closed', load, connections: plan.connections, durationMs: plan.closedMs };
    await measure(loadPhaseName(load, plan.connections), config, plan.probe);
  }
  const hwmMb = sampler.hwmMb();
  sampler.stop();
  return {
    phases: phases.filter((phase) => phase.name !== 'warm-up'),
    idle,
    idleQuiet,
    quietMs: plan.quietMs ?? null,
    steady,
    steadyHwmMb,
    hwmMb,
    acknowledged,
    sent,
  };
}
