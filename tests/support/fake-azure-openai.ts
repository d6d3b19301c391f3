// A local HTTP server that speaks the Azure OpenAI data-plane REST API for the two operations
// Quorum uses, so the real openai SDK (AzureOpenAI client) can be contract-tested against it.
//
// Wire format from the Azure OpenAI REST reference (learn.microsoft.com/azure/ai-services/openai/reference):
//   POST {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…
//        JSON { messages, response_format?, max_completion_tokens?, … }
//        → { id, object: "chat.completion", created, model, choices: [{ index, finish_reason,
//            message: { role: "assistant", content, refusal } }], usage }
//   POST {endpoint}/openai/deployments/{deployment}/audio/transcriptions?api-version=…
//        multipart/form-data: file, response_format (json|text|verbose_json…), language?, prompt?
//        → verbose_json { task: "transcribe", language, duration, text, segments: [{ id, seek,
//            start, end, text, tokens, temperature, avg_logprob, compression_ratio,
//            no_speech_prob }] }
// Authentication is the `api-key` header (or `Authorization: Bearer` for Entra tokens).
// Errors are { error: { code, message } }: 401 for a wrong key, 404 DeploymentNotFound for an
// unknown deployment, 404 for a missing api-version, 429 with Retry-After when throttled, and 413
// for an audio file over 25 MB.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';

export interface ChatRequest {
  messages: Array<{ role: string; content: string }>;
  response_format?: {
    type: string;
    json_schema?: { name: string; strict?: boolean; schema: unknown };
  };
  [key: string]: unknown;
}

export interface AudioUpload {
  fileName: string;
  contentType: string;
  bytes: Buffer;
  fields: Record<string, string>;
}

export interface VerboseTranscription {
  language: string;
  duration: number;
  text: string;
  segments: Array<{ start: number; end: number; text: string; avg_logprob?: number }>;
}

/** A deployment and what its model answers: the far side of the wire, played by the test. */
export type FakeDeployment =
  | {
      kind: 'chat';
      answer: (request: ChatRequest) => string | { content: string; finishReason: string };
    }
  | { kind: 'transcription'; answer: (upload: AudioUpload) => VerboseTranscription };

export interface RecordedRequest {
  method: string;
  path: string;
  deployment: string | null;
  apiVersion: string | null;
  /** Whether the api-key header carried the accepted key. */
  authorized: boolean;
  status: number;
  /** The chat request's JSON, or the transcription's form fields and file. */
  chat?: ChatRequest;
  audio?: AudioUpload;
  /** Bytes of the request body. */
  bytes: number;
}

export interface FakeAzureOpenAI {
  /** http://127.0.0.1:<port>: the resource endpoint. */
  readonly url: string;
  readonly apiKey: string;
  readonly requests: RecordedRequest[];
  deploy(name: string, deployment: FakeDeployment): void;
  /** The next `times` requests are refused with 429 and `Retry-After: seconds`. */
  throttle(times: number, retryAfterSeconds: number): void;
  /** The next `times` requests get this 5xx. */
  fail(times: number, status: number): void;
  close(): Promise<void>;
}

const MAX_AUDIO_BYTES = 25 * 1024 * 1024;

