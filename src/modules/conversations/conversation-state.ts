import { AppError } from '../../common/errors/app-error.js';

/**
 * Who answers a conversation. `escalated`: waiting for staff; `human`: a staff member is
 * handling it; `resolved`: closed until the customer writes again.
 */
export const MODES = ['bot', 'escalated', 'human', 'resolved'] as const;
export type Mode = (typeof MODES)[number];

/** Where the customer is in buying. */
export const COMMERCE_STEPS = ['browsing', 'cart', 'details', 'awaiting_payment'] as const;
export type CommerceStep = (typeof COMMERCE_STEPS)[number];

const MODE_TRANSITIONS: Record<Mode, readonly Mode[]> = {
  bot: ['escalated', 'human', 'resolved'],
  escalated: ['human', 'bot', 'resolved'],
  human: ['bot', 'resolved', 'escalated'],
  resolved: ['bot', 'escalated', 'human'],
};

// A cart survives `cancel` (browsing) and a placed order (awaiting_payment), so checkout
// may start from either.
const STEP_TRANSITIONS: Record<CommerceStep, readonly CommerceStep[]> = {
  browsing: ['cart', 'details'],
  cart: ['browsing', 'details'],
  details: ['browsing', 'cart', 'awaiting_payment'],
  awaiting_payment: ['browsing', 'cart', 'details'],
};

export function canChangeMode(from: Mode, to: Mode): boolean {
  return from === to || MODE_TRANSITIONS[from].includes(to);
}

export function canChangeStep(from: CommerceStep, to: CommerceStep): boolean {
  return from === to || STEP_TRANSITIONS[from].includes(to);
}

export function illegalTransition(what: 'mode' | 'step', from: string, to: string): AppError {
  return new AppError('conflict', 'illegal_transition', `Cannot change ${what} from ${from} to ${to}`, { from, to });
}

/** Returns `to`, or throws `illegal_transition`: a state never changes silently. */
export function nextMode(from: Mode, to: Mode): Mode {
  if (!canChangeMode(from, to)) throw illegalTransition('mode', from, to);
  return to;
}

export function nextStep(from: CommerceStep, to: CommerceStep): CommerceStep {
  if (!canChangeStep(from, to)) throw illegalTransition('step', from, to);
  return to;
}

/** The bot answers only in these modes; staff own the conversation otherwise. */
export function botAnswers(mode: Mode): boolean {
  return mode === 'bot' || mode === 'resolved';
}
