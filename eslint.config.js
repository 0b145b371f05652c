/**
 * ESLint for meshgate (`npm run lint`). Three jobs: typescript-eslint's recommended rules, no import
 * cycle, and the arrows of ARCHITECTURE.md ("The house") as import zones, so a wrong-way import
 * fails CI with a message that says which arrow it breaks.
 */
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

/** Every top-level folder of the project that holds code; an import zone names its targets and sources from these. */
const folders = ['schema', 'policies', 'subgraphs', 'gateway', 'cli', 'test', 'bench', 'bin'];

/**
 * What each folder of the house may import besides itself. Folders not listed here (cli/, test/,
 * bench/, bin/) may import everything.
 */
const house = {
  schema: [],
  policies: ['schema'],
  subgraphs: ['schema', 'policies'],
  gateway: ['schema', 'policies'],
};

/** The message for an import from `folder` into `from`, naming the arrow it breaks. */
function arrowMessage(folder, from) {
  if ((folder === 'gateway' && from === 'subgraphs') || (folder === 'subgraphs' && from === 'gateway')) {
    return 'The gateway and the subgraphs never import each other: they meet over HTTP and the federation protocol (ARCHITECTURE.md, "The house").';
  }
  if (from === 'cli' || from === 'bin') return 'cli/ is the composition root: only test/ and bench/ import it (ARCHITECTURE.md, "The house").';
  const may = house[folder].length === 0 ? 'nothing of the project' : `only ${house[folder].map((f) => `${f}/`).join(' and ')}`;
  return `${folder}/ imports ${may} (ARCHITECTURE.md, "The house": cli → gateway, subgraphs → policies → schema).`;
}

/** One zone per forbidden (folder, source) pair, so each refusal carries its own reason. */
const zones = [
  ...Object.entries(house).flatMap(([folder, may]) =>
    folders.filter((from) => from !== folder && !may.includes(from)).map((from) => ({ target: `./${folder}`, from: `./${from}`, message: arrowMessage(folder, from) })),
  ),
  {
    target: './subgraphs/runtime',
    from: './subgraphs',
    except: ['./runtime'],
    message: 'The subgraph runtime serves every domain and imports none of them (ARCHITECTURE.md, "The house").',
  },
];

export default defineConfig([
  globalIgnores(['node_modules/', 'data/', 'bench/data/', 'bench/results/', 'bench/scratch/', 'coverage/', 'dist/', '.meshgate/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    // The GraphiQL page's script runs in the browser, as a classic script (see gateway/graphiql/renderGraphiQLPage.ts).
    files: ['gateway/graphiql/browser/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
  },
  {
    files: ['**/*.ts', '**/*.js'],
    plugins: { 'import-x': importX },
    settings: {
      // Without .ts here import-x takes the sources for unknown files and no-cycle sees no edge at all.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${root}/tsconfig.json` })],
    },
    rules: {
      // A destructuring assignment that also sets an outer `let` cannot be split without noise.
      'prefer-const': ['error', { destructuring: 'all' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // An import the resolver cannot follow would slip past the zones below unchecked: refuse it instead.
      'import-x/no-unresolved': 'error',
      'import-x/no-restricted-paths': ['error', { basePath: root, zones }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
]);
