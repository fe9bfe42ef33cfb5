import { AppError } from '../../../common/errors/app-error.js';
import { MODES } from '../conversation-state.js';
import { isWithStaff, modeAfter, pickAssignee, STAFF_ACTIONS, type StaffAction } from './staff-actions.js';

describe('modeAfter', () => {
  it.each([
    ['escalate', 'bot', 'escalated'],
    ['escalate', 'human', 'escalated'],
    ['escalate', 'resolved', 'escalated'],
    ['resolve', 'bot', 'resolved'],
    ['resolve', 'escalated', 'resolved'],
    ['resolve', 'human', 'resolved'],
    ['return_to_bot', 'escalated', 'bot'],
    ['return_to_bot', 'human', 'bot'],
    ['return_to_bot', 'resolved', 'bot'],
  ] as const)('%s from %s leads to %s', (action, from, to) => {
    expect(modeAfter(action, from)).toBe(to);
  });

  it.each(Object.entries(STAFF_ACTIONS) as [StaffAction, (typeof STAFF_ACTIONS)[StaffAction]][])(
    'refuses %s on a conversation already %s with illegal_transition',
    (action, mode) => {
      const error = (() => {
        try {
          modeAfter(action, mode);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ kind: 'conflict', code: 'illegal_transition', details: { from: mode, to: mode } });
    },
  );
});

describe('isWithStaff', () => {
  it('holds for escalated and human only', () => {
    expect(MODES.filter(isWithStaff)).toEqual(['escalated', 'human']);
  });
});

describe('pickAssignee', () => {
  const people = (...open: number[]) => open.map((n, i) => ({ userId: `u${i}`, open: n }));

  it('picks the person with the fewest open conversations', () => {
    expect(pickAssignee(people(3, 1, 2), 5)?.userId).toBe('u1');
  });

  it('breaks ties by order, which is how long each has been available', () => {
    expect(pickAssignee(people(2, 1, 1), 5)?.userId).toBe('u1');
  });

  it('skips people at the cap and answers undefined when all are', () => {
    expect(pickAssignee(people(2, 2, 1), 2)?.userId).toBe('u2');
    expect(pickAssignee(people(2, 3), 2)).toBeUndefined();
    expect(pickAssignee([], 5)).toBeUndefined();
  });
});
