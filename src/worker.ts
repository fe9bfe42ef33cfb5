import 'reflect-metadata';
import { run } from './bootstrap/run.js';

// Queue processors and schedules only: a Nest application context without HTTP.
await run('worker');
