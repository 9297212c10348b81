import { applyDecorators, ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonErrors } from '../errors/domain-error';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';
import { Transform } from 'class-transformer';

function flatten(errors: ValidationError[], prefix = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Every input is hostile until validated: unknown fields are refused, types are converted only where
 * a DTO says so, and the error names each offending field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const message = fields.map((f) => `${f.field}: ${f.problems.join('; ')}`).join('. ');
      return CommonErrors.validation(message || 'The request is not valid.', { fields });
    },
  });
}

/**
 * Like class-validator's `IsOptional`, except that only an absent field skips validation: `null` is checked by the
 * field's own rules (and so refused), so it can neither reach a NOT NULL column nor quietly mean "clear this".
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_o: object, v: unknown) => v !== undefined);
}

/** A query-string page size: omittable, a whole number from 1 to `max`, refused with one plain message otherwise. */
export function PageLimit(max: number): PropertyDecorator {
  const message = `limit must be a whole number from 1 to ${max}`;
  return applyDecorators(
    IsOmittable(),
    Transform(({ value }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value)),
    IsInt({ message }),
    Min(1, { message }),
    Max(max, { message }),
  );
}
