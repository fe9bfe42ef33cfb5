import { AppError } from '../../../common/errors/app-error.js';
import type { Mode } from '../conversation-state.js';

export const StaffErrors = {
  memberNotFound: () => new AppError('not_found', 'member_not_found', 'No member of this business has that id'),
  /** The provider would refuse a free-form message: nothing is stored or queued. */
  outsideWindow: (reason: string) => new AppError('conflict', 'outside_window', reason),
  notWithStaff: (mode: Mode) =>
    new AppError('conflict', 'not_with_staff', 'Only an escalated or human conversation has an assignee', { mode }),
};
