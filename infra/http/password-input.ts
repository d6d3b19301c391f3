// Passwords people choose (sign-up, an administrator adding someone). The core checks a new
// password's strength with zxcvbn on the event loop, and its time grows steeply with length:
// 256 characters held the loop for up to 6.5 s, 64 for about 1 s. 64 is what NIST SP 800-63B
// asks verifiers to allow at least. Signing in still takes the 256 characters the core accepts.
import { z } from 'zod';

export const NEW_PASSWORD_MAX = 64;

export const newPassword = z
  .string()
  .min(1)
  .max(NEW_PASSWORD_MAX, `use at most ${NEW_PASSWORD_MAX} characters`);
