// The container's health check: GET /readyz on this node's own port. Exit 0 when ready, 1 when
// not (or when it does not answer within 4 s). A worker (QUORUM_ROLE=worker) serves no HTTP, so
// there is nothing to ask; it counts as healthy while its process runs.
const role = process.env.QUORUM_ROLE ?? 'all';
if (role === 'worker') process.exit(0);

const port = process.env.PORT || '3000';
try {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(4000) });
  if (!res.ok) process.stderr.write(`not ready: ${await res.text()}\n`);
  process.exit(res.ok ? 0 : 1);
} catch (error) {
  process.stderr.write(`no answer on port ${port}: ${(error as Error).message}\n`);
  process.exit(1);
}
