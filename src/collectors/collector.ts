import type { Cloud } from '../domain/cloud.js';
import type { Instance } from '../domain/instance.js';
import type { InstanceType } from '../domain/instance-type.js';
import type { OwnedCommitment, ScopeResult, ScopeStatus } from '../domain/snapshot.js';
import type { UtilizationSeries } from '../domain/utilization.js';
import { RightsizeError } from '../errors.js';
import { statusOf } from './failure.js';

/** One unit of collection: a cloud, an account/project/subscription and a region. */
export interface CollectScope {
  cloud: Cloud;
  account: string;
  region: string;
}

/** The utilization window to collect, hour-aligned: [startMs, endMs). */
export interface CollectWindow {
  startMs: number;
  endMs: number;
}

/** What one scope yields, normalized to domain types, with a named status. */
export interface PartialSnapshot {
  instances: Instance[];
  series: UtilizationSeries[];
  scope: ScopeResult;
  /** API calls made per operation (the collect benchmark compares them with the theoretical minimum). */
  calls: Record<string, number>;
  /** Instance types the catalog lacked, described by the cloud (DescribeInstanceTypes). */
  types?: InstanceType[];
  /** Commitments the account owns in this scope (active reserved instances). */
  commitments?: OwnedCommitment[];
}

/** A collection failure with the status it maps to; the message names cloud, operation and scope. */
export class CollectError extends RightsizeError {
  override name = 'CollectError';
  constructor(
    readonly status: Exclude<ScopeStatus, 'ok'>,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Maps an SDK, fetch or socket error to a named scope status (see failure.ts). */
export function statusOfError(err: unknown): Exclude<ScopeStatus, 'ok'> {
  return statusOf(err);
}
