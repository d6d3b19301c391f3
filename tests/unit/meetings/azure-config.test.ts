import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../infra/server/config.ts';

describe('Azure engine settings', () => {
  it('are off when unset, and complete when set', () => {
    const none = loadConfig({});
    expect(none.ok && [none.config.azureOpenAI, none.config.azureSpeech]).toEqual([
      undefined,
      undefined,
    ]);
    const all = loadConfig({
      AZURE_OPENAI_ENDPOINT: 'https://acme.openai.azure.com',
      AZURE_OPENAI_SUMMARY_DEPLOYMENT: 'gpt-4o-mini',
      AZURE_SPEECH_KEY: 'k'.repeat(32),
      AZURE_SPEECH_REGION: 'westeurope',
    });
    expect(all.ok && all.config.azureOpenAI).toEqual({
      endpoint: 'https://acme.openai.azure.com',
      apiKey: undefined,
      apiVersion: '2024-10-21',
      summaryDeployment: 'gpt-4o-mini',
      whisperDeployment: undefined,
      maxPromptTokens: 24_000,
      maxOutputTokens: 4000,
    });
    expect(all.ok && all.config.azureSpeech).toEqual({
      key: 'k'.repeat(32),
      region: 'westeurope',
      endpoint: undefined,
    });
  });

  it('refuses half a configuration, naming what is missing, and never echoes a key', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ AZURE_OPENAI_SUMMARY_DEPLOYMENT: 'gpt' }, /^AZURE_OPENAI_ENDPOINT: /],
      [{ AZURE_OPENAI_ENDPOINT: 'https://a.openai.azure.com' }, /AZURE_OPENAI_WHISPER_DEPLOYMENT/],
      [{ AZURE_SPEECH_KEY: 'secret-speech-key' }, /^AZURE_SPEECH_REGION: /],
      [{ AZURE_SPEECH_REGION: 'westeurope' }, /^AZURE_SPEECH_KEY: /],
      [{ AZURE_SPEECH_REGION: 'West Europe', AZURE_SPEECH_KEY: 'x' }, /^AZURE_SPEECH_REGION: /],
      [{ AZURE_SPEECH_ENDPOINT: 'https://x', AZURE_SPEECH_KEY: 'x' }, /^AZURE_SPEECH_ENDPOINT: /],
    ];
    for (const [env, problem] of cases) {
      const result = loadConfig(env);
      expect(result.ok, JSON.stringify(env)).toBe(false);
      if (result.ok) continue;
      expect(result.problems.join('\n')).toMatch(problem);
      expect(result.problems.join('\n')).not.toContain('secret-speech-key');
    }
  });

  it('are each listed in the README configuration table', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const name of [
      'AZURE_OPENAI_ENDPOINT',
      'AZURE_OPENAI_API_KEY',
      'AZURE_OPENAI_API_VERSION',
      'AZURE_OPENAI_SUMMARY_DEPLOYMENT',
      'AZURE_OPENAI_WHISPER_DEPLOYMENT',
      'AZURE_OPENAI_MAX_PROMPT_TOKENS',
      'AZURE_OPENAI_MAX_OUTPUT_TOKENS',
      'AZURE_SPEECH_KEY',
      'AZURE_SPEECH_REGION',
      'AZURE_SPEECH_ENDPOINT',
    ]) {
      expect(readme).toMatch(new RegExp(`^\\| \`${name}\``, 'm'));
    }
  });
});
