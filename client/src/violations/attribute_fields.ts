/**
 * Form fields of a category's attributes, read from the zod schema in server/domain (one source of
 * truth): numbers with their unit, enums as selects, booleans as checkboxes, text as inputs.
 */
import { CATEGORY_ATTRIBUTE_SCHEMAS, parseAttributes } from '@domain/violation_attributes';
import type { ViolationCategory } from '@domain/violation_categories';

export type AttributeField =
  | { key: string; kind: 'number'; unit: string; integer: boolean; optional: boolean }
  | { key: string; kind: 'enum'; options: string[]; optional: boolean }
  | { key: string; kind: 'boolean'; optional: boolean }
  | { key: string; kind: 'text'; optional: boolean };

interface ZodLike {
  def: { type: string; innerType?: ZodLike; checks?: { _zod: { def: { check: string } } }[] };
  options?: readonly string[];
}

function unitOf(key: string): string {
  if (key.endsWith('SquareMeters')) return 'm²';
  if (key.endsWith('CubicMeters')) return 'm³';
  if (key.endsWith('Meters')) return 'm';
  return '';
}

export function attributeFields(category: ViolationCategory): AttributeField[] {
  const shape = CATEGORY_ATTRIBUTE_SCHEMAS[category].shape as Record<string, unknown>;
  return Object.entries(shape).map(([key, value]) => {
    let schema = value as ZodLike;
    let optional = false;
    if (schema.def.type === 'optional' && schema.def.innerType) {
      optional = true;
      schema = schema.def.innerType;
    }
    switch (schema.def.type) {
      case 'number': {
        const integer = (schema.def.checks ?? []).some((check) => check._zod.def.check === 'number_format');
        return { key, kind: 'number', unit: unitOf(key), integer, optional };
      }
      case 'enum':
        return { key, kind: 'enum', options: [...(schema.options ?? [])], optional };
      case 'boolean':
        return { key, kind: 'boolean', optional };
      default:
        return { key, kind: 'text', optional };
    }
  });
}

/** Raw form values (strings and booleans) → the attribute object the server expects. */
export function attributesFromForm(category: ViolationCategory, values: Record<string, string | boolean>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of attributeFields(category)) {
    const raw = values[field.key];
    if (field.kind === 'boolean') {
      result[field.key] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (text === '') {
      if (!field.optional) result[field.key] = undefined;
      continue;
    }
    result[field.key] = field.kind === 'number' ? Number(text.replace(',', '.')) : text;
  }
  return result;
}

/** Field key → first error message, from the shared zod schema; empty when valid. */
export function attributeErrors(category: ViolationCategory, attributes: Record<string, unknown>): Record<string, string> {
  const parsed = parseAttributes(category, attributes);
  if (parsed.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? '_');
    errors[key] ??= issue.message;
  }
  return errors;
}
