import { html as esc } from '../report/escape/html.js';

/** The part of a JSON Schema (OpenAPI 3.1) the /docs page shows. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  example?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

/** One row of a parameter or body table, its cells already HTML. */
export interface SchemaRow {
  name: string;
  required: boolean;
  allowed: string;
  description: string;
}

/** A link target the docs render: this API's paths and https pages; anything else stays text. */
const SAFE_URL = /^(?:https:\/\/|\/)[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]*$/;

/**
 * The Markdown of OpenAPI descriptions as HTML: paragraphs, `code`, **strong**, *emphasis* and [links](https://…).
 * The text is HTML-escaped first and only those constructs are turned into tags, so a description can add no other
 * markup; code spans are cut out before emphasis so `a*b` inside code stays literal.
 * @example inlineMarkdown('`key` or `key=value`') === '<p><code>key</code> or <code>key=value</code></p>'
 */
export function inlineMarkdown(text: string): string {
  return text
    .split(/\n\s*\n/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${inline(p.trim())}</p>`)
    .join('');
}

function inline(text: string): string {
  return text
    .split(/(`+)([\s\S]*?[^`])\1(?!`)/)
    .map((part, i) => {
      // split() with two groups: [text, fence, code, text, fence, code, …]
      if (i % 3 === 1) return '';
      if (i % 3 === 2) return `<code>${esc(part.trim() === '' ? part : part.replace(/^ (.*) $/s, '$1'))}</code>`;
      return esc(part)
        .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (m, label: string, url: string) => {
          const raw = url.replace(/&amp;/g, '&');
          return SAFE_URL.test(raw) ? `<a href="${esc(raw)}">${label}</a>` : m;
        })
        .replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>')
        .replace(/(^|[^\w*])\*([^*\n]+)\*(?![\w*])/g, '$1<em>$2</em>');
    })
    .join('');
}

const code = (v: unknown) => `<code>${esc(typeof v === 'string' ? v : JSON.stringify(v))}</code>`;

/** The allowed values of one schema as HTML: the enum, or the type with its bounds, and the default. */
export function allowedValues(s: JsonSchema): string {
  const parts: string[] = [];
  const type = Array.isArray(s.type) ? s.type.join(' or ') : s.type;
  if (s.enum) parts.push(`one of ${s.enum.map(code).join(', ')}`);
  else if (type === 'array') {
    const items = s.items ?? {};
    const count = s.minItems !== undefined || s.maxItems !== undefined ? ` (${s.minItems ?? 0}–${s.maxItems ?? '∞'} items)` : '';
    parts.push(`array${count} of ${items.enum ? items.enum.map(code).join(', ') : esc(allowedText(items))}`);
  } else if (type === 'boolean') parts.push(`${code(true)} or ${code(false)}`);
  else if (type) parts.push(esc(allowedText(s)));
  if (s.pattern) parts.push(`matching ${code(s.pattern)}`);
  if (s.default !== undefined) parts.push(`default ${code(s.default)}`);
  return parts.join('; ');
}

/** `integer 1–500`, `number > 0, ≤ 2048`, `string of 1–200 characters`. */
function allowedText(s: JsonSchema): string {
  const type = (Array.isArray(s.type) ? s.type.join(' or ') : s.type) ?? 'value';
  const bounds: string[] = [];
  if (s.minimum !== undefined && s.maximum !== undefined) bounds.push(`${s.minimum}–${s.maximum}`);
  else {
    if (s.minimum !== undefined) bounds.push(`≥ ${s.minimum}`);
    if (s.maximum !== undefined) bounds.push(`≤ ${s.maximum}`);
  }
  if (s.exclusiveMinimum !== undefined) bounds.unshift(`> ${s.exclusiveMinimum}`);
  if (s.exclusiveMaximum !== undefined) bounds.push(`< ${s.exclusiveMaximum}`);
  if (type === 'string' && (s.minLength !== undefined || s.maxLength !== undefined)) return `string of ${s.minLength ?? 0}–${s.maxLength ?? '∞'} characters`;
  return bounds.length === 0 ? type : `${type} ${bounds.join(', ')}`;
}

/** A field's rows: itself, then each property of a nested object as `parent.child`. */
export function schemaRows(name: string, schema: JsonSchema, required: boolean, components: Record<string, JsonSchema>): SchemaRow[] {
  const s = schema.$ref ? (components[schema.$ref.replace('#/components/schemas/', '')] ?? schema) : schema;
  const row: SchemaRow = { name, required, allowed: s.properties ? 'object' : allowedValues(s), description: s.description ? inlineMarkdown(s.description) : '' };
  const nested = Object.entries(s.properties ?? {}).flatMap(([child, cs]) => schemaRows(`${name}.${child}`, cs, (s.required ?? []).includes(child), components));
  return [row, ...nested];
}
