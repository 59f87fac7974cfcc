// @ts-check
import { join } from 'node:path';
import { createThenRead, sendRequest, startLoad } from '../http-load.mjs';
import { classifyRequests, eventsAfter, measureExit } from '../outcome.mjs';
import { startService } from '../service.mjs';
import { sigtermMidWork } from '../sigterm.mjs';
import { startWebhookReceiver } from '../webhook.mjs';

/** A template like the ones the load sends: five resources, about two seconds to create. */
export const STACK_TEMPLATE = {
  resources: {
    net: { type: 'OS::Neutron::Net' },
    subnet: { type: 'OS::Neutron::Subnet' },
    port: { type: 'OS::Neutron::Port' },
    volume: { type: 'OS::Cinder::Volume' },
    server: { type: 'OS::Nova::Server' },
  },
};

const FINAL_STATUSES = new Set(['CREATE_COMPLETE', 'CREATE_FAILED']);
/** Log events that mark a piece of the engine's work finishing. */
export const HEAT_WORK_END_EVENTS = ['request.end', 'resource.created', 'stack.create.end', 'notify.end', 'poll.end'];
/** Work the engine starts on its own (not on behalf of a request already in flight). */
export const HEAT_SELF_STARTED_WORK = ['poll.start'];

/**
 * @param {string} dir a compiled copy of fixtures/heat-engine
 * @param {string} dataDir
 * @param {string} notifyUrl
 */
function startEngine(dir, dataDir, notifyUrl) {
  return startService({
    name: 'heat-engine',
    cwd: dir,
    entry: join(dir, 'dist', 'main.js'),
    env: {
      HEAT_DATA_DIR: dataDir,
      HEAT_PORT: '0',
      HEAT_POLL_INTERVAL_MS: '300',
      HEAT_NOTIFY_URL: notifyUrl,
      QUIESCE_TIMEOUT_MS: '20000',
    },
    readyEvent: 'http.listening',
  });
}

/** @param {import('../service.mjs').Service} engine */
const portOf = async (engine) => Number((await engine.waitForEvent('http.listening')).port);

/** @param {import('../service.mjs').Service} engine */
const stacksBeingCreated = (engine) => engine.eventsNamed('stack.create.start').length - engine.eventsNamed('stack.create.end').length;

/**
 * Runs heat-engine under load, sends SIGTERM in the middle of stack creations, waits for the exit,
 * restarts it on the same data and reads every stack's status back through the API.
 * @param {string} dir a compiled copy of fixtures/heat-engine (e.g. dist/ built by buildTypeScript)
 * @param {{ minStacksInFlight?: number, minLoadMs?: number }} [options]
 */
export async function runHeatEngineScenario(dir, { minStacksInFlight = 4, minLoadMs = 2000 } = {}) {
  const dataDir = join(dir, '.data');
  const webhook = await startWebhookReceiver(100);
  try {
    const engine = await startEngine(dir, dataDir, webhook.url);
    const port = await portOf(engine);
    /** @type {string[]} */
    const acceptedStackIds = [];
    let created = 0;
    const load = startLoad({
      port,
      workers: 3,
      pauseMs: 150,
      maxDurationMs: 60_000,
      iteration: async (send) => {
        created += 1;
        const body = { stack_name: `web-${created}`, template: STACK_TEMPLATE };
        const id = await createThenRead(send, '/stacks', body, (response) => response?.stack?.id);
        if (id !== undefined) acceptedStackIds.push(id);
      },
    });

    let stacksInFlightAtSignal = 0;
    const { signalSentAt, intakeAt } = await sigtermMidWork(engine, {
      what: `${minStacksInFlight} stack creations and 2 requests in flight, one stack finished`,
      minRunMs: minLoadMs,
      isMidWork: (service) => {
        stacksInFlightAtSignal = stacksBeingCreated(service);
        return stacksInFlightAtSignal >= minStacksInFlight && service.eventsNamed('stack.create.end').length > 0 && load.inFlight >= 2;
      },
      stopLoad: () => load.stop(),
    });

    // A restart on the same data: what the journal says about every stack.
    const restarted = await startEngine(dir, dataDir, webhook.url);
    let statusById;
    try {
      const listing = await sendRequest(await portOf(restarted), { method: 'GET', path: '/stacks' });
      if (listing.status !== 200) throw new Error(`GET /stacks after restart answered ${listing.status ?? listing.errorCode}`);
      /** @type {Map<string, string>} */
      statusById = new Map(listing.body.stacks.map((/** @type {any} */ stack) => [stack.id, stack.stack_status]));
    } finally {
      await restarted.kill();
    }

    const statuses = [...statusById.values()];
    return {
      engine,
      signalSentAt,
      intakeAt,
      stacksInFlightAtSignal,
      acceptedStackIds,
      statusById,
      stacksLeftInProgress: statuses.filter((status) => !FINAL_STATUSES.has(status)).length,
      stacksTotal: statuses.length,
      requests: classifyRequests(load.results, signalSentAt),
      exit: measureExit(engine, signalSentAt, HEAT_WORK_END_EVENTS),
      stacksFinished: engine.eventsNamed('stack.create.end').length,
      notificationsDelivered: engine.eventsNamed('notify.end').filter((event) => !event.failed).length,
      notificationsReceived: webhook.received.length,
      /** poll ticks that started after the shim's intake (none may) */
      workStartedAfterIntake: intakeAt === undefined ? [] : eventsAfter(engine, intakeAt, HEAT_SELF_STARTED_WORK),
    };
  } finally {
    await webhook.close();
  }
}
