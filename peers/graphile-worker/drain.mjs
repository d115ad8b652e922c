// Drains no-op jobs with graphile-worker on PostgreSQL, the way the bench's peer table drains
// single-step executions: the jobs are queued while no worker runs, then the clock runs from the
// worker's start until every job has succeeded and left the database.
//
//   PEER_DATABASE_URL=postgres://... node drain.mjs --jobs N --rounds R --preset default|batched
//
// The address comes from the environment, and a password from PGPASSWORD, so that neither shows in
// the process list.
//
// "default" keeps graphile-worker's defaults (one job at a time). "batched" is the configuration
// graphile-worker's performance page documents: 24 concurrent jobs, a pool of 25, a local queue of
// 500, and batched completion. Prints one line per round, {"version":V,"round":0,"jobs":N,"seconds":S},
// round 0 being the warm-up.
import { Logger, makeWorkerUtils, run } from "graphile-worker";
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";

const { version } = createRequire(import.meta.url)("graphile-worker/package.json");

// A log line for every job would measure the terminal, not the queue; errors still fail the run.
const logger = new Logger(() => () => {});

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
  const parsed = {};
  for (let i = 0; i + 1 < argv.length; i += 2) parsed[argv[i].replace(/^--/, "")] = argv[i + 1];
  if (!parsed.jobs) throw new Error("missing --jobs");
  const url = process.env.PEER_DATABASE_URL;
  if (!url) throw new Error("PEER_DATABASE_URL is not set");
  const preset = PRESETS[parsed.preset ?? "default"];
  if (!preset) throw new Error(`unknown --preset ${parsed.preset}; use ${Object.keys(PRESETS).join(" or ")}`);
  return { url, jobs: Number(parsed.jobs), rounds: Number(parsed.rounds ?? 3), preset };
}

async function queue(utils, jobs) {
  for (let queued = 0; queued < jobs; queued += 5000) {
    const specs = [];
    for (let i = queued; i < Math.min(jobs, queued + 5000); i++) specs.push({ identifier: "noop", payload: {} });
    await utils.addJobs(specs);
  }
}

async function remaining(utils) {
  return utils.withPgClient(async (client) => {
    const { rows } = await client.query("select count(*)::int as n from graphile_worker._private_jobs");
    return rows[0].n;
  });
}

async function drain({ url, jobs, preset }, utils) {
  await queue(utils, jobs);
  const events = new EventEmitter();
  let succeeded = 0;
  const allSucceeded = new Promise((resolve) => {
    events.on("job:success", () => {
      if (++succeeded === jobs) resolve();
    });
  });
  const start = process.hrtime.bigint();
  const runner = await run({
    connectionString: url,
    noHandleSignals: true,
    logger,
    crontab: "",
    events,
    taskList: { noop: async () => {} },
    preset: { worker: { ...preset, connectionString: url } },
  });
  await allSucceeded;
  while ((await remaining(utils)) > 0) await new Promise((resolve) => setTimeout(resolve, 1));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await runner.stop();
  return seconds;
}

const settings = options(process.argv.slice(2));
const utils = await makeWorkerUtils({ connectionString: settings.url, logger });
try {
  await utils.migrate();
  for (let round = 0; round <= settings.rounds; round++) {
    const seconds = await drain(settings, utils);
    console.log(JSON.stringify({ version, round, jobs: settings.jobs, seconds: Number(seconds.toFixed(4)) }));
  }
} finally {
  await utils.release();
}