export async function startFakeAzureOpenAI(
  options: { apiKey?: string } = {},
): Promise<FakeAzureOpenAI> {
  const apiKey = options.apiKey ?? randomBytes(16).toString('hex');
  const deployments = new Map<string, FakeDeployment>();
  const requests: RecordedRequest[] = [];
  let throttled = { times: 0, seconds: 0 };
  let failing = { times: 0, status: 500 };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'InternalServerError', String(error));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readAll(req);
    const match =
      /^\/openai\/deployments\/([^/]+)\/(chat\/completions|audio\/transcriptions)$/.exec(
        url.pathname,
      );
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      deployment: match ? decodeURIComponent(match[1]!) : null,
      apiVersion: url.searchParams.get('api-version'),
      authorized:
        req.headers['api-key'] === apiKey || req.headers.authorization === `Bearer ${apiKey}`,
      status: 0,
      bytes: body.length,
    };
    requests.push(record);
    const reply = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, {
        'content-type': 'application/json',
        'apim-request-id': randomBytes(8).toString('hex'),
        ...headers,
      });
      res.end(JSON.stringify(json));
    };
    const refuse = (status: number, code: string, message: string, headers = {}) =>
      reply(status, { error: { code, message } }, headers);

    if (!record.authorized) {
      return refuse(
        401,
        '401',
        'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      );
    }
    if (req.method !== 'POST' || !match) return refuse(404, '404', 'Resource not found');
    if (!record.apiVersion) return refuse(404, '404', 'Resource not found');
    const deployment = deployments.get(record.deployment!);
    if (!deployment) {
      return refuse(
        404,
        'DeploymentNotFound',
        'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
      );
    }
    if (throttled.times > 0) {
      throttled.times -= 1;
      return refuse(
        429,
        '429',
        `Requests to the operation under Azure OpenAI API version ${record.apiVersion} have exceeded call rate limit of your current pricing tier. Please retry after ${throttled.seconds} second.`,
        { 'retry-after': String(throttled.seconds) },
      );
    }
    if (failing.times > 0) {
      failing.times -= 1;
      return refuse(
        failing.status,
        'InternalServerError',
        'The server had an error processing your request.',
      );
    }

    if (match[2] === 'chat/completions') {
      if (deployment.kind !== 'chat') {
        return refuse(
          400,
          'OperationNotSupported',
          'The chatCompletion operation does not work with the specified model. Please choose different model and try again.',
        );
      }
      let chat: ChatRequest;
      try {
        chat = JSON.parse(body.toString('utf8')) as ChatRequest;
      } catch {
        return refuse(400, 'BadRequest', 'The request body is not valid JSON.');
      }
      if (!Array.isArray(chat.messages) || chat.messages.length === 0) {
        return refuse(400, 'BadRequest', "'messages' is a required property");
      }
      record.chat = chat;
      const answered = deployment.answer(chat);
      const { content, finishReason } =
        typeof answered === 'string' ? { content: answered, finishReason: 'stop' } : answered;
      const promptChars = chat.messages.reduce((n, m) => n + String(m.content).length, 0);
      return reply(200, {
        id: `chatcmpl-${randomBytes(12).toString('hex')}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: 'gpt-4o-2024-08-06',
        system_fingerprint: 'fp_fake',
        choices: [
          {
            index: 0,
            finish_reason: finishReason,
            logprobs: null,
            message: { role: 'assistant', content, refusal: null },
            content_filter_results: {},
          },
        ],
        usage: {
          prompt_tokens: Math.ceil(promptChars / 4),
          completion_tokens: Math.ceil(content.length / 4),
          total_tokens: Math.ceil((promptChars + content.length) / 4),
        },
        prompt_filter_results: [],
      });
    }

    if (deployment.kind !== 'transcription') {
      return refuse(
        400,
        'OperationNotSupported',
        'The audio transcription operation does not work with the specified model.',
      );
    }
    if (body.length > MAX_AUDIO_BYTES) {
      return refuse(
        413,
        'RequestEntityTooLarge',
        'Maximum content size limit (26214400) exceeded.',
      );
    }
    const form = await new Request('http://fake/', {
      method: 'POST',
      headers: { 'content-type': String(req.headers['content-type'] ?? '') },
      body: new Uint8Array(body),
    })
      .formData()
      .catch(() => null);
    const file = form?.get('file');
    if (!form || !(file instanceof File)) {
      return refuse(
        400,
        'invalid_request_error',
        "Could not parse multipart form; 'file' is required.",
      );
    }
    const fields: Record<string, string> = {};
    for (const [name, value] of form.entries()) if (typeof value === 'string') fields[name] = value;
    const upload: AudioUpload = {
      fileName: file.name,
      contentType: file.type,
      bytes: Buffer.from(await file.arrayBuffer()),
      fields,
    };
    record.audio = upload;
    const result = deployment.answer(upload);
    const format = fields.response_format ?? 'json';
    if (format === 'verbose_json') {
      return reply(200, {
        task: 'transcribe',
        language: result.language,
        duration: result.duration,
        text: result.text,
        segments: result.segments.map((s, id) => ({
          id,
          seek: 0,
          start: s.start,
          end: s.end,
          text: s.text,
          tokens: [],
          temperature: 0,
          avg_logprob: s.avg_logprob ?? -0.25,
          compression_ratio: 1.2,
          no_speech_prob: 0.01,
        })),
      });
    }
    return reply(200, { text: result.text });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    apiKey,
    requests,
    deploy: (name, deployment) => void deployments.set(name, deployment),
    throttle(times, seconds) {
      throttled = { times, seconds };
    },
    fail(times, status) {
      failing = { times, status };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code, message } }));
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
