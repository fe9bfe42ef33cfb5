import { illegalTransition, type Mode, nextMode } from '../conversation-state.js';

/** What staff can do to a conversation's mode, and the mode each action leads to. */
export const STAFF_ACTIONS = {
  escalate: 'escalated',
  resolve: 'resolved',
  return_to_bot: 'bot',
} as const satisfies Record<string, Mode>;
export type StaffAction = keyof typeof STAFF_ACTIONS;

/** Modes in which a conversation is with staff: it has an assignee and counts toward their load. */
export const STAFF_MODES = ['escalated', 'human'] as const satisfies readonly Mode[];

export function isWithStaff(mode: Mode): boolean {
  return (STAFF_MODES as readonly Mode[]).includes(mode);
}

/**
 * The mode after a staff action, or `illegal_transition`. The engine may re-apply the mode
 * a conversation already has, but a person's action must change something: resolving a
 * resolved conversation means two people acted on the same one, or a screen is stale, and
 * the second person should be told rather than shown a success that did nothing.
 */
export function modeAfter(action: StaffAction, from: Mode): Mode {
  const to = STAFF_ACTIONS[action];
  if (from === to) throw illegalTransition('mode', from, to);
  return nextMode(from, to);
}

export interface Candidate {
  userId: string;
  /** Open (escalated or human) conversations assigned to this person now. */
  open: number;
}

/**
 * Who takes the next waiting conversation: the person with the fewest open conversations
 * under `cap`; among equals, the first in `candidates`, which callers order by how long
 * each has been available. Undefined when everyone is at the cap.
 */
export function pickAssignee<T extends Candidate>(candidates: readonly T[], cap: number): T | undefined {
  let best: T | undefined;
  for (const candidate of candidates) {
    if (candidate.open >= cap) continue;
    if (!best || candidate.open < best.open) best = candidate;
  }
  return best;
}
