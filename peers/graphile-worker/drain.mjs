// Drains no-op jobs with graphile-worker on PostgreSQL, the way the bench's peer table drains
// single-step executions: the jobs are queued while no worker runs, then the clock runs from the
// worker's start until every job has succeeded and left the database.
//
//   PGHOST=… PGPORT=… PGDATABASE=… PGUSER=… [PGPASSWORD=… PGSSLMODE=…] \
//     node drain.mjs --jobs N --rounds R --preset default|batched [--concurrency C]
//
// The database comes from libpq's variables, so that no password shows in the process list.
// "default" keeps graphile-worker's defaults (one job at a time, a pool of 10), or runs C jobs at
// once with --concurrency. "batched" is the configuration graphile-worker's performance page
// documents: 24 concurrent jobs, a pool of 25, a local queue of 500, and batched completion.
// Prints one line per round, {"version":V,"round":0,"jobs":N,"seconds":S}, round 0 being the
// warm-up. A job that fails, or a worker that stops, fails the run with graphile-worker's error.
import { Logger, makeWorkerUtils, run } from "graphile-worker";
import pg from "pg";
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";

const { version } = createRequire(import.meta.url)("graphile-worker/package.json");

// A log line for every job would measure the terminal, not the queue: only errors are written.
const logger = new Logger(() => (level, message) => {
  if (level === "error") console.error(message);
});

const PRESETS = {
  default: {},
  batched: {
    concurrentJobs: 24,
    maxPoolSize: 25,
    localQueue: { size: 500 },
    completeJobBatchDelay: 0,
    failJobBatchDelay: 0,
  },
};

function options(argv) {
  if (argv.length % 2 !== 0) throw new Error(`every option takes a value: ${argv.join(" ")}`);
  const parsed = {};
  for (let i = 0; i < argv.length; i += 2) parsed[argv[i].replace(/^--/, "")] = argv[i + 1];
  const jobs = Number(parsed.jobs);
  if (!(jobs > 0)) throw new Error("--jobs takes a number above 0");
  const preset = { ...PRESETS[parsed.preset ?? "default"] };
  if (!PRESETS[parsed.preset ?? "default"]) {
    throw new Error(`unknown --preset ${parsed.preset}; use ${Object.keys(PRESETS).join(" or ")}`);
  }
  if (parsed.concurrency) preset.concurrentJobs = Number(parsed.concurrency);
  // graphile-worker's own advice: a pool of 10, or concurrentJobs + 2, whichever is larger
  const poolSize = preset.maxPoolSize ?? Math.max(10, (preset.concurrentJobs ?? 1) + 2);
  return { jobs, rounds: Number(parsed.rounds ?? 3), preset, poolSize };
}

async function queue(utils, jobs) {
  for (let queued = 0; queued < jobs; queued += 5000) {
    const specs = [];
    for (let i = queued; i < Math.min(jobs, queued + 5000); i++) specs.push({ identifier: "noop", payload: {} });
    await utils.addJobs(specs);
  }
}

async function remaining(pool) {
  const { rows } = await pool.query("select count(*)::int as n from graphile_worker._private_jobs");
  return rows[0].n;
}

async function drain({ jobs, preset }, pool, utils) {
  await queue(utils, jobs);
  const events = new EventEmitter();
  let succeeded = 0;
  const allSucceeded = new Promise((resolve, reject) => {
    events.on("job:success", () => {
      if (++succeeded === jobs) resolve();
    });
    events.on("job:error", ({ error }) => reject(new Error(`a job failed: ${error}`)));
    events.on("worker:fatalError", ({ error }) => reject(new Error(`a worker stopped: ${error}`)));
  });
  const start = process.hrtime.bigint();
  const runner = await run({
    pgPool: pool,
    noHandleSignals: true,
    logger,
    events,
    crontab: "",
    taskList: { noop: async () => {} },
    preset: { worker: preset },
  });
  try {
    await allSucceeded;
    while ((await remaining(pool)) > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    return Number(process.hrtime.bigint() - start) / 1e9;
  } finally {
    await runner.stop();
  }
}

const settings = options(process.argv.slice(2));
const pool = new pg.Pool({ max: settings.poolSize });
// a connection the server drops: said on stderr; the query that needed it fails the run
const connectionFailed = (error) => console.error(`a pooled connection failed: ${error.message}`);
pool.on("error", connectionFailed);
pool.on("connect", (client) => client.on("error", connectionFailed));
const utils = await makeWorkerUtils({ pgPool: pool, logger });
try {
  await utils.migrate();
  for (let round = 0; round <= settings.rounds; round++) {
    const seconds = await drain(settings, pool, utils);
    console.log(JSON.stringify({ version, round, jobs: settings.jobs, seconds: Number(seconds.toFixed(4)) }));
  }
} finally {
  await utils.release();
  await pool.end();
}
