// Deletion certificates: fetch one of your tenant's, and the public key anyone can verify with.
import { Router } from 'express';
import type { DeletionCertificates } from '../../core/privacy/deletion-certificates.ts';
import type { SigningKey } from '../../core/privacy/signing-key.ts';
import { requireAccess } from '../../infra/http/authenticate.ts';
import { notFound } from '../../infra/http/http-error.ts';

/** Where the certificate-signing public key is published, as a JWK Set. */
export const CERTIFICATE_KEYS_PATH = '/.well-known/quorum-certificate-keys.json';

export function certificateRoutes(deps: {
  certificates: DeletionCertificates;
  signingKey: SigningKey;
}): Router {
  const router = Router();

  router.get(CERTIFICATE_KEYS_PATH, (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.json({ keys: [deps.signingKey.publicJwk] });
  });

  router.get('/api/certificates/:id', async (req, res) => {
    const auth = requireAccess(req, res, 'meetings:read');
    const text = await deps.certificates.certificateText(auth.ctx, req.params.id!);
    if (!text) throw notFound('That certificate');
    // Sent byte for byte as signed, so it verifies exactly as stored.
    res.type('application/json').send(text);
  });

  return router;
}
