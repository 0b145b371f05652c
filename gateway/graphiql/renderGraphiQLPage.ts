/**
 * The GraphiQL page's HTML: render-graphiql's own template (its bundle, styles and Monaco workers,
 * all inlined, so nothing loads from the network) with meshgate's guide around it: a bar above the
 * editor (schema status, "Reload schema", the dev-token control in dev mode), the tabs, and the
 * page script `browser/guide.js`, which starts GraphiQL with them. The guide's settings travel as a
 * JSON script element, escaped so that no value can close it.
 */
import { readFile } from 'node:fs/promises';
import { css, editorWorkerService, favicon, graphqlWorker, js, jsonWorker } from '@graphql-yoga/render-graphiql/graphiql';

/** One tab GraphiQL opens with (when the browser has none stored from an earlier visit). */
export interface GraphiQLTab {
  readonly query: string;
  /** The variables, as JSON text. */
  readonly variables?: string;
}

/** What the page shows. */
export interface GraphiQLPageContent {
  /** Where GraphQL is served, e.g. `/graphql`. */
  readonly endpoint: string;
  readonly tabs: readonly GraphiQLTab[];
  /** False when access control is off (no token is needed); default true. */
  readonly access?: boolean;
  /** The dev-token control (dev mode only): where to ask, and the roles and purposes to offer. */
  readonly devToken?: { readonly url: string; readonly roles: readonly string[]; readonly purposes: readonly string[] };
}

/** The page script and its styles, read once from `browser/`. */
export interface GuideAssets {
  readonly script: string;
  readonly style: string;
}

/** Reads the page script and styles that sit beside this module. */
export async function loadGuideAssets(): Promise<GuideAssets> {
  const [script, style] = await Promise.all([readFile(new URL('./browser/guide.js', import.meta.url), 'utf8'), readFile(new URL('./browser/guide.css', import.meta.url), 'utf8')]);
  return { script, style };
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** JSON that is safe inside a <script> element: no `<` (so no `</script>`), and no line separators JavaScript would choke on. */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

const options = (values: readonly string[]): string => values.map((v) => `<option value="${escapeHtml(v)}">${escapeHtml(v)}</option>`).join('');

function devTokenForm(devToken: NonNullable<GraphiQLPageContent['devToken']>): string {
  return `<form id="meshgate-dev-token" class="meshgate-group" aria-label="Get a dev token">
      <span class="meshgate-label">Dev token</span>
      <label>sub <input name="sub" value="you" required maxlength="64" pattern="[A-Za-z0-9_.@:\\-]+" size="10" spellcheck="false"></label>
      <label>role <select name="role">${options(devToken.roles)}</select></label>
      <label>purpose <select name="purpose"><option value="">none</option>${options(devToken.purposes)}</select></label>
      <label>countries <input name="countries" placeholder="DE,FR" maxlength="60" pattern="\\s*[A-Za-z]{2}(\\s*,\\s*[A-Za-z]{2})*\\s*" size="6" spellcheck="false"></label>
      <button type="submit">Get dev token</button>
    </form>
    <span id="meshgate-token-status" role="status" aria-live="polite"></span>`;
}

const NO_TOKEN_HINT = '<span class="meshgate-hint">Access control is off on this gateway: no token is needed.</span>';
const TOKEN_HINT = `<span class="meshgate-hint">Put <code>{"Authorization": "Bearer &lt;token&gt;"}</code>, a token from your identity provider, into the Headers pane: the schema loads with it.</span>`;

/** The whole page for `content`. */
export function renderGraphiQLPage(content: GraphiQLPageContent, assets: GuideAssets): string {
  const config = {
    graphiql: {
      endpoint: content.endpoint,
      title: 'meshgate GraphiQL',
      defaultTabs: content.tabs.map((t) => ({ query: t.query, variables: t.variables ?? null })),
      // The Headers pane open from the start: it is where the token goes.
      defaultEditorToolsVisibility: 'headers',
    },
    devToken: content.devToken ? { url: content.devToken.url } : null,
  };
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>meshgate GraphiQL</title>
    <link rel="icon" href="${favicon}" />
    <style>${css}</style>
    <style>${assets.style}</style>
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to use GraphiQL.</noscript>
    <header id="meshgate-bar">
      <strong class="meshgate-brand">meshgate</strong>
      ${content.devToken ? devTokenForm(content.devToken) : content.access === false ? NO_TOKEN_HINT : TOKEN_HINT}
      <span class="meshgate-spacer"></span>
      <span id="meshgate-schema-status" role="status" aria-live="polite" data-state="loading">Loading the schema…</span>
      <button type="button" id="meshgate-reload-schema" title="Fetch the schema again, sending the headers of this tab">Reload schema</button>
    </header>
    <div id="root"></div>
    <script id="meshgate-config" type="application/json">${scriptJson(config)}</script>
    <script>
      function prepareBlob(workerContent) {
        const blob = new Blob([workerContent], { type: 'application/javascript' });
        return URL.createObjectURL(blob);
      }
      const workers = {
        editorWorkerService: prepareBlob(${JSON.stringify(editorWorkerService)}),
        json: prepareBlob(${JSON.stringify(jsonWorker)}),
        graphql: prepareBlob(${JSON.stringify(graphqlWorker)}),
      };
      self['MonacoEnvironment'] = {
        globalAPI: false,
        getWorkerUrl: function (moduleId, label) {
          return workers[label];
        },
      };
      ${js};
    </script>
    <script>${assets.script}</script>
  </body>
</html>
`;
}
