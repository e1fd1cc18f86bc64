// Preloaded into the server by scripts/bench/memory.mjs (`node -r`): on SIGUSR2 the main thread
// prints one JSON line to stderr with its V8 heap apart from native memory. Not part of the app.
const { isMainThread } = require('node:worker_threads');
const { getHeapSpaceStatistics } = require('node:v8');
const { readFileSync } = require('node:fs');

if (isMainThread) {
  process.on('SIGUSR2', () => {
    const mb = (bytes) => Math.round((bytes / 1048576) * 10) / 10;
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) * 1024;
    const usage = process.memoryUsage();
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name.replace(/_space$/, ''), mb(s.space_size)]));
    const report = {
      rss: mb(usage.rss),
      fileBacked: mb(kb('RssFile')),
      anonymous: mb(kb('RssAnon')),
      heapReserved: mb(usage.heapTotal),
      heapUsed: mb(usage.heapUsed),
      heapSpaces: spaces,
      external: mb(usage.external),
      arrayBuffers: mb(usage.arrayBuffers),
      // Anonymous memory outside this isolate's heap and external buffers: workers' isolates,
      // SQLite, malloc, thread stacks.
      otherNative: mb(kb('RssAnon') - usage.heapTotal - usage.external),
      threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 0),
    };
    process.stderr.write(`MEMORY ${JSON.stringify(report)}\n`);
  });
}
