// The Azure OpenAI client both Azure engines share (the summarizer's chat deployment and the
// transcriber's Whisper deployment): the openai SDK's AzureOpenAI, with an API key or a
// Microsoft Entra token (managed identity), and SDK errors turned into sentences a person can act
// on. The SDK retries 408/409/429/5xx itself (maxRetries), waiting what `retry-after-ms` or
// `Retry-After` says when it is at most a minute, else backing off 0.5 s × 2^n up to 8 s.
import { AzureOpenAI, APIConnectionError, APIError, APIUserAbortError } from 'openai';

/** Azure OpenAI's GA API version with structured outputs and verbose_json transcriptions. */
export const DEFAULT_AZURE_OPENAI_API_VERSION = '2024-10-21';

export interface AzureOpenAISettings {
  /** The resource endpoint, e.g. https://my-resource.openai.azure.com */
  endpoint: string;
  /** An API key; when absent, Microsoft Entra tokens from `tokenProvider` are used instead. */
  apiKey?: string;
  /** Returns a bearer token for https://cognitiveservices.azure.com/.default. */
  tokenProvider?: () => Promise<string>;
  apiVersion?: string;
  /** Retries of one request on 408/409/429/5xx (SDK default backoff, honoring Retry-After). */
  maxRetries?: number;
  /** Per-request deadline in milliseconds. */
  timeoutMs?: number;
}

export function createAzureOpenAIClient(
  settings: AzureOpenAISettings,
  deployment: string,
): AzureOpenAI {
  return new AzureOpenAI({
    endpoint: settings.endpoint,
    deployment,
    apiVersion: settings.apiVersion ?? DEFAULT_AZURE_OPENAI_API_VERSION,
    ...(settings.apiKey
      ? { apiKey: settings.apiKey }
      : { azureADTokenProvider: settings.tokenProvider ?? missingCredentials }),
    maxRetries: settings.maxRetries ?? 4,
    timeout: settings.timeoutMs ?? 120_000,
  });
}

async function missingCredentials(): Promise<string> {
  throw new Error('Azure OpenAI needs an API key or a Microsoft Entra token provider.');
}

/**
 * What went wrong with a call to a deployment, said for the person who configures it. Never
 * includes the key or the request body; the SDK's own message is kept only for other statuses.
 */
export function describeAzureOpenAIError(
  error: unknown,
  what: { deployment: string; endpoint: string; setting: string },
): string | undefined {
  if (error instanceof APIUserAbortError) return undefined;
  const where = `deployment "${what.deployment}" at ${what.endpoint}`;
  if (error instanceof APIConnectionError) {
    return `Azure OpenAI could not be reached at ${what.endpoint} (${error.message}); check the endpoint and the network.`;
  }
  if (!(error instanceof APIError)) return undefined;
  const code = errorCode(error);
  if (error.status === 401 || error.status === 403) {
    return (
      `Azure OpenAI refused the credentials for ${where} (HTTP ${error.status}); check ` +
      'AZURE_OPENAI_API_KEY, or the role of the managed identity (Cognitive Services OpenAI User).'
    );
  }
  if (error.status === 404) {
    return (
      `Azure OpenAI has no ${where}${code ? ` (${code})` : ''}; check ${what.setting} ` +
      'names a deployment of that resource, and the API version.'
    );
  }
  if (error.status === 429) {
    return `Azure OpenAI kept throttling ${where} (HTTP 429) after its retries; try again later or raise the deployment's quota.`;
  }
  return `Azure OpenAI failed for ${where}: HTTP ${error.status ?? '?'}${code ? ` ${code}` : ''}.`;
}

function errorCode(error: APIError): string | undefined {
  const code = error.code ?? (error.error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}
