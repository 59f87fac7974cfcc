// A worker thread of the analysis pool (analyse-all.ts): its own TypeScript programs, detection and ts-morph,
// fed batches of files by the main thread; outcomes are plain data and go back one file at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { FileAnalyser } from './analyse.js';
import type { AnalysisOptions } from './detection.js';
import type { FromMainThread, ToMainThread } from './analyse-pool-protocol.js';

const port = parentPort;
if (!port) throw new Error('analyse-worker.js runs as a worker thread of @quiesce/codemod, not on its own');

const analyser = new FileAnalyser(workerData as AnalysisOptions);
const send = (message: ToMainThread): void => port.postMessage(message);

port.on('message', (message: FromMainThread) => {
  void (async () => {
    // analyse() turns every problem with a file into that file's outcome.
    for (const { index, file } of message.batch) send({ type: 'outcome', index, outcome: await analyser.analyse(file) });
    send({ type: 'idle' });
  })();
});
send({ type: 'idle' });
