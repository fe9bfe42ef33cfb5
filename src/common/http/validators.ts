import { ValidateBy, ValidationOptions } from 'class-validator';

const TIME_ZONES = new Set(Intl.supportedValuesOf('timeZone'));
TIME_ZONES.add('UTC');

/** An IANA time zone name this runtime knows, such as `Africa/Lagos`. */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimeZone',
      validator: {
        validate: (value) => typeof value === 'string' && TIME_ZONES.has(value),
        defaultMessage: () => '$property must be an IANA time zone such as Africa/Lagos',
      },
    },
    options,
  );
}
