import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', '.quorum/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // The dependency rule: core/ never reaches into adapters or infra.
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/bots/**', '**/addins/**', '**/web/**', '**/infra/**'],
              message: 'core/ imports nothing from adapters or infra (see docs/ARCHITECTURE.md).',
            },
            {
              group: ['express', '@slack/*', '@microsoft/teams*', '@zoom/*'],
              message: 'core/ imports no chat-platform SDK and no HTTP framework.',
            },
            {
              group: [
                'googleapis',
                '@googleapis/*',
                '@microsoft/microsoft-graph-client',
                'tsdav',
                'openai',
                'openai/*',
                '@azure/*',
                'microsoft-cognitiveservices-speech-sdk',
              ],
              message:
                'core/ imports no vendor SDK: the vendor clients live in infra/providers and reach core through its ports.',
            },
          ],
        },
      ],
    },
  },
  {
    // The providers implement core's ports and import only core (and their vendor SDKs).
    files: ['infra/providers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(bots|addins|web|infra|server|http|ui|cli|deploy)/',
              message: 'infra/providers imports only core (and vendor SDKs).',
            },
            {
              group: ['express', '@slack/*', '@microsoft/teams*', '@zoom/*'],
              message: 'infra/providers imports no chat-platform SDK and no HTTP framework.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bots/slack/**/*.ts', 'bots/slack/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(teams|addins|zoom|outlook|web|server|providers|local|cli|deploy)/',
              message:
                'An adapter imports core and the kit (infra/http, infra/ui), never another adapter, infra/server or infra/providers (docs/ARCHITECTURE.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bots/teams/**/*.ts', 'bots/teams/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(slack|addins|zoom|outlook|web|server|providers|local|cli|deploy)/',
              message:
                'An adapter imports core and the kit (infra/http, infra/ui), never another adapter, infra/server or infra/providers (docs/ARCHITECTURE.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['addins/zoom/**/*.ts', 'addins/zoom/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(bots|slack|teams|outlook|web|server|providers|local|cli|deploy)/',
              message:
                'An adapter imports core and the kit (infra/http, infra/ui), never another adapter, infra/server or infra/providers (docs/ARCHITECTURE.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['addins/outlook/**/*.ts', 'addins/outlook/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(bots|slack|teams|zoom|web|server|providers|local|cli|deploy)/',
              message:
                'An adapter imports core and the kit (infra/http, infra/ui), never another adapter, infra/server or infra/providers (docs/ARCHITECTURE.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '(^|/)(bots|slack|teams|addins|zoom|outlook|server|providers|local|cli|deploy)/',
              message:
                'An adapter imports core and the kit (infra/http, infra/ui), never another adapter, infra/server or infra/providers (docs/ARCHITECTURE.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // The adapter kit serves every adapter, so it knows none of them.
    files: ['infra/http/**/*.ts', 'infra/ui/**/*.ts', 'infra/ui/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(bots|addins|web|server|providers|local|cli|deploy)/',
              message: 'The adapter kit imports only core (docs/ARCHITECTURE.md).',
            },
          ],
        },
      ],
    },
  },
);
