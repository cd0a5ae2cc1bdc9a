/** Lambda handler: SQS consumer of the AWS collect queue (one message per account × region). */
import { awsCollector } from '../src/collectors/aws/collector.js';
import { collectHandler } from '../src/deploy/collect-handler.js';

export const handler = collectHandler((rt) => awsCollector(rt.config.aws, rt.env, (name) => rt.catalog.type('aws', name) !== undefined, rt.config.timeouts));
