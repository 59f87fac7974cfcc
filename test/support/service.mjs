// @ts-check
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { wallClockMs } from './clock.mjs';

/**
 * @typedef {{ t: number, event: string, [field: string]: unknown }} ServiceEvent
 *   one JSON log line of a fixture (`t`: the child's wall clock in ms)
 * @typedef {{ at: number, text: string }} StderrLine  `at`: when the test process read it
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null, at: number }} ServiceExit
 */

/** Every service started and not yet known to have exited, so a test can always clean up. */
const running = new Set();

/**
 * A fixture running as a child process, with its JSON log lines parsed as they arrive.
 */
export class Service {
  /** @type {ServiceEvent[]} */ events = [];
  /** @type {StderrLine[]} */ stderr = [];
  /** @type {string[]} stdout lines that were not JSON */ otherOutput = [];
  /** @type {ServiceExit | undefined} */ exit;
  /** @type {Promise<ServiceExit>} */ exited;
  /** @type {Array<() => void>} */ #listeners = [];

  /**
   * @param {string} name for messages
   * @param {string[]} args arguments to node
   * @param {{ cwd: string, env: Record<string, string> }} options env is added to the test's own
   */
  constructor(name, args, { cwd, env }) {
    this.name = name;
    this.child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(this);
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      try {
        this.events.push(/** @type {ServiceEvent} */ (JSON.parse(line)));
      } catch {
        this.otherOutput.push(line);
      }
      this.#notify();
    });
    createInterface({ input: this.child.stderr }).on('line', (text) => {
      this.stderr.push({ at: wallClockMs(), text });
      this.#notify();
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal, at: wallClockMs() };
        running.delete(this);
        this.#notify();
        resolve(this.exit);
      });
    });
  }

  #notify() {
    for (const listener of this.#listeners) listener();
  }

  /**
   * Resolves with the first value `find` returns that is not undefined, checked now and on every
   * new line; rejects after `timeoutMs` or when the process exits first.
   * @template T
   * @param {string} what what we wait for, for the error message
   * @param {(service: Service) => T | undefined} find
   * @param {number} timeoutMs
   * @returns {Promise<T>}
   */
  waitUntil(what, find, timeoutMs) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find(this);
        if (found !== undefined) return finish(() => resolve(found));
        const exit = this.exit;
        if (exit) return finish(() => reject(this.#failure(`${what}: exited first (${describeExit(exit)})`)));
      };
      const timer = setTimeout(() => finish(() => reject(this.#failure(`${what}: not seen within ${timeoutMs} ms`))), timeoutMs);
      /** @param {() => void} settle */
      const finish = (settle) => {
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((listener) => listener !== check);
        settle();
      };
      this.#listeners.push(check);
      check();
    });
  }

  /**
   * @param {string} event
   * @param {number} [timeoutMs]
   * @returns {Promise<ServiceEvent>}
   */
  waitForEvent(event, timeoutMs = 15_000) {
    return this.waitUntil(`${this.name}: event ${event}`, (service) => service.events.find((e) => e.event === event), timeoutMs);
  }

  /** @param {string} event */
  eventsNamed(event) {
    return this.events.filter((e) => e.event === event);
  }

  /**
   * Sends a signal and returns when it was sent (test clock).
   * @param {NodeJS.Signals} signal
   */
  signal(signal) {
    const at = wallClockMs();
    this.child.kill(signal);
    return at;
  }

  /**
   * Waits for the exit, bounded; kills the process when it overruns.
   * @param {number} timeoutMs
   * @returns {Promise<ServiceExit>}
   */
  async waitForExit(timeoutMs) {
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    const overrun = new Promise((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    const outcome = await Promise.race([this.exited, overrun]);
    clearTimeout(timer);
    if (outcome === undefined) {
      await this.kill();
      throw this.#failure(`${this.name} did not exit within ${timeoutMs} ms of being asked to (killed)`);
    }
    return /** @type {ServiceExit} */ (outcome);
  }

  /** SIGKILLs the process if it still runs and waits for it to be gone. */
  async kill() {
    if (!this.exit) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** @param {string} message */
  #failure(message) {
    const tail = [...this.stderr.slice(-8).map((line) => line.text), ...this.otherOutput.slice(-4)];
    return new Error(tail.length > 0 ? `${message}\n--- last output of ${this.name} ---\n${tail.join('\n')}` : message);
  }
}

/** @param {ServiceExit} exit */
export function describeExit(exit) {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

/** Kills every service still running (for afterEach/finally). */
export async function killAllServices() {
  await Promise.all([...running].map((service) => service.kill()));
}

/**
 * Starts a fixture's entry file and waits until it logs that it is ready.
 * @param {{ name: string, cwd: string, entry: string, env: Record<string, string>, readyEvent: string }} options
 */
export async function startService({ name, cwd, entry, env, readyEvent }) {
  const service = new Service(name, [entry], { cwd, env });
  try {
    await service.waitForEvent(readyEvent, 20_000);
  } catch (error) {
    await service.kill();
    throw error;
  }
  return service;
}
