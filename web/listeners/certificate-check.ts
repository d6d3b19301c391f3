// Anyone may check a deletion certificate here against this deployment's published key — the
// same check `quorum certificate verify` does offline. Nothing is stored.
import { Router } from 'express';
import { z } from 'zod';
import { verifyDeletionCertificate } from '../../core/privacy/deletion-certificate.ts';
import type { SigningKey } from '../../core/privacy/signing-key.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import { parseInput } from '../../infra/http/validate.ts';

const body = z.object({
  certificate: z
    .string()
    .min(1, 'paste or upload the certificate')
    .max(64 * 1024, 'a certificate is at most 64 KiB'),
});

export const certificateCheckRouteSchemas: RouteSchema[] = [
  { method: 'POST', path: '/api/public/certificates/verify', schema: body, auth: 'public' },
];

export function certificateCheckRoutes(deps: { signingKey: SigningKey }): Router {
  const router = Router();
  router.post('/api/public/certificates/verify', (req, res) => {
    const { certificate } = parseInput(body, req.body);
    res.json(verifyDeletionCertificate(certificate, { keys: [deps.signingKey.publicJwk] }));
  });
  return router;
}
