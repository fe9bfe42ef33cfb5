import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { Redis, RedisOptions } from 'ioredis';
import { AppConfig } from '../config/app-config.js';
import { QUEUE_NAMES, Queues } from './queue-names.js';

/**
 * Bull on Redis. Blocking and subscriber connections must never give up on a command
 * (Bull's own requirement); the command connection keeps retrying in the background
 * while producers bound their wait with a timeout (see `enqueue`).
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        prefix: `${config.redis.prefix}:bull`,
        createClient: (type: 'client' | 'subscriber' | 'bclient', options?: RedisOptions) =>
          new Redis(config.redis.url, {
            ...options,
            connectionName: `hawker-bull-${type}`,
            maxRetriesPerRequest: null,
            enableReadyCheck: type === 'client',
          }),
      }),
    }),
    BullModule.registerQueue(...QUEUE_NAMES.filter((name) => name !== Queues.outbound).map((name) => ({ name }))),
    // Paced per channel: Meta allows a WhatsApp number about 80 messages a second.
    BullModule.registerQueueAsync({
      name: Queues.outbound,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        limiter: { max: config.delivery.messagesPerSecond, duration: 1000, groupKey: 'channelId' },
      }),
    }),
  ],
  exports: [BullModule],
})
export class QueuesModule {}
