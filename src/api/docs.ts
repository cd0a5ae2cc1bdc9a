import { createHash } from 'node:crypto';
import { html as esc } from '../report/escape/html.js';
import { inlineMarkdown, schemaRows, type JsonSchema } from './docs-schema.js';

/**
 * The page's one script: each "try it" form sends its parameters (path ones substituted, query ones appended, a JSON
 * body for POST) with the optional bearer token, and shows the status and the answer. Allowed by its hash, so no
 * other script can run on the page.
 */
const DOCS_SCRIPT = `for (const form of document.querySelectorAll('form.try')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const out = form.querySelector('pre.out'); out.hidden = false; out.textContent = '…';
    let path = form.dataset.path;
    const query = new URLSearchParams();
    for (const field of form.querySelectorAll('[data-in]')) {
      if (field.value === '') continue;
      if (field.dataset.in === 'path') path = path.replace('{' + field.name + '}', encodeURIComponent(field.value));
      else query.append(field.name, field.value);
    }
    const token = document.getElementById('token').value;
    const headers = token ? { authorization: 'Bearer ' + token } : {};
    const body = form.querySelector('textarea[name=body]');
    if (body) headers['content-type'] = 'application/json';
    const qs = query.toString();
    try {
      const res = await fetch(path + (qs ? '?' + qs : ''), { method: form.dataset.method.toUpperCase(), headers, body: body ? body.value : undefined });
      const text = await res.text();
      let shown = text;
      try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
      out.textContent = res.status + ' ' + res.statusText + '\\n' + shown;
    } catch (error) {
      out.textContent = String(error);
    }
  });
}
`;

/** The /docs page's CSP: its own script (by hash), inline styles, calls to this origin, nothing else. */
export const DOCS_CSP = `default-src 'none'; script-src 'sha256-${createHash('sha256').update(DOCS_SCRIPT).digest('base64')}'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; frame-ancestors 'none'`;

interface Parameter {
  name: string;
  in: string;
  description?: string;
  required?: boolean;
  schema?: JsonSchema;
}
interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string }>;
}

const STYLE = `*{box-sizing:border-box}body{font:15px system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d2733}h1{margin-bottom:.2rem}.route{border-top:1px solid #dde3ea;padding:.4rem 0 .8rem}.m{display:inline-block;min-width:3.5rem;font-size:.8rem;padding:.1rem .4rem;border-radius:4px;color:#fff;background:#3c6e9f;text-align:center}.m.post{background:#2f8a5b}h3 code{overflow-wrap:anywhere}table{border-collapse:collapse;width:100%;margin:.4rem 0;font-size:.9rem}td,th{text-align:left;vertical-align:top;padding:.2rem .5rem;border-bottom:1px solid #eef1f4;overflow-wrap:anywhere}th{color:#4a5866;font-weight:600}code{background:#f3f5f8;padding:0 .2rem;overflow-wrap:anywhere}pre{background:#f3f5f8;padding:.6rem;overflow:auto;max-height:20rem;max-width:100%;white-space:pre-wrap;overflow-wrap:anywhere}input,select,textarea{font:inherit;max-width:100%}#token{width:28rem}form.try{background:#f8fafc;border:1px solid #eef1f4;border-radius:6px;padding:.5rem .7rem;margin-top:.5rem}form.try label{display:inline-block;margin:0 1rem .4rem 0}form.try textarea{width:100%;min-height:7rem;font-family:ui-monospace,monospace}.req{color:#b03a2e}.desc p{margin:.3rem 0}td p{margin:0}li p{display:inline;margin:0}td:first-child code,table.params td:nth-child(2){white-space:nowrap}`;

