export * from './cloud.js';
export * from './instance-type.js';
export * from './price.js';
export * from './instance.js';
export * from './utilization.js';
export * from './snapshot.js';
export * from './recommendation.js';
export * from './purchase-plan.js';
