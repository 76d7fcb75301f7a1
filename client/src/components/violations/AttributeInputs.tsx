import { hasMessage, useI18n } from '../../i18n/i18n';
import type { AttributeField } from '../../violations/attribute_fields';

/**
 * The inputs of a category's attributes (from its zod schema via attributeFields): checkbox,
 * select or text/number input with its unit, required ones starred, each with its error once the
 * form has been submitted. Used by 上报违法 and by confirming a satellite lead.
 */
export function AttributeInputs({
  fields,
  valueOf,
  onChange,
  errors,
  showErrors,
}: {
  fields: readonly AttributeField[];
  valueOf: (key: string) => string | boolean | undefined;
  onChange: (key: string, value: string | boolean) => void;
  errors: Readonly<Record<string, string>>;
  showErrors: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      {fields.map((field) => {
        const attrKey = `attr.${field.key}`;
        const name = hasMessage(attrKey) ? t(attrKey) : field.key;
        const value = valueOf(field.key);
        const error = showErrors ? errors[field.key] : undefined;
        if (field.kind === 'boolean') {
          return (
            <label key={field.key} className="form-check">
              <input type="checkbox" name={field.key} checked={value === true} onChange={(event) => onChange(field.key, event.target.checked)} />
              {name}
            </label>
          );
        }
        return (
          <label key={field.key} className="form-field">
            <span className="form-label">
              {name}
              {field.optional ? '' : ' *'}
            </span>
            {field.kind === 'enum' ? (
              <select name={field.key} value={String(value ?? '')} onChange={(event) => onChange(field.key, event.target.value)} aria-invalid={Boolean(error)}>
                <option value="">—</option>
                {field.options.map((option) => {
                  const enumKey = `enum.${field.key}.${option}`;
                  return (
                    <option key={option} value={option}>
                      {hasMessage(enumKey) ? t(enumKey) : option}
                    </option>
                  );
                })}
              </select>
            ) : (
              <span className={field.kind === 'number' && field.unit ? 'input-unit' : undefined} data-unit={field.kind === 'number' ? field.unit : undefined}>
                <input
                  name={field.key}
                  inputMode={field.kind === 'number' ? (field.integer ? 'numeric' : 'decimal') : undefined}
                  value={String(value ?? '')}
                  onChange={(event) => onChange(field.key, event.target.value)}
                  aria-invalid={Boolean(error)}
                  autoComplete="off"
                />
              </span>
            )}
            {error && <span className="form-error">{error}</span>}
          </label>
        );
      })}
    </>
  );
}
