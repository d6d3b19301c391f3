// A local HTTPS server that speaks the Azure Key Vault keys REST API for the operations Quorum
// uses, so the real @azure/keyvault-keys clients can be contract-tested against it.
//
// Wire format from the Key Vault REST reference (learn.microsoft.com/rest/api/keyvault/keys):
//   POST {vault}/keys/{name}/create            { kty, key_size, key_ops }  → KeyBundle
//   GET  {vault}/keys/{name}[/{version}]                                   → KeyBundle
//   POST {vault}/keys/{name}/{version}/wrapkey   { alg, value }           → { kid, value }
//   POST {vault}/keys/{name}/{version}/unwrapkey { alg, value }           → { kid, value }
//   KeyBundle = { key: { kid, kty, key_ops, n, e }, attributes: { enabled, created, updated,
//                 recoveryLevel } }; errors = { error: { code, message } }; byte values base64url.
// Every call needs ?api-version. A request without a valid bearer token gets 401 with a
// `WWW-Authenticate: Bearer authorization="…", resource="https://vault.azure.net"` challenge,
// which is how the SDK learns where to get its token.
import {
  constants,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { selfSignedCertificate } from './wire.ts';

interface KeyVersion {
  version: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyOps: string[];
  enabled: boolean;
  created: number;
}

export interface FakeKeyVault {
  /** https://127.0.0.1:<port> */
  readonly url: string;
  /** The server's self-signed certificate (PEM), for the client's trust store. */
  readonly ca: string;
  /** The bearer token the vault accepts. */
  readonly token: string;
  /** Each request received: method, path, and whether it carried the accepted token. */
  readonly requests: Array<{ method: string; path: string; authorized: boolean }>;
  /** While true, every request gets 503, as when the vault is unreachable or throttled. */
  unavailable: boolean;
  versions(name: string): string[];
  disableVersion(name: string, version: string): void;
  /** Removes a key and all its versions, as deleting and purging it would. */
  purgeKey(name: string): void;
  close(): Promise<void>;
}

const OAEP_HASH: Record<string, string> = { 'RSA-OAEP': 'sha1', 'RSA-OAEP-256': 'sha256' };

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function send(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, { error: { code, message } });
}

export async function startFakeKeyVault(options: { token?: string } = {}): Promise<FakeKeyVault> {
  const token = options.token ?? randomBytes(16).toString('hex');
  const tls = selfSignedCertificate();
  const keys = new Map<string, KeyVersion[]>();
  const requests: FakeKeyVault['requests'] = [];
  let url = '';

  const bundle = (name: string, v: KeyVersion) => {
    const jwk = v.publicKey.export({ format: 'jwk' });
    return {
      key: {
        kid: `${url}/keys/${name}/${v.version}`,
        kty: 'RSA',
        key_ops: v.keyOps,
        n: jwk.n,
        e: jwk.e,
      },
      attributes: {
        enabled: v.enabled,
        created: v.created,
        updated: v.created,
        recoveryLevel: 'Recoverable+Purgeable',
        recoverableDays: 90,
      },
    };
  };

  const notFound = (res: ServerResponse, name: string, version?: string) =>
    fail(
      res,
      404,
      'KeyNotFound',
      `A key with (name/id) ${name}${version ? `/${version}` : ''} was not found in this key vault.`,
    );

  async function handle(req: IncomingMessage, res: ServerResponse, vault: FakeKeyVault) {
    const address = new URL(req.url ?? '/', url);
    const authorized = req.headers.authorization === `Bearer ${token}`;
    requests.push({ method: req.method ?? '', path: address.pathname, authorized });
    if (vault.unavailable) {
      return fail(res, 503, 'ServiceUnavailable', 'The service is unavailable.');
    }
    if (!address.searchParams.get('api-version')) {
      return fail(res, 400, 'BadParameter', 'The api-version query parameter is required.');
    }
    if (!authorized) {
      res.setHeader(
        'www-authenticate',
        'Bearer authorization="https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47", resource="https://vault.azure.net"',
      );
      return fail(res, 401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.');
    }
    const parts = address.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'keys' || !parts[1]) return fail(res, 404, 'NotFound', 'No such operation.');
    const name = parts[1];
    const versions = keys.get(name) ?? [];

    if (req.method === 'POST' && parts[2] === 'create' && parts.length === 3) {
      const body = await readJson(req);
      if (body.kty !== 'RSA' && body.kty !== 'RSA-HSM') {
        return fail(
          res,
          400,
          'BadParameter',
          `Key type ${String(body.kty)} is not supported here.`,
        );
      }
      const modulusLength = typeof body.key_size === 'number' ? body.key_size : 2048;
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength });
      const created: KeyVersion = {
        version: randomBytes(16).toString('hex'),
        privateKey,
        publicKey,
        keyOps: Array.isArray(body.key_ops)
          ? (body.key_ops as string[])
          : ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'],
        enabled: true,
        created: Math.floor(Date.now() / 1000),
      };
      keys.set(name, [...versions, created]);
      return send(res, 200, bundle(name, created));
    }

    if (req.method === 'GET' && parts.length <= 3) {
      const found = parts[2] ? versions.find((v) => v.version === parts[2]) : versions.at(-1);
      return found ? send(res, 200, bundle(name, found)) : notFound(res, name, parts[2]);
    }

    const operation = parts[3];
    if (
      req.method === 'POST' &&
      parts.length === 4 &&
      (operation === 'wrapkey' || operation === 'unwrapkey')
    ) {
      const found = versions.find((v) => v.version === parts[2]);
      if (!found) return notFound(res, name, parts[2]);
      const body = await readJson(req);
      const op = operation === 'wrapkey' ? 'wrapKey' : 'unwrapKey';
      if (!found.enabled)
        return fail(res, 403, 'Forbidden', `Operation ${op} is not allowed on a disabled key.`);
      if (!found.keyOps.includes(op)) {
        return fail(res, 403, 'Forbidden', `Operation ${op} is not permitted for this key.`);
      }
      const hash = OAEP_HASH[String(body.alg)];
      if (!hash || typeof body.value !== 'string') {
        return fail(res, 400, 'BadParameter', `Algorithm ${String(body.alg)} or value is invalid.`);
      }
      const input = Buffer.from(body.value, 'base64url');
      const padding = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash };
      let output: Buffer;
      try {
        output =
          op === 'wrapKey'
            ? publicEncrypt({ key: found.publicKey, ...padding }, input)
            : privateDecrypt({ key: found.privateKey, ...padding }, input);
      } catch {
        return fail(res, 400, 'BadParameter', `The ${op} operation failed: bad input.`);
      }
      return send(res, 200, {
        kid: `${url}/keys/${name}/${found.version}`,
        value: output.toString('base64url'),
      });
    }
    return fail(
      res,
      405,
      'MethodNotAllowed',
      `${req.method} ${address.pathname} is not supported.`,
    );
  }

  const vault: FakeKeyVault = {
    get url() {
      return url;
    },
    ca: tls.cert,
    token,
    requests,
    unavailable: false,
    versions: (name) => (keys.get(name) ?? []).map((v) => v.version),
    disableVersion(name, version) {
      const found = keys.get(name)?.find((v) => v.version === version);
      if (!found) throw new Error(`no key version ${name}/${version}`);
      found.enabled = false;
    },
    purgeKey: (name) => void keys.delete(name),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    handle(req, res, vault).catch((error: unknown) =>
      fail(res, 500, 'InternalError', (error as Error).message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  return vault;
}
