import type { Client } from '../client.ts';
import { trackWebVitals } from './vitals.ts';

/** `sightline-vitals.js`: load after `sightline.js`; reports vitals through the running SDK. */
const sdk = (window as Window & { sightline?: { instance(): Client | null } }).sightline;
const client = sdk?.instance();
if (client) trackWebVitals(client);
