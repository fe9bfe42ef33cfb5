/** Every Bull queue Hawker runs. Each module owns its jobs; this list lets operators see them all. */
export const Queues = {
  inbound: 'inbound',
  outbound: 'outbound',
  notifications: 'notifications',
  payments: 'payments',
  privacy: 'privacy',
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof Queues)[keyof typeof Queues];
export const QUEUE_NAMES: QueueName[] = Object.values(Queues);

export function isQueueName(value: string): value is QueueName {
  return (QUEUE_NAMES as string[]).includes(value);
}
