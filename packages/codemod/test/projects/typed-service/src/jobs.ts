import { EventEmitter } from 'node:events';

export interface Job {
  readonly id: number;
  run(): Promise<void>;
}

export const queue = new EventEmitter<{ job: [Job] }>();

export async function runJob(job: Job): Promise<void> {
  await job.run();
}

export function startConsumer(): void {
  queue.on('job', async (job) => {
    await runJob(job);
  });
}

export function runAll(jobs: readonly Job[]): void {
  jobs.map(async (job) => runJob(job));
  jobs.forEach(async (job) => {
    await runJob(job);
  });
}