/** The parameters as a table: name, where, allowed values and description (its Markdown rendered). */
function parameterTable(params: Parameter[]): string {
  if (params.length === 0) return '';
  const rows = params.map((p) => {
    const [row] = schemaRows(p.name, { ...p.schema, ...(p.description && !p.schema?.description ? { description: p.description } : {}) }, p.required === true, {});
    return `<tr><td><code>${esc(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ''}</td><td>${esc(p.in)}</td><td>${row?.allowed ?? ''}</td><td>${row?.description ?? ''}</td></tr>`;
  });
  return `<h4>Parameters</h4><table class="params"><thead><tr><th>name</th><th>in</th><th>allowed values</th><th>description</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The JSON request body: every field (nested ones dotted) with its allowed values, and the example. */
function bodySection(op: Operation, components: Record<string, JsonSchema>): { html: string; example: string | undefined } {
  const schema = op.requestBody?.content?.['application/json']?.schema;
  if (!schema) return { html: '', example: undefined };
  const resolved = resolve(schema, components);
  const rows = Object.entries(resolved.properties ?? {}).flatMap(([name, s]) => schemaRows(name, s, (resolved.required ?? []).includes(name), components));
  const example = resolved.example === undefined ? undefined : JSON.stringify(resolved.example, null, 2);
  const table = `<table class="body"><thead><tr><th>field</th><th>allowed values</th><th>description</th></tr></thead><tbody>${rows.map((r) => `<tr><td><code>${esc(r.name)}</code>${r.required ? ' <span class="req">required</span>' : ''}</td><td>${r.allowed}</td><td>${r.description}</td></tr>`).join('')}</tbody></table>`;
  return { html: `<h4>Request body <small>(application/json${op.requestBody?.required ? ', required' : ''})</small></h4>${resolved.description ? `<div class="desc">${inlineMarkdown(resolved.description)}</div>` : ''}${table}${example ? `<p>Example:</p><pre>${esc(example)}</pre>` : ''}`, example };
}

const resolve = (s: JsonSchema, components: Record<string, JsonSchema>): JsonSchema => (s.$ref ? (components[s.$ref.replace('#/components/schemas/', '')] ?? s) : s);

/** A field of the "try it" form: a choice for an enum, else a text box with the default as placeholder. */
function tryField(p: Parameter): string {
  const s = p.schema ?? {};
  const attrs = `name="${esc(p.name)}" data-in="${esc(p.in)}"${p.required ? ' required' : ''}`;
  const control = s.enum
    ? `<select ${attrs}><option value="">${esc(s.default === undefined ? '(any)' : `(default ${String(s.default)})`)}</option>${s.enum.map((v) => `<option>${esc(v)}</option>`).join('')}</select>`
    : `<input ${attrs} size="18"${s.default === undefined ? (s.example === undefined ? '' : ` placeholder="${esc(s.example)}"`) : ` placeholder="${esc(s.default)}"`}>`;
  return `<label>${esc(p.name)} ${control}</label>`;
}

/**
 * The /docs page: a self-contained API reference rendered from the OpenAPI document (no CDN, works offline): every
 * route with its description (Markdown rendered), parameters with their allowed values, request body fields and
 * responses, and a "try it" form taking the route's parameters and body, sent with an optional bearer token.
 */
export function docsPage(doc: Record<string, unknown>): string {
  const paths = (doc['paths'] ?? {}) as Record<string, Record<string, Operation>>;
  const components = ((doc['components'] as { schemas?: Record<string, JsonSchema> } | undefined)?.schemas ?? {}) as Record<string, JsonSchema>;
  const sections: string[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      const body = bodySection(op, components);
      const responses = Object.entries(op.responses ?? {}).map(([status, r]) => `<li><code>${esc(status)}</code> ${inlineMarkdown(r.description ?? '')}</li>`).join('');
      const bodyField = body.example === undefined && !op.requestBody ? '' : `<label style="display:block">JSON body<textarea name="body" spellcheck="false">${esc(body.example ?? '{}')}</textarea></label>`;
      const tryIt = `<form class="try" data-method="${esc(method)}" data-path="${esc(path)}">${params.map(tryField).join('')}${bodyField}<button type="submit">Try it</button><pre class="out" hidden></pre></form>`;
      sections.push(`<section class="route" id="${esc(method + path)}"><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3><div class="desc">${inlineMarkdown(op.summary ?? '')}${op.description ? inlineMarkdown(op.description) : ''}</div>${parameterTable(params)}${body.html}${responses ? `<h4>Responses</h4><ul>${responses}</ul>` : ''}${tryIt}</section>`);
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><link rel="icon" href="data:,"><title>Rightsize API reference</title>
<style>${STYLE}</style></head>
<body><h1>Rightsize API</h1><p>OpenAPI 3.1 document: <a href="/openapi.json">/openapi.json</a>. Routes under <code>/v1</code> need <code>Authorization: Bearer &lt;token&gt;</code>; <code>/healthz</code>, <code>/openapi.json</code> and this page do not.</p>
<label>Bearer token <input id="token" type="password" autocomplete="off"></label>
${sections.join('\n')}
<script>${DOCS_SCRIPT}</script></body></html>`;
}
