/** Lambda handler: SQS consumer of the Azure collect queue (one message per subscription). */
import { azureCollector } from '../src/collectors/azure/collector.js';
import { collectHandler } from '../src/deploy/collect-handler.js';

export const handler = collectHandler((rt) => azureCollector(rt.config.azure, (size) => rt.catalog.type('azure', size)?.memoryGiB, { isKnownSize: (size) => rt.catalog.type('azure', size) !== undefined, timeouts: rt.config.timeouts }));
