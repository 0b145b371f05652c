/** The governance domain's jobs, run by whichever process serves the domain. */
import type { DomainJob } from '../runtime/index.js';
import { compactAccessLogJob } from './compactAccessLog.js';

/** Every job of the governance domain. */
export const jobs: readonly DomainJob[] = [compactAccessLogJob];
