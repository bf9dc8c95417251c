import { ValidateBy, ValidationOptions } from 'class-validator';
import { isInstant, isLocalWallTime } from './local-time';

function validatedBy(name: string, test: (value: unknown) => boolean, message: string) {
  return (options?: ValidationOptions): PropertyDecorator =>
    ValidateBy({ name, validator: { validate: (value) => test(value), defaultMessage: () => message } }, options);
}

/**
 * A member-local wall time `YYYY-MM-DDTHH:mm` that the calendar has (not 31 February): the field of
 * PATCH /api/posts/:id and of any other route that takes a new local time (e.g. reopen). Whether it
 * falls within the campaign is the service's check (PostsService.checkLocalTimeInCampaign).
 */
export const IsLocalWallTime = validatedBy('isLocalWallTime', isLocalWallTime,
  "must be a local date-time YYYY-MM-DDTHH:mm on a real calendar date (no offset: the member's zone applies)");

/** A full ISO 8601 instant with its offset or Z, e.g. 2021-10-29T08:00:00Z. */
export const IsInstant = validatedBy('isInstant', isInstant,
  'must be an ISO 8601 instant with date, time and offset, e.g. 2021-10-29T08:00:00Z or 2021-10-29T10:00:00+02:00');
