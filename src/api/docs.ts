import { createHash } from 'node:crypto';
import { html as esc } from '../report/escape/html.js';

/** The page's one script: the "try it" buttons. Allowed by its hash, so no other script can run on the page. */
const DOCS_SCRIPT = `for (const b of document.querySelectorAll('button[data-path]')) {
  b.addEventListener('click', async () => {
    const out = b.nextElementSibling; out.hidden = false; out.textContent = '…';
    const token = document.getElementById('token').value;
    const res = await fetch(b.dataset.path + '?limit=5', { headers: token ? { authorization: 'Bearer ' + token } : {} });
    out.textContent = res.status + '\\n' + JSON.stringify(await res.json(), null, 2);
  });
}
`;

/** The /docs page's CSP: its own script (by hash), inline styles, calls to this origin, nothing else. */
export const DOCS_CSP = `default-src 'none'; script-src 'sha256-${createHash('sha256').update(DOCS_SCRIPT).digest('base64')}'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; frame-ancestors 'none'`;

/**
 * The /docs page: a self-contained API reference rendered from the OpenAPI document (no CDN, works offline),
 * with a small "try it" form per GET route that calls the API with an optional bearer token.
 */
export function docsPage(doc: Record<string, unknown>): string {
  const paths = (doc['paths'] ?? {}) as Record<string, Record<string, { summary?: string; tags?: string[]; parameters?: { name: string; in: string; description?: string; required?: boolean }[] }>>;
  const rows: string[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = (op.parameters ?? []).map((p) => `<li><code>${esc(p.name)}</code> <small>(${esc(p.in)}${p.required ? ', required' : ''})</small> ${esc(p.description)}</li>`).join('');
      const tryIt = method === 'get' && !path.includes('{') ? `<button data-path="${esc(path)}">Try it</button><pre class="out" hidden></pre>` : '';
      rows.push(`<section class="route" id="${esc(method + path)}"><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3><p>${esc(op.summary)}</p>${params ? `<ul>${params}</ul>` : ''}${tryIt}</section>`);
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Rightsize API reference</title>
<style>body{font:15px system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d2733}h1{margin-bottom:.2rem}.route{border-top:1px solid #dde3ea;padding:.4rem 0}.m{display:inline-block;min-width:3.5rem;font-size:.8rem;padding:.1rem .4rem;border-radius:4px;color:#fff;background:#3c6e9f}.m.post{background:#2f8a5b}pre{background:#f3f5f8;padding:.6rem;overflow:auto;max-height:20rem}input{width:28rem}</style></head>
<body><h1>Rightsize API</h1><p>OpenAPI 3.1 document: <a href="/openapi.json">/openapi.json</a>. Routes under <code>/v1</code> need <code>Authorization: Bearer &lt;token&gt;</code>.</p>
<label>Bearer token <input id="token" type="password" autocomplete="off"></label>
${rows.join('\n')}
<script>${DOCS_SCRIPT}</script></body></html>`;
}
