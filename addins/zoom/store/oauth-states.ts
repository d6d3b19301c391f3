// In-client and browser OAuth's states: a PKCE verifier kept ten minutes for one callback.
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../../../core/store/store.ts';
import { ZoomOAuthState } from './models.ts';

const STATE_TTL_MS = 10 * 60_000;

function pkce() {
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

export function createOAuthStates(store: Store) {
  const States = store.controlModel(ZoomOAuthState);

  async function newState(owner: { zoomUserId?: string; userId?: string }) {
    const { verifier, challenge } = pkce();
    const state = randomBytes(24).toString('base64url');
    await States.create({
      _id: state,
      verifier,
      zoomUserId: owner.zoomUserId ?? null,
      userId: owner.userId ?? null,
      expiresAt: new Date(Date.now() + STATE_TTL_MS),
    });
    return { state, codeChallenge: challenge };
  }

  /** A state is used once: whoever deletes it uses it. */
  async function takeState(state: string) {
    const found = await States.findById(state).lean();
    if (!found || found.expiresAt < new Date()) return undefined;
    const { deletedCount } = await States.deleteOne({ _id: state });
    return deletedCount === 1 ? found : undefined;
  }

  return { newState, takeState };
}

export type OAuthStates = ReturnType<typeof createOAuthStates>;
