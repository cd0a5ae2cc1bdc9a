/** Lambda handler: SQS consumer of the GCP collect queue (one message per project). Reported apart in the cold-start bench. */
import { gcpCollector } from '../src/collectors/gcp/collector.js';
import { collectHandler } from '../src/deploy/collect-handler.js';

export const handler = collectHandler((rt) => gcpCollector(rt.config.gcp, { isKnownType: (name) => rt.catalog.type('gcp', name) !== undefined, timeouts: rt.config.timeouts }));
