// What the HTML timeline's script is given to draw, checked without a browser: groups in the order a
// reader needs them (lost first), lanes, times relative to the signal, the shim's phases and markers,
// and the escaping of report text.
import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from '../src/html/escape.js';
import { layoutRun } from '../src/html/layout.js';
import type { RequestRecord, RunReport } from '../src/report-types.js';
import { failingRun } from './fixtures-html/reports.js';

const S = 1_764_633_900_000;

function request(id: number, from: number, to: number, rest: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id,
    method: 'GET',
    path: `/r/${id}`,
    start: S + from,
    end: S + to,
    outcome: 'completed',
    status: 200,
    inFlightAtSignal: from < 0 && to > 0,
    afterSignal: from >= 0,
    ...rest,
  };
}

function run(requests: RequestRecord[], rest: Partial<RunReport> = {}): RunReport {
  return {
    run: 1,
    startedAt: S - 1000,
    readyAt: S - 900,
    signal: 'SIGTERM',
    signalAt: S,
    exitAt: S + 50,
    exitCode: 0,
    exitSignal: null,
    exitLagMs: 5,
    requests,
    work: [],
    timeline: null,
    outputTail: [],
    checks: [],
    verdict: 'pass',
    ...rest,
  };
}

describe('layoutRun', () => {
  it('puts what was lost first, then unclean, in flight, after the signal and before it', () => {
    const chart = layoutRun(
      run([
        request(1, -100, -90),
        request(2, -80, -70),
        request(3, -10, 20),
        request(4, -5, 3, { outcome: 'reset', status: undefined, error: 'ECONNRESET' }),
        request(5, 2, 4, { outcome: 'reset', status: undefined, error: 'socket hang up' }),
        request(6, 5, 5.5, { outcome: 'refused', status: undefined }),
        request(7, 6, 7, { outcome: 'status', status: 503 }),
      ]),
    );
    expect(chart.groups.map((g) => [g.id, g.count, g.lanes])).toEqual([
      ['lost', 1, 1],
      ['unclean', 1, 1],
      ['in-flight', 1, 1],
      // After the signal each outcome has its own lanes: 503 above refused, as the legend orders them.
      ['after-signal', 2, 2],
      // Two requests one after the other share a lane.
      ['before-signal', 2, 1],
    ]);
    const byId = new Map(chart.items.map((item) => [item[0], item]));
    expect(byId.get(4)!.slice(4, 6)).toEqual([-5, 3]);
    expect(chart.strings[byId.get(4)![8]]).toBe('ECONNRESET');
    expect(byId.get(7)![7]).toBe(503);
    expect(byId.get(6)![7]).toBe(-1);
    expect(chart.origin).toBe('signal');
    expect(chart.markers.filter((m) => m.line).map((m) => [m.kind, m.t, m.label])).toEqual([
      ['signal', 0, 'SIGTERM'],
      ['exit', 50, 'exit 0'],
    ]);
  });

  it('packs overlapping requests into as many lanes as were at once in flight', () => {
    // Three clients, each sending back to back: three lanes, not a row per request.
    const requests: RequestRecord[] = [];
    let id = 0;
    for (let client = 0; client < 3; client += 1) {
      for (let t = -500; t < -20; t += 10) requests.push(request((id += 1), t + client, t + client + 9));
    }
    const chart = layoutRun(run(requests));
    expect(chart.groups).toHaveLength(1);
    expect(chart.groups[0]!.lanes).toBe(3);
    expect(chart.items).toHaveLength(requests.length);
  });

  it('draws a phase that never ended up to the exit and marks it open', () => {
    const chart = layoutRun(
      run([request(1, -5, 5)], {
        exitAt: S + 40,
        exitCode: null,
        exitSignal: 'SIGKILL',
        timeline: [
          { event: 'phase-start', t: S + 1, phase: 'intake' },
          { event: 'phase-end', t: S + 2, phase: 'intake' },
          { event: 'phase-start', t: S + 2, phase: 'drain' },
        ],
      }),
    );
    expect(chart.phases).toEqual([
      { phase: 'intake', start: 1, end: 2, open: false },
      { phase: 'drain', start: 2, end: 40, open: true },
    ]);
    const exit = chart.markers.find((m) => m.kind === 'exit')!;
    expect([exit.label, exit.bad]).toEqual(['killed by SIGKILL', true]);
  });

  it('turns the deadline into a marker that lists what was pending', () => {
    const chart = layoutRun(failingRun(2));
    const deadline = chart.markers.find((m) => m.kind === 'deadline')!;
    expect(deadline.line).toBe(true);
    expect(deadline.label).toBe('deadline: 2 pending');
    expect(deadline.detail).toContain('task invoice-batch, 812 ms old (src/jobs/invoice.ts:41)');
    expect(chart.markers.some((m) => m.kind === 'work-after-intake' && m.bad)).toBe(true);
  });

  it('draws the primary\'s phases and names a cluster worker\'s events as that worker\'s', () => {
    const chart = layoutRun(
      run([request(1, -5, 5)], {
        timeline: [
          { event: 'phase-start', t: S + 1, phase: 'intake' },
          { event: 'phase-start', t: S + 3, phase: 'intake', worker: 4242 },
          { event: 'work-after-intake', t: S + 6, kind: 'task', name: 'flush', worker: 4242 },
          { event: 'phase-end', t: S + 8, phase: 'intake', worker: 4242 },
          { event: 'phase-end', t: S + 9, phase: 'intake' },
          { event: 'exit', t: S + 20, code: 0, worker: 4242 },
        ],
      }),
    );
    expect(chart.phases).toEqual([{ phase: 'intake', start: 1, end: 9, open: false }]);
    const late = chart.markers.find((m) => m.kind === 'work-after-intake')!;
    expect(late.label).toBe('worker 4242: work after intake: flush');
    expect(late.detail[0]).toBe('in cluster worker 4242');
    // The exit drawn is the service process's own (exitAt), not the worker's.
    expect(chart.markers.find((m) => m.kind === 'exit')!.t).toBe(50);
  });

  it('without a signal, measures from the first request and keeps one group', () => {
    const chart = layoutRun(run([request(1, 10, 20, { inFlightAtSignal: false, afterSignal: false })], { signalAt: null }));
    expect(chart.origin).toBe('first request');
    expect(chart.groups.map((g) => g.id)).toEqual(['all']);
    expect(chart.items[0]!.slice(4, 6)).toEqual([0, 10]);
    expect(chart.focus).toBeNull();
  });

  it('offers a view around the signal when the shutdown is a small part of the run', () => {
    const requests = [request(1, -5000, -4990), request(2, -10, 10), request(3, 2, 3, { outcome: 'refused', status: undefined })];
    const chart = layoutRun(run(requests, { exitAt: S + 30 }));
    expect(chart.focus).not.toBeNull();
    const [from, to] = chart.focus!;
    expect(from).toBeLessThan(-10);
    expect(from).toBeGreaterThan(-100);
    expect(to).toBeGreaterThan(30);
    expect(to).toBeLessThan(100);
  });
});

describe('escaping', () => {
  it('escapes markup in text and attributes', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;');
  });

  it('embeds JSON that cannot end its script element and reads back the same', () => {
    const value = { path: '</script><script>alert(1)</script><!--', line: 'a\u2028b' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/<|>|\u2028/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
