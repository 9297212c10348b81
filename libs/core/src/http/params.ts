import { ParseUUIDPipe } from '@nestjs/common';
import { CommonErrors } from '../errors/domain-error';

/** A path parameter that must be a UUID; anything else is a 400 naming the parameter, never a 500. */
export function UuidParam(name = 'id'): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      CommonErrors.validation(`${name} must be a UUID.`, { fields: [{ field: name, problems: ['must be a UUID'] }] }),
  });
}
