import 'reflect-metadata';
import { run } from './bootstrap/run.js';

// The HTTP API; with APP_ROLE=all (the default) the workers run in this process too.
await run();
