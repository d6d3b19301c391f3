// The providers' settings: Azure Key Vault for the tenants' keys, Azure OpenAI for summaries
// and Whisper, Azure Speech for diarized and live transcription. Each is off when none of its
// settings are set, and refused when half set.
import { z } from 'zod';
import { httpUrl, type ConfigSection } from '../../core/config.ts';

const deploymentName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a deployment name such as gpt-4o-mini');

const schema = z.object({
  AZURE_KEY_VAULT_URL: httpUrl.optional(),
  // Read by @azure/identity (DefaultAzureCredential), not by Quorum's code: the client id of the
  // user-assigned managed identity to sign in to Key Vault with. Declared so it is validated and
  // deployment files may set it.
  AZURE_CLIENT_ID: z.guid('must be the managed identity’s client id (a GUID)').optional(),
  AZURE_OPENAI_ENDPOINT: httpUrl.optional(),
  AZURE_OPENAI_API_KEY: z.string().min(1).optional(),
  AZURE_OPENAI_API_VERSION: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'must be an API version such as 2024-10-21')
    .default('2024-10-21'),
  AZURE_OPENAI_SUMMARY_DEPLOYMENT: deploymentName.optional(),
  AZURE_OPENAI_WHISPER_DEPLOYMENT: deploymentName.optional(),
  AZURE_OPENAI_MAX_PROMPT_TOKENS: z.coerce.number().int().min(2000).max(2_000_000).default(24_000),
  AZURE_OPENAI_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(500).max(200_000).default(4000),
  AZURE_SPEECH_KEY: z.string().min(1).optional(),
  AZURE_SPEECH_REGION: z
    .string()
    .regex(/^[a-z0-9]+$/, 'must be a region name such as westeurope')
    .optional(),
  AZURE_SPEECH_ENDPOINT: z.url({ protocol: /^wss?$/ }).optional(),
  SMTP_URL: z
    .url({
      protocol: /^smtps?$/,
      error: 'must be smtp://user:pass@host:587 or smtps://user:pass@host:465',
    })
    .optional(),
  QUORUM_MAIL_FROM: z.email('must be an address such as quorum@example.com').optional(),
  QUORUM_MAIL_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(60),
});

type Values = z.infer<typeof schema>;

export interface AzureOpenAIConfig {
  endpoint: string;
  /** Absent: Microsoft Entra tokens (managed identity, DefaultAzureCredential) are used. */
  apiKey: string | undefined;
  apiVersion: string;
  summaryDeployment: string | undefined;
  whisperDeployment: string | undefined;
  maxPromptTokens: number;
  maxOutputTokens: number;
}

export interface AzureSpeechConfig {
  key: string;
  region: string | undefined;
  endpoint: string | undefined;
}

export interface ProvidersConfig {
  /** Tenant key-encryption keys: Azure Key Vault when set, else the local keyring file. */
  keyVaultUrl: string | undefined;
  /** Azure OpenAI for summaries and/or Whisper; absent when not set. */
  azureOpenAI: AzureOpenAIConfig | undefined;
  /** Azure Speech for diarized and live transcription; absent when not set. */
  azureSpeech: AzureSpeechConfig | undefined;
  /** Email over SMTP; absent (email off) when SMTP_URL is not set. */
  mail: MailConfig | undefined;
}

export interface MailConfig {
  smtpUrl: string;
  from: string;
  perMinute: number;
}

export const providersConfig: ConfigSection<typeof schema.shape, ProvidersConfig> = {
  schema,
  secrets: ['AZURE_OPENAI_API_KEY', 'AZURE_SPEECH_KEY', 'SMTP_URL'],
  settings(e) {
    const problem = azureOpenAIProblem(e) ?? azureSpeechProblem(e) ?? mailProblem(e);
    if (problem) return problem;
    return {
      keyVaultUrl: e.AZURE_KEY_VAULT_URL,
      azureOpenAI: e.AZURE_OPENAI_ENDPOINT
        ? {
            endpoint: e.AZURE_OPENAI_ENDPOINT,
            apiKey: e.AZURE_OPENAI_API_KEY,
            apiVersion: e.AZURE_OPENAI_API_VERSION,
            summaryDeployment: e.AZURE_OPENAI_SUMMARY_DEPLOYMENT,
            whisperDeployment: e.AZURE_OPENAI_WHISPER_DEPLOYMENT,
            maxPromptTokens: e.AZURE_OPENAI_MAX_PROMPT_TOKENS,
            maxOutputTokens: e.AZURE_OPENAI_MAX_OUTPUT_TOKENS,
          }
        : undefined,
      azureSpeech: e.AZURE_SPEECH_KEY
        ? {
            key: e.AZURE_SPEECH_KEY,
            region: e.AZURE_SPEECH_REGION,
            endpoint: e.AZURE_SPEECH_ENDPOINT,
          }
        : undefined,
      mail: e.SMTP_URL
        ? {
            smtpUrl: e.SMTP_URL,
            from: e.QUORUM_MAIL_FROM!,
            perMinute: e.QUORUM_MAIL_RATE_PER_MINUTE,
          }
        : undefined,
    };
  },
};

function mailProblem(e: Values): string | undefined {
  if (e.SMTP_URL && !e.QUORUM_MAIL_FROM) {
    return 'QUORUM_MAIL_FROM: email needs the sender address (e.g. quorum@example.com) with SMTP_URL';
  }
  if (e.QUORUM_MAIL_FROM && !e.SMTP_URL) {
    return 'SMTP_URL: QUORUM_MAIL_FROM is set but SMTP_URL is not (smtp://user:pass@host:587)';
  }
  return undefined;
}

function azureOpenAIProblem(e: Values): string | undefined {
  const deployments = e.AZURE_OPENAI_SUMMARY_DEPLOYMENT ?? e.AZURE_OPENAI_WHISPER_DEPLOYMENT;
  if (deployments && !e.AZURE_OPENAI_ENDPOINT) {
    return 'AZURE_OPENAI_ENDPOINT: the Azure OpenAI deployments need the resource endpoint (https://<resource>.openai.azure.com)';
  }
  if (e.AZURE_OPENAI_ENDPOINT && !deployments) {
    return 'AZURE_OPENAI_SUMMARY_DEPLOYMENT: Azure OpenAI needs AZURE_OPENAI_SUMMARY_DEPLOYMENT and/or AZURE_OPENAI_WHISPER_DEPLOYMENT';
  }
  return undefined;
}

function azureSpeechProblem(e: Values): string | undefined {
  const speechPlace = e.AZURE_SPEECH_REGION ?? e.AZURE_SPEECH_ENDPOINT;
  if (e.AZURE_SPEECH_KEY && !speechPlace) {
    return 'AZURE_SPEECH_REGION: Azure Speech needs its region (or AZURE_SPEECH_ENDPOINT)';
  }
  if (speechPlace && !e.AZURE_SPEECH_KEY) {
    return 'AZURE_SPEECH_KEY: Azure Speech needs the resource key';
  }
  return undefined;
}
