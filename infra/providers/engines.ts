// The cloud speech and summary engines this deployment is configured for, next to the local
// ones core brings (captions, pocketsphinx, extractive). Their SDKs (openai, the Speech SDK,
// @azure/identity) are loaded only when configured, as the Key Vault SDK is.
import type { Summarizer } from '../../core/ai/index.ts';
import type { Transcriber } from '../../core/speech/index.ts';
import type { AzureOpenAIConfig, AzureSpeechConfig } from './config.ts';

export interface CloudEngines {
  summarizers: Summarizer[];
  transcribers: Transcriber[];
}

export async function createCloudEngines(
  settings: {
    azureOpenAI: AzureOpenAIConfig | undefined;
    azureSpeech: AzureSpeechConfig | undefined;
  },
  workRoot: string,
): Promise<CloudEngines> {
  const engines: CloudEngines = { summarizers: [], transcribers: [] };
  if (settings.azureOpenAI) await addAzureOpenAI(engines, settings.azureOpenAI, workRoot);
  if (settings.azureSpeech) {
    const { createAzureSpeechTranscriber } = await import('./azure-speech/index.ts');
    engines.transcribers.push(createAzureSpeechTranscriber(settings.azureSpeech));
  }
  return engines;
}

async function addAzureOpenAI(
  engines: CloudEngines,
  openai: AzureOpenAIConfig,
  workRoot: string,
): Promise<void> {
  // Without a key, Microsoft Entra tokens for Cognitive Services (managed identity…).
  const tokenProvider = openai.apiKey
    ? undefined
    : await import('@azure/identity').then(({ DefaultAzureCredential, getBearerTokenProvider }) =>
        getBearerTokenProvider(
          new DefaultAzureCredential(),
          'https://cognitiveservices.azure.com/.default',
        ),
      );
  const client = {
    endpoint: openai.endpoint,
    apiKey: openai.apiKey,
    tokenProvider,
    apiVersion: openai.apiVersion,
  };
  if (openai.summaryDeployment) {
    const { createAzureOpenAISummarizer } = await import('./azure-openai/summarizer.ts');
    engines.summarizers.push(
      createAzureOpenAISummarizer({
        ...client,
        deployment: openai.summaryDeployment,
        maxPromptTokens: openai.maxPromptTokens,
        maxOutputTokens: openai.maxOutputTokens,
      }),
    );
  }
  if (openai.whisperDeployment) {
    const { createAzureWhisperTranscriber } = await import('./azure-whisper/index.ts');
    engines.transcribers.push(
      createAzureWhisperTranscriber({
        ...client,
        deployment: openai.whisperDeployment,
        tempRoot: workRoot,
      }),
    );
  }
}
