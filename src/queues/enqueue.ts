import type { Job, JobOptions, Queue } from 'bull';

export const ENQUEUE_TIMEOUT_MS = 1000;

/**
 * Adds a job but waits at most a second. Work is durable in Postgres before it is
 * enqueued, and the sweeper re-enqueues what never made it, so a Redis outage must
 * delay a job, never the HTTP answer. Resolves to undefined when Redis did not answer.
 */
export async function enqueue<T>(
  queue: Queue<T>,
  name: string,
  data: T,
  options: JobOptions,
): Promise<Job<T> | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ENQUEUE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([queue.add(name, data, options).catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
