import type { AuthService } from '../auth/index.ts';
import type { SightlineConfig } from '../config/index.ts';

export interface AdminBootstrapResult {
  email: string;
  /** Present only when the password was generated now: shown once, never stored in clear. */
  generatedPassword: string | null;
}

/** On first start (no users yet) creates the admin account from config, generating a password. */
export async function ensureAdmin(
  auth: AuthService,
  config: SightlineConfig,
): Promise<AdminBootstrapResult | null> {
  if ((await auth.countUsers()) > 0) return null;
  const { password } = await auth.createUser(
    {
      email: config.adminEmail,
      name: 'Admin',
      role: 'admin',
      ...(config.adminPassword ? { password: config.adminPassword } : {}),
    },
    'system',
  );
  return { email: config.adminEmail, generatedPassword: config.adminPassword ? null : password };
}
