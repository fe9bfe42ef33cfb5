import { Foundation1763800000000 } from './1763800000000-foundation.js';

/** Every migration, in order. Listed explicitly: ES modules have no reliable glob loading. */
export const MIGRATIONS = [Foundation1763800000000];
