/**
 * Checks HTTP requests and responses against a published OpenAPI 3.1 description, so a stand-in
 * and the client it serves cannot drift from the real API: the operation must exist, query and
 * path parameters must be declared and match their schemas, a required bearer token must be sent,
 * JSON bodies must match the request schema, and every response must be declared for its status
 * and match its schema.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';

interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema?: object }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: object }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: object }> }>;
  security?: Record<string, string[]>[];
}

export interface ContractRequest {
  method: string;
  /** Path and query as sent, e.g. `/api/v1/deploy?uuid=abc`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: string;
}

export class OpenApiContract {
  private readonly document: { paths: Record<string, Record<string, Operation>>; servers?: { url: string }[] };
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  private readonly validators = new Map<string, ValidateFunction>();
  /** The base path of the first server (`/api/v1`), stripped from request paths. */
  readonly basePath: string;

  constructor(file: string) {
    this.document = normalize(parse(readFileSync(file, 'utf8'))) as typeof this.document;
    this.ajv.addSchema(this.document as object, 'spec');
    this.basePath = new URL(this.document.servers?.[0]?.url ?? 'http://localhost/').pathname.replace(/\/$/, '');
  }

  /** Problems with a request; empty when it follows the description. */
  checkRequest(request: ContractRequest): string[] {
    const url = new URL(request.url, 'http://localhost');
    const found = this.operation(request.method, url.pathname);
    if (!found) return [`${request.method} ${url.pathname} is not an operation of the API`];
    const { operation, pointer, pathParameters } = found;
    const problems: string[] = [];
    const declared = operation.parameters ?? [];
    for (const [name, value] of url.searchParams) {
      const parameter = declared.find((candidate) => candidate.in === 'query' && candidate.name === name);
      if (!parameter) problems.push(`query parameter "${name}" is not declared`);
      else problems.push(...this.checkValue(parameter.schema, value, `query parameter "${name}"`));
    }
    for (const parameter of declared) {
      if (parameter.in === 'query' && parameter.required && !url.searchParams.has(parameter.name))
        problems.push(`required query parameter "${parameter.name}" is missing`);
      if (parameter.in === 'path')
        problems.push(
          ...this.checkValue(parameter.schema, pathParameters[parameter.name] ?? '', `path "${parameter.name}"`),
        );
    }
    if (operation.security?.some((scheme) => 'bearerAuth' in scheme)) {
      const authorization = request.headers.authorization;
      if (typeof authorization !== 'string' || !/^Bearer \S+$/.test(authorization))
        problems.push('the Authorization: Bearer <token> header is missing');
    }
    const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
    if (request.body) {
      if (!bodySchema) problems.push('a body was sent to an operation that takes none');
      else if (!String(request.headers['content-type'] ?? '').startsWith('application/json'))
        problems.push('the body is not sent as application/json');
      else {
        let body: unknown;
        try {
          body = JSON.parse(request.body);
        } catch {
          return [...problems, 'the body is not JSON'];
        }
        problems.push(...this.check(`${pointer}/requestBody/content/application~1json/schema`, body, 'body'));
      }
    } else if (operation.requestBody?.required) problems.push('the required body is missing');
    return problems;
  }

  /** Problems with a response to a request; empty when it follows the description. */
  checkResponse(method: string, pathname: string, status: number, body: string): string[] {
    const found = this.operation(method, new URL(pathname, 'http://localhost').pathname);
    if (!found) return [`${method} ${pathname} is not an operation of the API`];
    const declared = found.operation.responses[String(status)] ? String(status) : undefined;
    if (!declared) return [`status ${status} is not declared for ${method} ${pathname}`];
    let pointer = `${found.pointer}/responses/${declared}`;
    const response = found.operation.responses[declared]!;
    if (response.$ref) pointer = response.$ref.replace(/^#/, '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return [`the ${status} body is not JSON`];
    }
    return this.check(`${pointer}/content/application~1json/schema`, parsed, `${status} body`);
  }

  private operation(method: string, pathname: string) {
    const relative = pathname.startsWith(this.basePath) ? pathname.slice(this.basePath.length) || '/' : pathname;
    // A concrete path wins over a templated one (`/projects/{uuid}/environments` over `/projects/{uuid}/{name}`).
    const templates = Object.entries(this.document.paths).sort(
      ([a], [b]) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0),
    );
    for (const [template, operations] of templates) {
      const names: string[] = [];
      const pattern = new RegExp(
        `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_match, name: string) => {
          names.push(name);
          return '([^/]+)';
        })}$`,
      );
      const match = pattern.exec(relative);
      const operation = match && operations[method.toLowerCase()];
      if (match && operation) {
        const pathParameters = Object.fromEntries(
          names.map((name, index) => [name, decodeURIComponent(match[index + 1]!)]),
        );
        const pointer = `/paths/${template.replaceAll('~', '~0').replaceAll('/', '~1')}/${method.toLowerCase()}`;
        return { operation, pointer, pathParameters };
      }
    }
    return undefined;
  }

  /** A query or path value is text: integers and booleans are read before checking. */
  private checkValue(schema: object | undefined, value: string, what: string): string[] {
    if (!schema) return [];
    const type = (schema as { type?: string }).type;
    const parsed =
      type === 'integer' || type === 'number'
        ? value.trim() === ''
          ? value
          : Number(value)
        : type === 'boolean'
          ? value === 'true'
            ? true
            : value === 'false'
              ? false
              : value
          : value;
    const validate = this.ajv.compile(schema);
    return validate(parsed) ? [] : [`${what}: ${this.ajv.errorsText(validate.errors)}`];
  }

  private check(pointer: string, value: unknown, what: string): string[] {
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `spec#${pointer}` });
      this.validators.set(pointer, validate);
    }
    return validate(value) ? [] : [`${what}: ${this.ajv.errorsText(validate.errors)}`];
  }
}

/** OpenAPI 3.0's `nullable: true`, still used in places, as JSON Schema's `type: [T, 'null']`. */
function normalize(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalize);
  if (!node || typeof node !== 'object') return node;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) result[key] = normalize(value);
  if (typeof result.nullable === 'boolean') {
    if (result.nullable && typeof result.type === 'string') result.type = [result.type, 'null'];
    delete result.nullable;
  }
  return result;
}
