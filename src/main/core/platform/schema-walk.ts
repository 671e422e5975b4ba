/**
 * Reading the platform schema at a path, to tell a person which fields are expected where they
 * wrote an unknown one. Follows objects, arrays, records, wrappers and discriminated unions.
 */
import type { z } from 'zod';

interface SchemaDefinition {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
}

function definitionOf(schema: z.ZodType): SchemaDefinition {
  return (schema as unknown as { _zod: { def: SchemaDefinition } })._zod.def;
}

const wrapperTypes = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

function unwrap(schema: z.ZodType, data: unknown): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 20; depth++) {
    const definition = definitionOf(current);
    if (wrapperTypes.has(definition.type) && definition.innerType) current = definition.innerType;
    else if (definition.type === 'pipe' && definition.in) current = definition.in;
    else if (definition.type === 'union' && definition.options) current = pickOption(definition, data) ?? current;
    else return current;
    if (definitionOf(current).type === 'union' && current === schema) return current;
  }
  return current;
}

function pickOption(definition: SchemaDefinition, data: unknown): z.ZodType | undefined {
  const discriminator = definition.discriminator;
  if (!discriminator || typeof data !== 'object' || data === null) return undefined;
  const value = (data as Record<string, unknown>)[discriminator];
  return definition.options?.find((option) => {
    const shape = definitionOf(option).shape;
    const literal = shape?.[discriminator];
    const values = literal ? (literal as unknown as { _zod: { values?: Set<unknown> } })._zod.values : undefined;
    return values?.has(value) ?? false;
  });
}

/** The field names the schema allows for the object at `path`, or undefined if it is not an object. */
export function expectedKeysAt(root: z.ZodType, path: readonly PropertyKey[], data: unknown): string[] | undefined {
  let schema = unwrap(root, data);
  let value = data;
  for (const segment of path) {
    const definition = definitionOf(schema);
    value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[segment] : undefined;
    const next =
      definition.type === 'object'
        ? definition.shape?.[String(segment)]
        : definition.type === 'array'
          ? definition.element
          : definition.type === 'record'
            ? definition.valueType
            : undefined;
    if (!next) return undefined;
    schema = unwrap(next, value);
  }
  const definition = definitionOf(schema);
  return definition.type === 'object' && definition.shape ? Object.keys(definition.shape) : undefined;
}
