// Lint, including the layer boundaries: core and shared never import Electron; renderer and
// shared never import Node built-ins; nothing spawns through a shell.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

const noElectron = {
  paths: [{ name: 'electron', message: 'This layer runs without Electron: inject what you need instead.' }],
  patterns: [{ group: ['electron/*'], message: 'This layer runs without Electron.' }],
};

const noNode = {
  paths: nodeBuiltins.map((name) => ({ name, message: 'This layer runs in a browser sandbox: ask the core instead.' })),
  patterns: [{ group: ['electron', 'electron/*'], message: 'The renderer talks only to window.cockpit.' }],
};

// zod probes `new Function`, which the renderer's CSP refuses: the renderer takes only types from
// the schema modules, and values from their zod-free siblings (channels.ts, ledger-actions.ts…).
const rendererRestrictions = {
  paths: [...noNode.paths, { name: 'zod', message: 'No zod in the renderer (the CSP refuses its eval probe).' }],
  patterns: [
    ...noNode.patterns,
    {
      regex: '(^|/)shared/(contract|ledger-record|bridge-protocol)$',
      allowTypeImports: true,
      message: 'Import only types from schema modules in the renderer; values pull zod in.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "Property[key.name='shell'][value.value=true]",
          message: 'Never spawn through a shell: pass an argument array.',
        },
      ],
    },
  },
  {
    files: ['src/main/core/**', 'src/main/bridge/**', 'src/main/cli/**'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [...noElectron.paths, ...noNode.paths], patterns: noNode.patterns }],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', rendererRestrictions],
    },
  },
  {
    files: ['src/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!electron$|\\.\\./shared/channels$)',
              message: 'A sandboxed preload may import only electron and the channel list.',
            },
          ],
        },
      ],
    },
  },
);
