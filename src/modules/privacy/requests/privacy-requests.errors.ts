import { AppError } from '../../../common/errors/app-error.js';

/** Privacy requests' stable error codes. */
export const PrivacyErrors = {
  notFound: () => new AppError('not_found', 'not_found', 'Privacy request not found'),
  contactNotFound: () => new AppError('not_found', 'not_found', 'Contact not found'),
  contactRequired: () =>
    new AppError('bad_request', 'contact_required', 'An erasure names the contact to erase', { field: 'contactId' }),
  /** An erased contact has nothing left to export. */
  contactErased: () => new AppError('conflict', 'contact_erased', 'This contact has been erased'),
  /** A genuine download link past its time (a forged or altered one is `not_found`). */
  linkExpired: () => new AppError('gone', 'link_expired', 'This download link has expired'),
  /** The archive was removed when its time ran out. */
  archiveExpired: () => new AppError('gone', 'link_expired', 'This export has expired; request a new one'),
};
